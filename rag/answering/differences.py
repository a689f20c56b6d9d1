"""Pure: where two texts differ. Two passages that are one text with a few words changed (a planted or edited
copy), the stretch each states, and the values a claim states differently from its passage.

Example: ``differing_spans("The club plays football in Oslo.", "The club plays basketball in Oslo.")``
-> ('football', 'basketball').
"""
from __future__ import annotations

import difflib
import re

from rag.answering.values import same_value, values
from rag.textspans import STOPWORDS


def _tokens(text: str) -> list[re.Match]:
    return list(re.finditer(r"\w[\w'’.,-]*\w|\w", text))


def differing_spans(a: str, b: str, min_ratio: float = 0.6, max_words: int = 6) -> tuple[str, str] | None:
    """When two sentences are the same but for a short stretch (one swapped a name, a number or a word), the
    stretch each states; None when they are not near-identical or do not differ.

    Example: ``differing_spans("The club plays football in Oslo.", "The club plays basketball in Oslo.")``
    -> ('football', 'basketball').
    """
    ta, tb = _tokens(a), _tokens(b)
    wa, wb = [t.group(0).casefold() for t in ta], [t.group(0).casefold() for t in tb]
    if not wa or not wb:
        return None
    matcher = difflib.SequenceMatcher(None, wa, wb, autojunk=False)
    if matcher.ratio() < min_ratio:
        return None
    changes = [op for op in matcher.get_opcodes() if op[0] != "equal" and not _respelled(wa[op[1]:op[2]], wb[op[3]:op[4]])]
    if not changes:
        return None
    i1, i2 = min(op[1] for op in changes), max(op[2] for op in changes)
    j1, j2 = min(op[3] for op in changes), max(op[4] for op in changes)
    if i2 - i1 > max_words or j2 - j1 > max_words or i2 == i1 or j2 == j1:
        return None
    span_a = a[ta[i1].start():ta[i2 - 1].end()]
    span_b = b[tb[j1].start():tb[j2 - 1].end()]
    if not any(w not in STOPWORDS for w in wa[i1:i2]) or not any(w not in STOPWORDS for w in wb[j1:j2]):
        return None
    return span_a, span_b


def swapped_spans(a: str, b: str) -> tuple[str, str] | None:
    """``differing_spans`` of two passages, or else of the stretch they share once what only one of them has
    before or after it is cut: a planted copy of a sentence is often followed, in its passage, by a sentence the
    other passage lacks, which hides the swap when the passages are compared whole.

    Example: ``swapped_spans("The EP is by Ann Lee.", "The EP is by Bo Chan. It came out in May.")``
    -> ('Ann Lee', 'Bo Chan').
    """
    whole = differing_spans(a, b)
    if whole is not None:
        return whole
    ta, tb = _tokens(a), _tokens(b)
    if len(ta) < 4 or len(tb) < 4:
        return None
    short, long_, flipped = (a, b, False) if len(ta) <= len(tb) else (b, a, True)
    ts, tl = (ta, tb) if not flipped else (tb, ta)
    ws, wl = [t.group(0).casefold() for t in ts], [t.group(0).casefold() for t in tl]
    # Where the shorter text starts in the longer (its first words, matched), then windows of about its length.
    first = difflib.SequenceMatcher(None, ws, wl, autojunk=False).get_matching_blocks()[0]
    if first.size < 2 or first.a > 0:
        return None
    begin = first.b
    for extra in (0, 1, -1, 2, -2, 3, -3):
        stop = begin + len(ts) + extra
        if stop <= begin + 3 or stop > len(tl) or (begin, stop) == (0, len(tl)):
            continue
        spans = differing_spans(short, long_[tl[begin].start():tl[stop - 1].end()])
        if spans is not None:
            return (spans[1], spans[0]) if flipped else spans
    return None


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
    for kind in ("share", "money", "date"):
        mine, theirs = values(claim, kind), values(passage, kind)
        if mine and theirs:
            for v in mine:
                if not any(same_value(v, w) for w in theirs):
                    out.append((v.text, theirs[0].text))
    return out
