"""Whether the retrieved evidence answers the question, decided on what the best candidate sentences state: named
measures of the question's reading against them (is a value of the asked kind stated? the question's names and
year? the words of what is asked?) and how well the best ones score, combined by a logistic regression whose
constants live in rag/abstain_weights.py (written by ``python -m bench.answer_fit --write``, fitted with the
development sets' unanswerable questions and on-topic passages that do not answer).

A second small model rather than one: the answer scorer ranks sentences within a question (a per-question
softmax: its scores say nothing across questions), this one judges a question's whole evidence, and the two are
fitted on different rows (sentences; questions). It declines beside the relevance bar (rag.answer_features.
relevance), not instead of it: no learned combination matched that bar on MultiHop-RAG's null queries at the
same rate of answerable questions declined (``python -m bench.answer_fit`` prints both).
"""
from __future__ import annotations

import functools
import math
import statistics

import numpy as np

from rag import abstain_weights
from rag.answer_features import FEATURES as ANSWER_FEATURES, VALUE_KINDS, kind_stated
from rag.readers.abstain import entities
from rag.readers.question_kind import asked_kind, asked_predicate
from rag.readers.values import dates
from rag.textspans import content_terms, words
from rag.tuning import TUNING

FEATURES = (
    "best_logit",          # the answer scorer's score for the best sentence
    "top3_logit",          # ... mean of the best three
    "best_cosine",         # the best sentence cosine to the question
    "best_coverage",       # the best idf coverage of the question (with the sentence before)
    "kind_stated_top",     # a value of the asked kind in one of the best three sentences
    "kind_missing_top",    # a kind is asked and none of the best three states one
    "names_missing",       # share of the question's names none of the best five sentences states
    "year_missing",        # the question names a year none of the best five states
    "predicate_coverage",  # share of what is asked (the question without its names) the best three state
    "files_near_best",     # log(1 + files with a sentence within one unit of the best score)
    "score_gap",           # the best score over the median candidate's: does one sentence stand out?
    "cosine_gap",          # ... the same for the cosine
    "answer_shape",        # best share of what is asked stated beside a value of the asked kind, in one sentence
) + tuple(f"top_{name}" for name in ANSWER_FEATURES)  # the best sentence's own answer features


def names_missing(question: str, texts: list[str]) -> float:
    """Share of the question's names (capitalised runs after its first word) whose last word none of ``texts``
    states. Example: ``names_missing("Where did Ann Lee play?", ["Lee played in Oslo."])`` -> 0.0."""
    found = entities(question)
    if not found:
        return 0.0
    stated = {w for text in texts for w in words(text)}
    return sum(not (words(name) and words(name)[-1] in stated) for name in found) / len(found)


def year_missing(question: str, texts: list[str]) -> bool:
    """The question names a year that none of ``texts`` states.
    Example: ``year_missing("Who won in 2019?", ["She won in 2018."])`` -> True."""
    years = _years(question)
    if not years:
        return False
    return not any(years & _years(text) for text in texts)


@functools.lru_cache(maxsize=1 << 14)
def _years(text: str) -> frozenset:
    return frozenset(v.key[:4] for v in dates(text))  # every date key opens with its four-digit year


def predicate_coverage(question: str, texts: list[str]) -> float:
    """Best share of what is asked (the question's content words other than its names) one text states.
    Example: ``predicate_coverage("When was the Oak Hall built?", ["The hall was built in 1901."])`` -> 1.0."""
    asked = set(content_terms(asked_predicate(question)))
    if not asked:
        return 0.0
    return max((len(asked & set(content_terms(t))) / len(asked) for t in texts), default=0.0)


def answer_shape(question: str, kind: str | None, texts: list[str]) -> float:
    """Best share of what is asked (``predicate_coverage``) that one text states together with a value of the
    asked kind (any text, when no kind is asked). Example: ``answer_shape("When was the Oak Hall built?", "date",
    ["The hall was built in 1901.", "The hall was built of oak."])`` -> 1.0; without the first text, 0.0."""
    return predicate_coverage(question, [t for t in texts if kind not in VALUE_KINDS or kind_stated(t, kind, question)])


def question_features(question: str, texts: list[str], logits: list[float], cosines: list[float],
                      coverages: list[float], sources: list[str], best_row: np.ndarray | None = None) -> np.ndarray:
    """The FEATURES row of a question's candidate sentences (eligible answers, best score first; ``best_row``:
    the best one's answer features).

    Example: ``question_features("Who?", [], [], [], [], [])[0]`` -> -10.0 (no sentence at all)."""
    if not texts:
        return np.concatenate([[-10.0, -10.0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0], np.zeros(len(ANSWER_FEATURES))])
    kind = asked_kind(question)
    top = texts[:TUNING.abstain_top]
    stated = any(kind_stated(t, kind, question) for t in top)
    best = logits[0]
    near = {s for s, z in zip(sources, logits) if z >= best - 1.0}
    return np.array([
        best, statistics.fmean(logits[:TUNING.abstain_top]), max(cosines), max(coverages),
        stated, kind in VALUE_KINDS and not stated,
        names_missing(question, texts[:TUNING.abstain_names_top]), year_missing(question, texts[:TUNING.abstain_names_top]),
        predicate_coverage(question, top), math.log1p(len(near)),
        best - statistics.median(logits), max(cosines) - statistics.median(cosines),
        answer_shape(question, kind, texts[:TUNING.abstain_names_top]),
    ] + list(np.zeros(len(ANSWER_FEATURES)) if best_row is None else best_row), dtype=np.float64)


def of_candidates(question: str, ranked: list) -> np.ndarray:
    """``question_features`` of Candidates (rag.answering.extractive) ranked best first."""
    return question_features(question, [c.text for c in ranked], [c.logit for c in ranked],
                             [c.cosine for c in ranked], [c.lexical for c in ranked],
                             [c.chunk.source for c in ranked], ranked[0].features if ranked else None)


def probability(x: np.ndarray) -> float:
    """The learned chance that the evidence answers (rag/abstain_weights.py).
    Example: ``0 <= probability(np.zeros(len(FEATURES))) <= 1`` -> True."""
    z = (np.asarray(x, dtype=np.float64) - np.asarray(abstain_weights.MEANS)) / np.asarray(abstain_weights.SCALES)
    logit = float(z @ np.asarray(abstain_weights.WEIGHTS) + abstain_weights.BIAS)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, logit))))
