"""Pure citation helpers: parse [n] markers, split answer text into sentences, score support."""
from __future__ import annotations

import re

from rag.textspans import content_terms, sentence_spans

_MARKER_RUN = re.compile(r"(?:\s*\[\s*\d+(?:\s*[,;]\s*\d+)*\s*\])+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def parse_markers(text: str, n_sources: int) -> tuple[str, list[int], list[int]]:
    """Strip ``[n]`` / ``[n, m]`` markers from a sentence; keep in-range ones (1..n_sources), report dropped.

    Example: ``parse_markers("Tokyo rose [1][7].", 3)`` -> ('Tokyo rose.', [1], [7]).
    """
    kept: list[int] = []
    dropped: list[int] = []
    for run in _MARKER_RUN.finditer(text):
        for number in re.findall(r"\d+", run.group(0)):
            n = int(number)
            target = kept if 1 <= n <= n_sources else dropped
            if n not in target:
                target.append(n)
    clean = _MARKER_RUN.sub("", text)
    clean = re.sub(r"\s+([.,;:!?])", r"\1", clean)
    return re.sub(r"\s{2,}", " ", clean).strip(), kept, dropped


def answer_sentences(text: str) -> list[str]:
    """Split model output into sentences, keeping each sentence's trailing markers with it.

    Example: ``answer_sentences("A is b [1]. C is d [2].")`` -> ['A is b [1].', 'C is d [2].'].
    """
    moved = re.sub(r"([.!?])((?:\s*\[\s*\d+(?:\s*[,;]\s*\d+)*\s*\])+)", r"\2\1", text)
    return [moved[s.start:s.end] for s in sentence_spans(moved)]


def numbers(text: str) -> set[str]:
    """Numbers in a text, normalised. Example: ``numbers("58% and 2,600")`` -> {'58', '2600'}."""
    return {n.replace(",", "") for n in _NUMBER.findall(text)}


def token_support(claim: str, passage: str) -> float:
    """Share of the claim's content words found in the passage. Example: ``token_support("red fox", "a red fox")`` -> 1.0."""
    claim_terms = set(content_terms(claim))
    if not claim_terms:
        return 0.0
    return len(claim_terms & set(content_terms(passage))) / len(claim_terms)


def support_score(claim: str, passage: str, cosine: float) -> float:
    """How well ``passage`` supports ``claim``: half embedding cosine, half content-word containment,
    halved when the claim states a number the passage does not contain.

    Example: ``support_score("Sales rose 5%", "Sales rose 5% in May", 0.9)`` -> 0.95.
    """
    score = 0.5 * max(0.0, cosine) + 0.5 * token_support(claim, passage)
    if numbers(claim) - numbers(passage):
        score *= 0.5
    return score
