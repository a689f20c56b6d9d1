"""Pure: the date a sentence places its event on, relative forms ("on Tuesday", "last April",
"December 4th last year", "on the 7th") resolved against the article's own date. An article without a date of its own is at
least as recent as the latest full date it states: only a day and month named without a year are then
resolved, as the first such day from that date on; other relative forms are left unresolved (never guessed).

Keys are ISO: "2024", "2024-05" or "2024-05-02". Example: ``event_date("On Tuesday the club sold him.",
"2024-05-02")`` -> ('2024-04-30', 'On Tuesday').
"""
from __future__ import annotations

import datetime as dt
import re

from rag.language import WEEKDAYS as _WEEKDAYS
from rag.readers.values import DATE_ISO, MONTH_NAME, dates, month_number as _month

EVENT_DATE_CHARS = 100  # a date this near a sentence's start dates its event (about the first 15 words)
_MONTH = rf"(?P<month>{MONTH_NAME})\.?"
_REL_YEAR = r"(?:,?\s+(?P<rel>last|this|next|previous|the previous|the following) year)?"
_MONTH_DAY = re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\s*\d{{4}}){_REL_YEAR}|"
                        rf"\b(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH.replace('month', 'month2')}"
                        rf"\b(?!,?\s*\d{{4}}){_REL_YEAR.replace('rel', 'rel2')}", re.I)
_MONTH_REL = re.compile(rf"\b(?:(?:early|mid|late|in|since|by|until)[\s-]+)?{_MONTH}\s+(?P<rel>last|this|next) year\b|"
                        rf"\b(?P<rel2>last|this|next) {_MONTH.replace('month', 'month2')}\b(?!\s+\d)", re.I)
# Relative forms: a weekday ("on Tuesday", "last Friday"), a day of the article's month standing alone ("On the
# 7th, ..."; a day after the article's: of the month before; "the 7th floor", "the 20th century" are no dates) and
# the words naming a day, week, month or year from the time of writing.
_RELATIVE = re.compile(rf"\b(?:on |last |this )?(?P<wd>{'|'.join(_WEEKDAYS)})\b|"
                       r"\b(?:on|since|by|until|from)\s+the\s+(?P<day>\d{1,2})(?:st|nd|rd|th)\b(?=\s*[,.;:)]|\s+\(|\s*$)|"
                       r"\b(?P<w>yesterday|today|last year|this year|earlier this year|last month|this month|"
                       r"earlier this month|last week|this week)\b", re.I)


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


_YEAR_PART = re.compile(r"\b(?:(?P<late>end|close|late|latter part|last months?)|(?P<early>start|beginning|early|"
                        r"first months?))\s+of\s+$|\b(?P<late2>late)\s+$|\bearly\s+$", re.I)


def _part_of_year(sentence: str, start: int, key: str) -> str:
    """"the end of 2025" -> '2025-12', "early 2025" / "the start of 2025" -> '2025-01'; other keys unchanged."""
    if len(key) != 4:
        return key
    m = _YEAR_PART.search(sentence[max(0, start - 30):start])
    return key if m is None else key + ("-12" if m.group("late") or m.group("late2") else "-01")


def latest_full_date(text: str) -> str:
    """The latest year-month-day date a text states ("" if none): what an undated article is at least as
    recent as. Example: ``latest_full_date("Opened May 2, 2021; closed 3 June 2022.")`` -> '2022-06-03'."""
    full = [v.key for v in dates(text) if len(v.key) == 10]
    return max(full, default="")


