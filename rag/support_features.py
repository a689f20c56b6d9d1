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
- the shares of the claim's numbers and names that the evidence never states; the claim's length.
"""
from __future__ import annotations

import math

import numpy as np

from rag.readers.claims import (NUMBER_MISMATCH_FACTOR, missing_names, names, numbers, strip_markers,
                                     token_support)
from rag.textspans import STOPWORDS, WORD, content_terms
from rag import support_weights

FEATURES = ("token_recall", "span_cosine", "whole_cosine", "span_coverage", "whole_coverage", "pair_coverage",
            "claim_length", "missing_numbers", "missing_names")


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


def token_recall(claim_tokens: np.ndarray, evidence_tokens: list[np.ndarray]) -> float:
    """Mean over the claim's tokens (rows, L2-normalised) of the best cosine with any evidence token.

    Example: ``token_recall(np.eye(2), [np.eye(2)[:1]])`` -> 0.5.
    """
    if len(claim_tokens) == 0 or not any(len(t) for t in evidence_tokens):
        return 0.0
    best = np.max(claim_tokens @ np.concatenate([t for t in evidence_tokens if len(t)]).T, axis=1)
    return float(np.mean(best))


def _pairs(terms: list[str]) -> set[tuple[str, str]]:
    return set(zip(terms, terms[1:]))


def features(claim: str, quotes: list[str], cosines: list[float], whole: str, whole_cosine: float,
             recall: float) -> np.ndarray:
    """The measures named in FEATURES for a (clean) claim, its candidate quotes with their cosines, the whole
    evidence and its cosine, and the token recall.

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
                     math.log1p(len(claim_set)), missing_numbers, 0.0], dtype=np.float64)


def probability(x: np.ndarray) -> float:
    """The learned chance that evidence with measures ``x`` supports its claim (rag/support_weights.py).

    Example: ``0 <= probability(np.zeros(len(FEATURES))) <= 1`` -> True.
    """
    z = (np.asarray(x, dtype=np.float64) - np.asarray(support_weights.MEANS)) / np.asarray(support_weights.SCALES)
    logit = float(z @ np.asarray(support_weights.WEIGHTS) + support_weights.BIAS)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, logit))))


def capped(value: float, x: np.ndarray) -> float:
    """``value`` cut by NUMBER_MISMATCH_FACTOR when the claim states a number its evidence never does: as
    everywhere else in the project, a wrong figure is never "supported". Example: ``capped(0.9, x)`` -> 0.36
    for such an ``x``."""
    return value * NUMBER_MISMATCH_FACTOR if x[FEATURES.index("missing_numbers")] > 0 else value
