"""What ``rag.support.check`` weighs: a few general measures of how much of a claim its evidence states, and
their learned combination (a logistic regression whose constants live in rag/support_weights.py, written by
``python -m bench.support_fit``, which prints its cross-validated figures).

Every measure is a share or a cosine, so it means the same on a memo sentence and on a web page:

- ``token_recall``: each content word-piece of the claim is matched to its most similar contextual token in
  the evidence's candidate quotes (all-MiniLM-L6-v2 token embeddings from the same pass that embeds the
  quotes, as BERTScore recall does); the mean of those best matches.
- the cosines of the claim with its best evidence passage and with the evidence as a whole;
- content-word coverage (stemmed, English function words dropped) by the best passage and by all of it, and
  the share of the claim's adjacent content-word pairs that the evidence also has side by side;
- the shares of the claim's numbers and names that the evidence never states; the claim's length;
- what the claim states that the evidence does not: ``unstated_words``, its lower-case content words (predicates
  and common nouns: names and numbers are counted apart) whose stem the evidence never states, each weighed by
  how far its closest contextual evidence token is (1 - cosine), per lower-case content word; ``unstated_verb``,
  the closest match of the least-matched predicate verb (a past form: "-ed" or rag.language.IRREGULAR_PAST) the
  evidence never states; ``unmatched_name``, the same for a name the evidence never mentions (1.0 when none).
  The last two also cap the score (``capped``): a claim that shares its passage's words but says the crew "sang"
  where the passage says it "won", or adds a coach the passage never names, is not supported.
"""
from __future__ import annotations

import math

import numpy as np

from rag.readers.claims import (NUMBER_MISMATCH_FACTOR, missing_names, names, numbers, strip_markers,
                                     token_support)
from rag.language import IRREGULAR_PAST, LIGHT_VERBS
from rag.textspans import STOPWORDS, WORD, content_terms, stem
from rag.tuning import TUNING
from rag import support_weights

FEATURES = ("token_recall", "span_cosine", "whole_cosine", "span_coverage", "whole_coverage", "pair_coverage",
            "claim_length", "missing_numbers", "missing_names", "unstated_words", "unstated_verb", "unmatched_name")


def clean_claim(claim: str) -> str:
    """The claim without citation markers. Example: ``clean_claim("Sales rose 5% [1][2].")`` -> 'Sales rose 5%.'."""
    return strip_markers(claim).strip()  # a draft's citation markers are no claim


def content_tokens(text: str, offsets: np.ndarray) -> np.ndarray:
    """Indexes of the tokens whose word is a content word (not an English function word, not punctuation).

    Example: ``content_tokens("The fox ran.", np.array([[0, 3], [4, 7], [8, 11], [11, 12]]))`` -> [1, 2].
    """
    # A word-piece is read as the whole word it sits in (rag.textspans.WORD): "ing" of "running" is "running".
    word_at: list[tuple[int, int] | None] = [None] * (len(text) + 1)
    for m in WORD.finditer(text):
        word_at[m.start():m.end()] = [m.span()] * (m.end() - m.start())
    keep = []
    for i, (start, end) in enumerate(offsets.tolist()):
        first = word_at[start - 1][0] if start > 0 and word_at[start - 1] else start
        last = word_at[end][1] if word_at[end] else end
        if WORD.search(text, start, end) and text[first:last].casefold() not in STOPWORDS:
            keep.append(i)
    return np.asarray(keep, dtype=np.int64)


def best_matches(claim_tokens: np.ndarray, evidence_tokens: list[np.ndarray]) -> np.ndarray:
    """For each claim token (rows, L2-normalised), the best cosine with any evidence token (zeros without any).

    Example: ``best_matches(np.eye(2), [np.eye(2)[:1]]).tolist()`` -> [1.0, 0.0].
    """
    if not any(len(t) for t in evidence_tokens):
        return np.zeros(len(claim_tokens))
    if len(claim_tokens) == 0:
        return np.zeros(0)
    return np.max(claim_tokens @ np.concatenate([t for t in evidence_tokens if len(t)]).T, axis=1)


class TokenMatches:
    """The claim's content tokens (character ``offsets`` in the claim) and each one's ``best`` evidence cosine;
    ``word(start, end)`` is the mean over the tokens inside a word (1.0 when none is: nothing to hold against it).

    Example: ``TokenMatches(np.array([[0, 3], [4, 7]]), np.array([0.9, 0.2])).word(4, 7)`` -> 0.2.
    """

    def __init__(self, offsets: np.ndarray, best: np.ndarray) -> None:
        self.offsets, self.best = np.asarray(offsets).reshape(-1, 2), np.asarray(best, dtype=np.float64)

    @property
    def recall(self) -> float:
        return float(np.mean(self.best)) if len(self.best) else 0.0

    def word(self, start: int, end: int) -> float:
        inside = (self.offsets[:, 0] >= start) & (self.offsets[:, 1] <= end)
        return float(np.mean(self.best[inside])) if inside.any() else 1.0


def _claim_words(claim: str) -> list[tuple[str, int, int, bool]]:
    """(stem, start, end, lower-case) of each content word of the claim; lower-case: no capital, no digit."""
    out = []
    for m in WORD.finditer(claim):
        word = m.group(0)
        folded = word.casefold()
        if folded in STOPWORDS or (len(folded) < 2 and not folded.isdigit()):
            continue
        out.append((stem(folded), m.start(), m.end(), word[:1].islower() and not any(c.isdigit() for c in word)))
    return out


def _is_past_verb(word: str) -> bool:
    return (word in IRREGULAR_PAST or (word.endswith("ed") and len(word) > 4)) and word not in LIGHT_VERBS


