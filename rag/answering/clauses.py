"""Pure: the clause of a sentence that holds a value (between semicolons, commas, brackets, "but"/"and"), whole
or read up to the value: what a value's relevance to a question is judged on.
Example: ``clause_around("Sales fell 3% in May; exports are 40% of sales.", 35)`` -> ' exports are 40% of sales.'.
"""
from __future__ import annotations

import re

from rag.readers.values import Value
from rag.textspans import LETTERS

BREAKS = re.compile(r"[;:()]|,\s|\s(?:but|while|whereas|and)\s")


def clause_around(text: str, pos: int, until: int = 0) -> str:
    """The clause of ``text`` around ``pos``, reaching at least ``until`` (a value's end: "March 16, 1818" is
    one value, not cut at its comma). Example: ``clause_around("a 5%, but b 6%", 12)`` -> ' b 6%'."""
    starts = [m.end() for m in BREAKS.finditer(text, 0, pos)]
    end = BREAKS.search(text, max(pos, until))
    return text[(starts[-1] if starts else 0):(end.start() if end else len(text))]


def clause_head(text: str, value: Value) -> str:
    """The clause of ``text`` holding ``value``, up to the value's end.

    Example: ``clause_head("The hall was built in 1928 as the third on the site.", dates("... 1928")[0])`` reads
    'The hall was built in 1928'.
    """
    starts = [m.end() for m in BREAKS.finditer(text, 0, value.start)]
    start = starts[-1] if starts else 0
    # A value opening its clause has no words of its own before it: the whole clause is what says it.
    if sum(1 for run in LETTERS.findall(text, start, value.start) if len(run) >= 2) < 2:
        return clause_around(text, value.start, value.end)
    return text[start:value.end]