def event_date(sentence: str, anchor: str, estimated: bool = False) -> tuple[str, str] | None:
    """(ISO key, the words that date it) of the first date a sentence states, or None.

    ``anchor``: the article's date (ISO day), or with ``estimated`` the latest full date it states.
    Example: ``event_date("Earlier, on Apr. 4 last year, the law passed.", "2026-01-07")`` -> ('2025-04-04',
    'Apr. 4 last year').
    """
    base = dt.date.fromisoformat(anchor) if DATE_ISO.fullmatch(anchor or "") else None
    found: list[tuple[int, str, str]] = [(v.start, _part_of_year(sentence, v.start, v.key), v.text)
                                         for v in dates(sentence)]
    for m in _MONTH_DAY.finditer(sentence):
        if base is None or any(s <= m.start() < s + len(t) for s, _, t in found):
            continue
        month, day = _month(m.group("month") or m.group("month2")), int(m.group("day") or m.group("day2"))
        rel = (m.group("rel") or m.group("rel2") or "").lower()
        when = _resolve_month_day(base, month, day, rel, estimated)
        if when:
            found.append((m.start(), when.isoformat(), m.group(0).strip()))
    if base is not None and not estimated:
        found += _relative_forms(sentence, base, [(s, len(t)) for s, _, t in found])
    # The event's own date opens the sentence or follows its verb ("On Tuesday, ...", "said Tuesday ..."); a date
    # late in a long sentence dates something it refers to ("... items listed on April 4").
    found = [f for f in found if f[0] <= max(EVENT_DATE_CHARS, len(sentence) // 3)]
    if not found:
        return None
    _, key, words = min(found)
    return key, words


def _year_shift(rel: str) -> int | None:
    """The year a relative year word names against the article's: "last" or "the previous" -1, "next" or "the
    following" +1, "this" 0; None when no such word is said. Example: ``_year_shift("the previous")`` -> -1."""
    if "last" in rel or "previous" in rel:
        return -1
    if "next" in rel or "following" in rel:
        return 1
    return 0 if rel == "this" else None


def _resolve_month_day(base: dt.date, month: int, day: int, rel: str, estimated: bool) -> dt.date | None:
    if estimated:  # at least as recent as ``base``: the first such day from then on
        when = _day(base.year, month, day)
        return when if when and when >= base else _day(base.year + 1, month, day)
    shift = _year_shift(rel)
    if shift is not None:
        return _day(base.year + shift, month, day)
    when = _day(base.year, month, day)  # news reports the recent past: the latest such day up to the article's
    return when if when and when <= base else _day(base.year - 1, month, day)


def _relative_forms(sentence: str, base: dt.date, taken: list[tuple[int, int]]) -> list[tuple[int, str, str]]:
    out = []

    def free(m: re.Match) -> bool:
        return not any(s <= m.start() < s + n for s, n in taken)

    for m in _MONTH_REL.finditer(sentence):
        if not free(m):
            continue
        month = _month(m.group("month") or m.group("month2"))
        rel = (m.group("rel") or m.group("rel2")).lower()
        if m.group("rel2") and rel == "last":  # "last April": the latest April before the article's month
            year = base.year if month < base.month else base.year - 1
        else:
            year = base.year + _year_shift(rel)
        out.append((m.start(), f"{year:04d}-{month:02d}", m.group(0).strip()))
    for m in _RELATIVE.finditer(sentence):
        if not free(m):
            continue
        if m.group("wd"):
            back = (base.weekday() - _WEEKDAYS.index(m.group("wd").lower())) % 7
            out.append((m.start(), (base - dt.timedelta(days=back)).isoformat(), m.group(0).strip()))
            continue
        if m.group("day"):
            day, first = int(m.group("day")), base.replace(day=1)
            month = first if day <= base.day else (first - dt.timedelta(days=1)).replace(day=1)
            when = _day(month.year, month.month, day)
            if when:
                out.append((m.start(), when.isoformat(), m.group(0).strip()))
            continue
        word = m.group("w").lower()
        if word in ("yesterday", "today"):
            key = (base - dt.timedelta(days=word == "yesterday")).isoformat()
        elif "week" in word:
            key = (base - dt.timedelta(days=7 * (word == "last week"))).isoformat()[:7]
        elif "month" in word:
            key = (base.replace(day=1) - dt.timedelta(days=1)).isoformat()[:7] if word == "last month" \
                else base.isoformat()[:7]
        else:
            key = str(base.year - (word == "last year"))
        out.append((m.start(), key, m.group(0).strip()))
    return out