def unstated(claim: str, whole: str, matches: TokenMatches | None) -> tuple[float, float, float]:
    """``unstated_words``, ``unstated_verb`` and ``unmatched_name`` (see the module doc) of a claim against its
    whole evidence; without ``matches`` an unstated word counts as matching nothing.

    Example: ``unstated("The crew sang after the final.", "The crew won the final.", None)[1:]`` -> (0.0, 1.0).
    """
    stated = set(content_terms(whole))
    words = [w for w in _claim_words(claim) if w[3]]
    match = (lambda a, b: matches.word(a, b)) if matches is not None else (lambda a, b: 0.0)
    new = [(claim[a:b].casefold(), match(a, b)) for term, a, b, _ in words if term not in stated]
    share = sum(1.0 - m for _, m in new) / len(words) if words else 0.0
    verb = min((m for w, m in new if _is_past_verb(w)), default=1.0)
    folded = claim.casefold()
    name = min((match(folded.find(n), folded.find(n) + len(n)) for n in missing_names(claim, whole)
                if folded.find(n) >= 0), default=1.0)
    return share, verb, name


def _pairs(terms: list[str]) -> set[tuple[str, str]]:
    return set(zip(terms, terms[1:]))


def features(claim: str, quotes: list[str], cosines: list[float], whole: str, whole_cosine: float,
             recall: float, matches: TokenMatches | None = None) -> np.ndarray:
    """The measures named in FEATURES for a (clean) claim, its candidate quotes with their cosines, the whole
    evidence and its cosine, the token recall and the claim tokens' best matches (``measure`` passes them).

    Example: ``features("Ann ran.", ["Ann ran."], [1.0], "Ann ran.", 1.0, 1.0)[:5]`` -> [1, 1, 1, 1, 1].
    """
    terms = content_terms(claim)
    claim_set, whole_terms = set(terms), content_terms(whole)
    whole_coverage = len(claim_set & set(whole_terms)) / len(claim_set) if claim_set else 0.0
    pairs = _pairs(terms)
    pair_coverage = len(pairs & _pairs(whole_terms)) / len(pairs) if pairs else whole_coverage
    claim_numbers, claim_names = numbers(claim), names(claim)
    missing_numbers = (len(claim_numbers - numbers(whole, spelled=True)) / len(claim_numbers)
                       if claim_numbers else 0.0)
    missing = len(missing_names(claim, whole)) / len(claim_names) if claim_names else 0.0
    return np.array([
        recall,
        max(cosines, default=0.0),
        whole_cosine,
        max((token_support(claim, q) for q in quotes), default=0.0),
        whole_coverage,
        pair_coverage,
        math.log1p(len(claim_set)),
        missing_numbers,
        missing,
        *unstated(claim, whole, matches),
    ], dtype=np.float64)


def verbatim_features(claim: str, quote: str) -> np.ndarray:
    """``features(claim, [quote], [1.0], quote, 1.0, 1.0)`` for a quote that is the claim, whitespace aside (an
    extractive answer's sentence against the passage it quotes), without reading both twice: every term, pair
    and name of the claim is in the quote, so coverages are 1 (0 without terms) and no name is missing; numbers
    are still compared, as a number's spelling may straddle the whitespace. The check stage runs it on every
    quoted sentence, so it is the check's cost.
    Example: ``verbatim_features("Ann ran 5 km.", "Ann ran 5  km.")[:6]`` -> [1, 1, 1, 1, 1, 1]."""
    terms = content_terms(claim)
    claim_set = set(terms)
    coverage = 1.0 if claim_set else 0.0
    claim_numbers = numbers(claim)
    missing_numbers = (len(claim_numbers - numbers(quote, spelled=True)) / len(claim_numbers)
                       if claim_numbers else 0.0)
    return np.array([1.0, 1.0, 1.0, coverage, coverage, 1.0 if _pairs(terms) else coverage,
                     math.log1p(len(claim_set)), missing_numbers, 0.0, 0.0, 1.0, 1.0], dtype=np.float64)


def probability(x: np.ndarray) -> float:
    """The learned chance that evidence with measures ``x`` supports its claim (rag/support_weights.py).

    Example: ``0 <= probability(np.zeros(len(FEATURES))) <= 1`` -> True.
    """
    z = (np.asarray(x, dtype=np.float64) - np.asarray(support_weights.MEANS)) / np.asarray(support_weights.SCALES)
    logit = float(z @ np.asarray(support_weights.WEIGHTS) + support_weights.BIAS)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, logit))))


def cut(x: np.ndarray) -> np.ndarray:
    """Whether each row of measures (or the one vector ``x``) is capped: the claim states a number its evidence
    never does, a predicate verb the evidence never states with no evidence token near it
    (TUNING.unstated_verb_match), or a name the evidence never mentions with none near it
    (TUNING.unmatched_name_match). Example: ``cut(np.array(support_weights.MEANS))`` -> False."""
    x = np.asarray(x, dtype=np.float64)
    return ((x[..., FEATURES.index("missing_numbers")] > 0)
            | (x[..., FEATURES.index("unstated_verb")] < TUNING.unstated_verb_match)
            | (x[..., FEATURES.index("unmatched_name")] < TUNING.unmatched_name_match))


def capped(value: float, x: np.ndarray) -> float:
    """``value`` cut by NUMBER_MISMATCH_FACTOR when ``cut(x)``: as everywhere else in the project, a wrong figure is
    never "supported", nor a predicate or a name the evidence never states. Example: ``capped(0.9, x)`` -> 0.36
    for such an ``x``."""
    return value * NUMBER_MISMATCH_FACTOR if bool(cut(x)) else value
