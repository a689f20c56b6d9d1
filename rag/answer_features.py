"""What the extractive answerer weighs in a candidate sentence: named measures of how well it answers the
question, and their learned combination (a logistic regression whose constants live in rag/answer_weights.py,
written by ``python -m bench.answer_fit --write``, which prints in-sample, cross-validated and
leave-one-dataset-out figures).

The question is read once (``read_question``: the asked kind of value, speaker, period, list cue, the idf of
its terms); each candidate then gets the row FEATURES names (``feature_matrix``). A line that is no answer
whatever it scores (a question, a headline: rag.answering.check.not_an_answer) is marked by the extractive
scorer (Candidate.never) and left out of the fit.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np

from rag import answer_weights
from rag.readers.cues import asks_for_several, enumerates, relative_periods
from rag.readers.question_kind import FIGURE_KINDS, KINDS, NAME_KINDS, asked_kind
from rag.readers.values import values
from rag.readers.verbs import asked_speaker, asked_verb_forms, attributes_speech, sentence_terms
from rag.textspans import displayed as squashed  # noqa: F401 (how quoted sentences are compared)
from rag.tuning import TUNING

FEATURES = (
    "cosine",          # the model's cosine between the question and the sentence
    "coverage",        # share of the question's idf mass the sentence states
    "window_coverage",  # ... the sentence with the one before it (it often restates the question)
    "kind_stated",     # the question asks for a kind of value (share, money, date, number, name) and it is stated
    "kind_missing",    # ... and none is stated
    "speech_cue",      # "What did X say?": the sentence gives X's words
    "period_cue",      # "the year before" asked, "last year" written
    "list_cue",        # "What other measures?": the sentence lists several things
    "repeat",          # the previous answer of the conversation quoted this sentence
    "beside_repeat",   # coverage gained by counting a neighbouring sentence the previous answer quoted
    "corroboration",   # best cosine with a candidate sentence of another file
)
# Measured and left out, as they did not carry from one dataset to another (bench/measured/issue21/
# answer_variants.txt): the passage's retrieval rank and fused score, the sentence's position in its document,
# its length, and the share of its words the question lacks.
VALUE_KINDS = KINDS[:7]  # the kinds a sentence states as a value: figures, dates and names (not a category)


@dataclass(frozen=True)
class QuestionCues:
    """What a question asks for, read once: ``kind`` of value (rag.readers.question_kind), the speaker whose
    words are asked, relative periods, whether it asks for several things, the bare verbs' forms, the idf of
    its terms. Example: ``read_question("What did Ann say?", {"ann": 2.0}).speaker`` -> ('Ann',)."""

    question: str
    idf: dict
    kind: str | None
    speaker: tuple
    periods: frozenset
    several: bool
    verb_forms: dict = field(default_factory=dict)


def read_question(question: str, idf: dict) -> QuestionCues:
    """The question's cues (see QuestionCues). Example: ``read_question("When did it open?", {}).kind`` -> 'date'."""
    return QuestionCues(question, dict(idf), asked_kind(question), asked_speaker(question), relative_periods(question),
                        asks_for_several(question), asked_verb_forms(question, idf))


def coverage(terms: set, idf: dict) -> float:
    """Share of the idf mass of the question's terms that ``terms`` holds.
    Example: ``coverage({"port"}, {"port": 3.0, "ship": 1.0})`` -> 0.75."""
    total = sum(idf.values()) or 1.0
    return sum(w for t, w in idf.items() if t in terms) / total


def kind_stated(text: str, kind: str | None, question: str = "") -> bool:
    """Whether the sentence states a value of the asked kind (names other than the question's own count for
    person, organisation and place). Example: ``kind_stated("Tickets cost $40.", "money")`` -> True."""
    if kind not in VALUE_KINDS:
        return False
    # Only names and counts read the question (its own names; whether it asks a rate): the other kinds are cached
    # by sentence alone, as the same sentences come back question after question.
    return _stated(text, kind, question if kind == "number" or kind in NAME_KINDS else "")


@functools.lru_cache(maxsize=1 << 14)
def _stated(text: str, kind: str, question: str) -> bool:
    return bool(values(text, kind, question))


def corroboration(vectors: np.ndarray, sources: list[str]) -> np.ndarray:
    """Per sentence, the best cosine with a sentence of another file (0 when no other file).
    Example: ``corroboration(np.eye(2), ["a", "b"])`` -> [0, 0]."""
    if len(sources) < 2:
        return np.zeros(len(sources))
    matrix = np.asarray(vectors, dtype=np.float64)
    sims = matrix @ matrix.T
    # Files as integer codes: comparing n x n file names as numpy strings was most of this function's time.
    codes = np.unique(np.asarray(sources, dtype=object), return_inverse=True)[1]
    sims[codes[:, None] == codes[None, :]] = -np.inf
    best = sims.max(axis=1)
    return np.where(np.isfinite(best), np.maximum(best, 0.0), 0.0)


