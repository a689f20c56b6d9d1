"""Pure: where two texts differ. Two passages that are one text with a few words changed (a planted or edited
copy), the stretch each states, and the values a claim states differently from its passage.

Example: ``differing_spans("The club plays football in Oslo.", "The club plays basketball in Oslo.")``
-> ('football', 'basketball').
"""
from __future__ import annotations

import difflib
import re

from rag.readers.question_kind import FIGURE_KINDS
from rag.readers.values import same_value, values
from rag.textspans import STOPWORDS


def _tokens(text: str) -> list[re.Match]:
    return list(re.finditer(r"\w[\w'’.,-]*\w|\w", text))


class _WordDiff:
    """Two texts' words aligned once (difflib over casefolded tokens): what ``differing_spans`` and
    ``_changed_stretches`` both read, so a pair of passages is compared once."""

    def __init__(self, a: str, b: str) -> None:
        self.a, self.b = a, b
        self.ta, self.tb = _tokens(a), _tokens(b)
        self.wa = [t.group(0).casefold() for t in self.ta]
        self.wb = [t.group(0).casefold() for t in self.tb]
        matcher = difflib.SequenceMatcher(None, self.wa, self.wb, autojunk=False) if self.wa and self.wb else None
        self.ratio = matcher.ratio() if matcher else 0.0
        self.changes = [op for op in matcher.get_opcodes() if op[0] != "equal"
                        and not _respelled(self.wa[op[1]:op[2]], self.wb[op[3]:op[4]])] if matcher else []

    def stretch(self, i1: int, i2: int, j1: int, j2: int) -> tuple[str, str]:
        return self.a[self.ta[i1].start():self.ta[i2 - 1].end()], self.b[self.tb[j1].start():self.tb[j2 - 1].end()]


def differing_spans(a: str, b: str, min_ratio: float = 0.6, max_words: int = 6) -> tuple[str, str] | None:
    """When two sentences are the same but for a short stretch (one swapped a name, a number or a word), the
    stretch each states; None when they are not near-identical or do not differ.

    Example: ``differing_spans("The club plays football in Oslo.", "The club plays basketball in Oslo.")``
    -> ('football', 'basketball').
    """
    return _one_stretch(_WordDiff(a, b), min_ratio, max_words)


def _one_stretch(diff: _WordDiff, min_ratio: float = 0.6, max_words: int = 6) -> tuple[str, str] | None:
    if diff.ratio < min_ratio or not diff.changes:
        return None
    i1, i2 = min(op[1] for op in diff.changes), max(op[2] for op in diff.changes)
    j1, j2 = min(op[3] for op in diff.changes), max(op[4] for op in diff.changes)
    if i2 - i1 > max_words or j2 - j1 > max_words or i2 == i1 or j2 == j1:
        return None
    if not any(w not in STOPWORDS for w in diff.wa[i1:i2]) or not any(w not in STOPWORDS for w in diff.wb[j1:j2]):
        return None
    return diff.stretch(i1, i2, j1, j2)


def swapped_spans(a: str, b: str) -> list[tuple[str, str]]:
    """The stretches two passages swap, best first: ``differing_spans`` of the passages, or else of the stretch
    they share once what only one of them has before or after it is cut (a planted copy of a sentence is often
    followed, in its passage, by a sentence the other lacks); or, for near-copies that changed two short
    stretches ("a Finnish-language series on TV1" against "a Danish-language series on TV2"), each stretch.

    Example: ``swapped_spans("The EP is by Ann Lee.", "The EP is by Bo Chan. It came out in May.")``
    -> [('Ann Lee', 'Bo Chan')].
    """
    diffs = [_WordDiff(x, y) for x, y in [(a, b)] + _aligned_windows(a, b)]
    for diff in diffs:
        spans = _one_stretch(diff)
        if spans is not None:
            return [spans]
    for diff in diffs:
        stretches = _changed_stretches(diff)
        if stretches:
            return stretches
    return []


def _aligned_windows(a: str, b: str) -> list[tuple[str, str]]:
    """The shorter passage against windows of about its length in the longer one, starting where its first
    words are (in the order a, b)."""
    ta, tb = _tokens(a), _tokens(b)
    if len(ta) < 4 or len(tb) < 4:
        return []
    flipped = len(ta) > len(tb)
    (short, long_), (ts, tl) = ((b, a), (tb, ta)) if flipped else ((a, b), (ta, tb))
    ws, wl = [t.group(0).casefold() for t in ts], [t.group(0).casefold() for t in tl]
    first = difflib.SequenceMatcher(None, ws, wl, autojunk=False).get_matching_blocks()[0]
    if first.size < 2 or first.a > 0:
        return []
    out = []
    for extra in (0, 1, -1, 2, -2, 3, -3):
        stop = first.b + len(ts) + extra
        if stop <= first.b + 3 or stop > len(tl) or (first.b, stop) == (0, len(tl)):
            continue
        window = long_[tl[first.b].start():tl[stop - 1].end()]
        out.append((window, short) if flipped else (short, window))
    return out


def _changed_stretches(diff: _WordDiff, min_ratio: float = 0.7, max_words: int = 4,
                       max_changes: int = 2) -> list[tuple[str, str]]:
    """Near-copies (most words the same) that replaced at most two short stretches: each (a's, b's) stretch."""
    changes = diff.changes
    if diff.ratio < min_ratio or not changes or len(changes) > max_changes or \
            any(op[0] != "replace" for op in changes):
        return []
    out = []
    for _, i1, i2, j1, j2 in changes:
        if i2 - i1 > max_words or j2 - j1 > max_words:
            return []
        if any(w not in STOPWORDS for w in diff.wa[i1:i2]) and any(w not in STOPWORDS for w in diff.wb[j1:j2]):
            out.append(diff.stretch(i1, i2, j1, j2))
    return out


def near_copies(a: str, b: str, min_ratio: float = 0.6) -> bool:
    """Whether two passages are one text with a few words changed (most words the same, in the same order).

    Example: ``near_copies("The club plays football in Oslo.", "The club plays basketball in Oslo.")`` -> True.
    """
    wa = [t.group(0).casefold() for t in _tokens(a)]
    wb = [t.group(0).casefold() for t in _tokens(b)]
    return bool(wa and wb) and difflib.SequenceMatcher(None, wa, wb, autojunk=False).ratio() >= min_ratio


def _respelled(a: list[str], b: list[str]) -> bool:
    """A typo or spelling variant, not a different value: same word count, each pair alike letter for letter."""
    return len(a) == len(b) and all(x != y and not any(c.isdigit() for c in x + y)
                                    and difflib.SequenceMatcher(None, x, y).ratio() >= 0.8 for x, y in zip(a, b))


def contradicting_values(claim: str, passage: str) -> list[tuple[str, str]]:
    """Numbers, amounts, shares and dates the claim states that the passage states differently for the same
    kind (a claim and its passage about one thing): (claim's, passage's) pairs.

    Example: ``contradicting_values("Sales rose 12% in 2024.", "Sales rose 9% in 2024.")`` -> [('12%', '9%')].
    """
    out = []
    for kind in (k for k in FIGURE_KINDS if k != "number"):  # the figures written with digits but bare numbers
        mine, theirs = values(claim, kind), values(passage, kind)
        if mine and theirs:
            for v in mine:
                if not any(same_value(v, w) for w in theirs):
                    out.append((v.text, theirs[0].text))
    return out
