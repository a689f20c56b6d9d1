"""An answer's citations: [n] markers parsed out of model output and drafts, the text split into sentences with
their markers, the markers numbered in order of first use (the pure readers of claims are rag.readers.claims)."""
from __future__ import annotations

import re
from dataclasses import replace

from rag.readers.claims import strip_markers
from rag.readers.llm_markers import BOXED, BOXED_PATTERN, numbers_in
from rag.textspans import close_punctuation, sentence_spans, single_spaced, words
from rag.types import Citation

_TRAILING_RUN = re.compile(rf"([.!?])((?:[ \t]*{BOXED_PATTERN})+)", re.IGNORECASE)


def parse_markers(text: str, n_sources: int) -> tuple[str, list[int], list[int]]:
    """Strip ``[n]`` / ``[n, m]`` / ``[n-m]`` markers from a sentence; keep in-range ones (1..n_sources) in order
    of appearance, and report the dropped ones.

    Example: ``parse_markers("Sales rose [1][7].", 3)`` -> ('Sales rose.', [1], [7]).
    """
    kept: list[int] = []
    dropped: list[int] = []
    clean = text
    # Removing a marker can join its neighbours into a new one ("[[9]9]" -> "[9]"): repeat until none is left
    # (each pass removes at least one character, so this ends).
    while BOXED.search(clean):
        for marker in BOXED.finditer(clean):
            for n in numbers_in(marker.group(1)):
                target = kept if 1 <= n <= n_sources else dropped
                if n not in target:
                    target.append(n)
        clean = strip_markers(clean)
    clean = close_punctuation(clean)
    return single_spaced(clean).strip(), kept, dropped  # a sentence: no line breaks


def answer_sentences(text: str) -> list[str]:
    """Split model output into sentences, keeping each sentence's trailing markers with it.

    Example: ``answer_sentences("A is b [1]. C is d.[2]")`` -> ['A is b [1].', 'C is d[2].'].
    """
    moved = _TRAILING_RUN.sub(r"\2\1", text)
    return [moved[s.start:s.end] for s in sentence_spans(moved)]


def is_refusal(text: str, phrase: str) -> bool:
    """Whether model output contains the fixed refusal phrase, ignoring case, markers, punctuation and spacing.

    Example: ``is_refusal("the sources do NOT answer this question [1]", "The sources do not answer this question.")``
    -> True.
    """
    def norm(s: str) -> str:
        return " ".join(words(BOXED.sub(" ", s)))

    target = norm(phrase)
    return bool(target) and target in norm(text)


class Numbering:
    """An answer's citations keyed by their span (source, start, end), numbered 1.. in order of first use: every
    answerer numbers its markers so. Example: ``Numbering([c1]).marker_of(c2)`` -> 2 when c2 quotes another span,
    1 when it quotes c1's."""

    def __init__(self, citations=()) -> None:
        self.citations: list[Citation] = list(citations)
        self._where = {(c.source, c.start, c.end): c.marker for c in self.citations}

    def marker_of(self, c: Citation) -> int:
        key = (c.source, c.start, c.end)
        if key not in self._where:
            self._where[key] = len(self.citations) + 1
            self.citations.append(replace(c, marker=self._where[key]))
        return self._where[key]


def first_use_order(marker_lists: list[list]) -> dict:
    """New numbers 1.. for keys in order of first use. Example: ``first_use_order([["b"], ["a", "b"]])``
    -> {'b': 1, 'a': 2}."""
    order: dict = {}
    for keys in marker_lists:
        for key in keys:
            order.setdefault(key, len(order) + 1)
    return order