def feature_matrix(cues: QuestionCues, candidates: list, previous: dict, said: frozenset = frozenset()) -> np.ndarray:
    """The FEATURES row of each candidate (``text``, ``cosine``, ``vector``, ``chunk.source``); ``previous``: id(candidate) -> the candidate sentence before it in its paragraph;
    ``said``: the sentences the previous answer quoted (``squashed``). Fills ``lexical`` (window coverage)."""
    n = len(candidates)
    x = np.zeros((n, len(FEATURES)))
    if not n:
        return x
    terms = [sentence_terms(c.text, cues.verb_forms) for c in candidates]
    index = {id(c): i for i, c in enumerate(candidates)}
    repeats = [squashed(c.text) in said for c in candidates] if said else [False] * n
    lent = _beside_repeats(candidates, terms, previous, repeats, cues.idf) if any(repeats) else [0.0] * n
    for i, cand in enumerate(candidates):
        own = coverage(terms[i], cues.idf)
        prev = previous.get(id(cand))
        window = coverage(terms[i] | terms[index[id(prev)]], cues.idf) if prev is not None and id(prev) in index \
            else own
        stated = kind_stated(cand.text, cues.kind, cues.question)
        cand.lexical = max(own, window)
        x[i] = (cand.cosine, own, max(own, window), stated, cues.kind in VALUE_KINDS and not stated,
                bool(cues.speaker) and attributes_speech(cand.text, cues.speaker),
                bool(cues.periods & relative_periods(cand.text)) if cues.periods else False,
                cues.several and enumerates(cand.text), repeats[i], max(0.0, lent[i] - max(own, window)), 0.0)
    if all(c.vector is not None for c in candidates):
        x[:, FEATURES.index("corroboration")] = corroboration(np.stack([c.vector for c in candidates]),
                                                              [c.chunk.source for c in candidates])
    return x


def _beside_repeats(candidates: list, terms: list, previous: dict, repeats: list, idf: dict) -> list[float]:
    # A follow-up's answer is so often one sentence away from the one quoted before ("From what depth?" after
    # "Which vessel recovered the mud?") while its own few words are in neither: a neighbour of a quoted sentence
    # counts that sentence's words too.
    index = {id(c): i for i, c in enumerate(candidates)}
    lent = [0.0] * len(candidates)
    for after_id, before in previous.items():
        a, b = index.get(after_id), index.get(id(before))
        if a is None or b is None:
            continue
        for quoted, neighbour in ((b, a), (a, b)):
            if repeats[quoted] and not repeats[neighbour]:
                lent[neighbour] = max(lent[neighbour], coverage(terms[neighbour] | terms[quoted], idf))
    return lent


def relevance(x: np.ndarray, kind: str | None) -> np.ndarray:
    """How near each row's sentence comes to the question on the scale the abstention bar was set on (rag.tuning):
    the hand blend of cosine, coverage (with the sentence before, or a neighbour the previous answer quoted) and
    the cue bonuses. Example: ``relevance(np.zeros((1, len(FEATURES))), None)`` -> [0.0]."""
    f = {name: np.asarray(x, dtype=np.float64)[:, i] for i, name in enumerate(FEATURES)}
    kind_bonus = TUNING.number_bonus if kind in FIGURE_KINDS else TUNING.name_bonus if kind in NAME_KINDS else 0.0
    return TUNING.cosine_weight * f["cosine"] + TUNING.lexical_weight * (f["window_coverage"] + f["beside_repeat"]) \
        + kind_bonus * f["kind_stated"] + TUNING.speech_bonus * f["speech_cue"] + TUNING.period_bonus * f["period_cue"] \
        + TUNING.list_bonus * f["list_cue"]


def logits(x: np.ndarray) -> np.ndarray:
    """The learned score of each row's sentence (rag/answer_weights.py): the log-odds, within its question, that
    it is the answering sentence (a per-question softmax: only differences between a question's sentences mean
    anything).
    Example: ``logits(np.zeros((1, len(FEATURES)))).shape`` -> (1,)."""
    z = (np.asarray(x, dtype=np.float64) - np.asarray(answer_weights.MEANS)) / np.asarray(answer_weights.SCALES)
    return z @ np.asarray(answer_weights.WEIGHTS) + answer_weights.BIAS


def on_blend_scale(logit: np.ndarray) -> np.ndarray:
    """Scores mapped onto the hand blend's scale (0.6 cosine + 0.4 coverage + bonuses), where the selection's
    shares of the best (rag.tuning) were set: the line ``bench.answer_fit`` chose so that each share passes as many
    of a question's sentences as it did under the hand blend; kept above zero so shares stay meaningful.
    Example: ``on_blend_scale(np.array([-1e9]))`` -> [0.001]."""
    return np.maximum(answer_weights.SCALE_SLOPE * np.asarray(logit) + answer_weights.SCALE_INTERCEPT, 0.001)
