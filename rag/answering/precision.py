"""Pure: a date side of a disagreement said as precisely as its own files state it ("1916" -> "2 April 1916"),
without taking another event's day of the same year. Example: see ``precise_dates``."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rag.readers.values import Value, dates, opens_range, same_value

if TYPE_CHECKING:
    from rag.answering.sides import Passage, Side


def precise_dates(sides: list[Side], passages: list[Passage]) -> None:
    """Each date side said as precisely as its own files state it: "1916" becomes "2 April 1916" when a passage
    of one of its files gives that day (the best-scoring such passage is cited too). A file stating two
    different days of the side's year leaves it as it is.

    Example: side 1848 (file a), passage of a "Ann Lee (9 July 1848 - 1912) was..." -> the side reads 9 July 1848.
    """
    for side in sides:
        if side.key is None or side.key.kind != "date":
            continue
        finer = [(p, v) for p in passages if p.source in side.sources
                 for v in dates(p.text) if len(v.key) > len(side.key.key) and same_value(side.key, v)
                 and (p.id in side.ids or _in_range(p.text, v))]
        if not finer:
            continue
        passage, value = max(finer, key=lambda pv: (len(pv[1].key), pv[0].score))
        if not all(value.key.startswith(v.key) for _, v in finer):
            continue  # two different days of that year
        side.value, side.key = value.text, value
        if passage.id not in side.ids:
            side.ids.append(passage.id)


def _in_range(text: str, value: Value) -> bool:
    """Whether a date opens or closes a span ("(9 July 1848 – 25 July 1912)"): a life or a term, so its day is
    the event's own, not another event's of that year ("died in 1566 and was buried on 11 July 1566").

    Example: ``_in_range("Ann Lee (9 July 1848 – 1912)", dates("Ann Lee (9 July 1848 – 1912)")[0])`` -> True.
    """
    return bool(opens_range(text, value.end)
                or re.search(r"\d\S*\s*[–—-]\s*$", text[:value.start]))
