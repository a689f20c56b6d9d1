"""Citation markers as a small model actually writes them, brought to one form before an answer is checked.

A model told to write ``[2]`` also writes ``[2, 3]``, ``[Source 2]``, ``(2)``, ``【2】``, ``[^2]``, ``Source 2: ...``
or "according to source 2, ...". ``canonical`` rewrites every such marker as ``[2]`` / ``[2][3]`` (numbers
1..n only) and reports the numbers outside 1..n, which name passages that were never given. A bare number in
round brackets is read as a marker only when every number in it is in range: "(2025)" stays text.
"""
from __future__ import annotations

import re

from rag.textspans import close_punctuation, sentence_spans, single_spaced

_NUM = r"\d{1,4}"
_LIST = rf"{_NUM}(?:\s*(?:,|;|-|\u2013|and|&)\s*(?:#|[Ss](?:ources?|entences?|ent\.?)?\s*)?{_NUM})*"
_WORD = r"(?:sources?|sentences?|passages?|refs?|references?|citations?|s)"  # "s" as in [S2]
# Square, lenticular or full-width brackets: a number in them is always a marker (in range or not).
# The one recogniser of a bracketed marker (rag.answering.citations parses answers and drafts with it too,
# rag.readers.claims strips it from a claim).
BOXED_PATTERN = (rf"(?:\[\^?|\u3010|\uff3b)\s*(?:{_WORD}\s*)?#?\s*({_LIST})\s*(?:\u2020[^\]\u3011]*)?"
                 rf"(?:\]|\u3011|\uff3d)")
BOXED = re.compile(BOXED_PATTERN, re.IGNORECASE)
# Round brackets: "(Source 2)" always; "(2)" or "(2, 3)", with no word, only when every number is in range.
_ROUND = re.compile(rf"\(\s*(?P<named>(?:see\s+)?{_WORD}\s*#?\s*)?({_LIST})\s*\)", re.IGNORECASE)
# Prose: "According to source 2, ..." / "Source 2: ..." / "..., as source 2 says." / "in sentences 1 and 3".
_LEAD = re.compile(rf"(?im)((?:^|(?<=[.!?]))\s*(?:[-*\u2022]\s*)?)"
                   rf"(?:according\s+to|per|from|as\s+(?:stated|said|reported)\s+in|in)?"
                   rf"\s*{_WORD}\s*#?\s*({_LIST})\s*(?:[:,\-\u2013\u2014]\s*)")
_INLINE = re.compile(rf"\s*,?\s*\b(?:according\s+to|as\s+(?:stated|said|reported|noted)\s+in|per|see|in|from)?"
                     rf"\s*(?<![\w-])(?:sources?|sentences?|passages?)\s+#?({_LIST})\b(?:\s+(?:says?|states?))?",
                     re.IGNORECASE)
_MAX_RANGE = 20


def numbers_in(listed: str) -> list[int]:
    """The numbers a marker body names, ranges expanded.
    Example: ``numbers_in("1, 3-5 and 7")`` -> [1, 3, 4, 5, 7]."""
    out: list[int] = []
    bounds: list[int] = []  # the numbers of one item: a number, or a range's two ends ("3-5", "3-S5")
    for token in re.findall(r"\d+|[,;&]|and", listed) + [","]:
        if token[0] not in ",;&a":
            bounds.append(int(token))
            continue
        if bounds:
            first, last = bounds[0], bounds[-1]
            span = range(first, last + 1) if 0 <= last - first < _MAX_RANGE else [first, last]
            out.extend(n for n in span if n not in out)
        bounds = []
    return out


def canonical(text: str, n: int) -> tuple[str, list[int]]:
    """``text`` with every marker written as ``[k]`` runs (1 <= k <= n), and the out-of-range numbers dropped.

    Example: ``canonical("Ann won (2). Per source 3, Bob lost [Source 1, 9].", 3)``
    -> ('Ann won [2]. Bob lost [3] [1].', [9]).
    """
    dropped: list[int] = []

    def boxed(numbers: list[int]) -> str:
        dropped.extend(k for k in numbers if not 1 <= k <= n and k not in dropped)
        kept = [k for k in numbers if 1 <= k <= n]
        return "".join(f"[{k}]" for k in dict.fromkeys(kept))

    def round_brackets(match: re.Match) -> str:
        numbers = numbers_in(match.group(2))
        trusted = match.group("named") or (numbers and all(1 <= k <= n for k in numbers))
        return boxed(numbers) if trusted else match.group(0)

    text = BOXED.sub(lambda m: boxed(numbers_in(m.group(1))), text)
    text = _ROUND.sub(round_brackets, text)
    lead: list[str] = []

    def leading(match: re.Match) -> str:
        lead.append(boxed(numbers_in(match.group(2))))
        return match.group(1) + "\x00"  # where the sentence starts: its markers go to its end below

    text = _LEAD.sub(leading, text)
    text = _INLINE.sub(lambda m: " " + boxed(numbers_in(m.group(1))), text)
    for markers in lead:
        start = text.index("\x00")
        end = _sentence_end(text, start)
        text = text[:start] + _capital(text[start + 1:end]) + markers + text[end:]
    text = close_punctuation(text)
    text = re.sub(r"(?<=\S)(\[\d)", r" \1", text).replace("] [", "][")  # "a[1] [2]" -> "a [1][2]"
    return single_spaced(text).strip(), dropped


def _sentence_end(text: str, start: int) -> int:
    # Where the sentence opening at ``start`` ends, before its closing punctuation (rag.textspans splits it).
    first = sentence_spans(text, start + 1, most=1)
    end = first[0].end if first else len(text)
    while end > start + 1 and text[end - 1] in ".!?":
        end -= 1
    return end


def _capital(text: str) -> str:
    stripped = text.lstrip()
    return text[:len(text) - len(stripped)] + stripped[:1].upper() + stripped[1:]
