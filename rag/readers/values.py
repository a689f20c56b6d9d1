"""Pure typed values: the values of a kind (asked for, see rag.readers.question_kind) that a sentence states,
normalised, so "2.6 trillion yen" and "2,600 billion yen" are one value. Where two texts differ is in
rag.readers.differences; the names a sentence states are read by rag.names (re-exported here). No topic, entity or
corpus appears here: only the forms of numbers and dates.
"""
from __future__ import annotations

import re

from rag.names import name_key, names, same_name  # noqa: F401 (name_key, same_name re-exported)
from rag.readers.question_kind import NAME_KINDS
from rag.types import Value  # noqa: F401 (re-exported: the type of what these readers return)
from rag.textspans import STOPWORDS, stem
from rag.language import (CURRENCY_SIGNS as _CURRENCY_SIGNS, CURRENCY_WORDS as _CURRENCY_WORDS, MONTHS as _MONTHS,
                          SCALE_WORDS as _SCALE)
MONTH_NAME = "(?:" + "|".join(_MONTHS) + ")"  # "january", "jan", "sept": the forms rag.language.MONTHS knows
_MONTH = MONTH_NAME + r"\.?"

_NUM = r"\d+(?:[.,]\d+)*"
# A written date: the day before or after the month, or none ("2 July 1829", "July 2nd, 1829", "July of 1829");
# a three-digit year only with a day ("May 150" is a month and a count).
_DATE_WRITTEN = re.compile(rf"\b(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?)?(?P<month>{_MONTH})"
                           rf"(?:\s+(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?)?,?\s+(?:of\s+)?(?P<year>\d{{3,4}})\b", re.I)
DATE_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
YEAR = re.compile(r"(?<![\d.,$€£¥])\b(1[0-9]\d\d|20\d\d)s?\b(?![.,]\d|\s?%)")
_PERCENT = re.compile(rf"(?<![\d.])({_NUM})\s?(?:%|per\s?cent\b|percentage points?\b)", re.I)
_MONEY = re.compile(rf"([$€£¥₹])\s?({_NUM})(?:\s?(thousand|million|billion|trillion|bn|m|k)\b)?"
                    rf"|\b({_NUM})\s?(thousand|million|billion|trillion|bn)?\s?({'|'.join(_CURRENCY_WORDS)})\b", re.I)
_QUANTITY = re.compile(rf"(?<![\w.$€£¥])({_NUM})(?:\s?(thousand|million|billion|trillion)\b)?"
                       r"(?:\s?([a-zA-Z][a-zA-Z-]{0,14}))?")


# A range's other end after a value ("90% to 60%", "(1848 – 1912)"): the value opens a span, a change or a life.
_RANGE_ON = re.compile(r"\s*(?:to|[–—-])\s*\S*\d")


def opens_range(text: str, end: int) -> bool:
    """Whether the value ending at ``end`` opens a range: another figure follows after "to" or a dash.

    Example: ``opens_range("fell from 90% to 60%", 13)`` -> True; ``opens_range("90% of users", 3)`` -> False.
    """
    return _RANGE_ON.match(text, end) is not None


# ---- numbers
# Thousands separated by commas ("2,600.5") or, in two groups or more, by dots ("1.234.567"; "1.234" is a decimal).
_THOUSANDS = re.compile(r"\d{1,3}(?:(?:,\d{3})+(?:\.\d+)?|(?P<dots>(?:\.\d{3}){2,}))")


def parse_number(text: str) -> float | None:
    """A number as written, thousands separators understood. Example: ``parse_number("2,600.5")`` -> 2600.5."""
    text = text.strip()
    grouped = _THOUSANDS.fullmatch(text)
    if grouped:
        return float(text.replace(".", "") if grouped.group("dots") else text.replace(",", ""))
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


def _number_key(number: float) -> str:
    """Example: ``_number_key(2.6e12)`` -> '2.6e+12'."""
    return f"{float(f'{number:.4g}'):g}"


def shares(text: str) -> list[Value]:
    """Percentages; the old value of "from X% to Y%" is left out.

    Example: ``[v.key for v in shares("fell from 90% to 60 percent")]`` -> ['60'].
    """
    out = []
    for m in _PERCENT.finditer(text):
        after_from = re.search(r"\bfrom\s*$", text[max(0, m.start() - 8):m.start()], re.I)
        if after_from and opens_range(text, m.end()):
            continue
        number = parse_number(m.group(1))
        if number is not None:
            out.append(Value("share", _number_key(number), m.group(0), m.start(), m.end()))
    return out


def money(text: str) -> list[Value]:
    """Amounts of money, scaled and keyed by currency.

    Example: ``[v.key for v in money("2.6 trillion yen, or 2,600 billion yen")]`` -> ['jpy 2.6e+12', 'jpy 2.6e+12'].
    """
    out = []
    for m in _MONEY.finditer(text):
        if m.group(1):
            currency, digits, scale = _CURRENCY_SIGNS[m.group(1)], m.group(2), m.group(3)
        else:
            digits, scale, currency = m.group(4), m.group(5), _CURRENCY_WORDS[m.group(6).lower()]
        number = parse_number(digits)
        if number is None:
            continue
        number *= _SCALE.get((scale or "").lower(), 1.0)
        out.append(Value("money", f"{currency} {_number_key(number)}", m.group(0).strip(), m.start(), m.end()))
    return out


def dates(text: str) -> list[Value]:
    """Dates and years, keyed "YYYY", "YYYY-MM" or "YYYY-MM-DD" (a bare year inside a full date is not repeated).

    Example: ``[v.key for v in dates("born 2 July 1829; moved in May 1850")]`` -> ['1829-07-02', '1850-05'].
    """
    out, taken = [], []

    def add(key: str, m: re.Match) -> None:
        if not any(s <= m.start() < e for s, e in taken):
            out.append(Value("date", key, m.group(0), m.start(), m.end()))
            taken.append((m.start(), m.end()))

    for m in DATE_ISO.finditer(text):
        add(f"{m.group(1)}-{m.group(2)}-{m.group(3)}", m)
    for m in _DATE_WRITTEN.finditer(text):
        day = m.group("day") or m.group("day2")
        month = f"{int(m.group('year')):04d}-{month_number(m.group('month')):02d}"
        if day:
            add(f"{month}-{int(day):02d}", m)
        elif len(m.group("year")) == 4:
            add(month, m)
    for m in YEAR.finditer(text):
        add(m.group(1), m)
    return sorted(out, key=lambda v: v.start)


def month_number(name: str) -> int:
    """Example: ``month_number("Sept.")`` -> 9."""
    return _MONTHS[name.lower().rstrip(".")[:4] if name.lower().startswith("sept") else name.lower().rstrip(".")[:3]]


def quantities(text: str) -> list[Value]:
    """Counts and measures: the number (scaled) with the unit word after it, years and percentages left out.

    Example: ``[v.key for v in quantities("3,559 people and 996 cc")]`` -> ['3559 people', '996 cc'].
    """
    skip = [(v.start, v.end) for v in dates(text) + shares(text)]
    out = []
    for m in _QUANTITY.finditer(text):
        if any(s <= m.start() < e for s, e in skip):
            continue
        number = parse_number(m.group(1))
        if number is None:
            continue
        # A number beside a capitalised month's name is its day ("on Apr. 4 last year", "by 4 May"), not a count.
        if _is_month(text[max(0, m.start() - 12):m.start()].split()[-1:]) or _is_month([m.group(3) or ""]):
            continue
        number *= _SCALE.get((m.group(2) or "").lower(), 1.0)
        word, after = _unit_word(text, m)
        unit = word.lower()
        if unit in STOPWORDS or unit in _MONTHS:
            unit = ""
        unit = unit[:-1] if unit.endswith("s") and len(unit) > 3 else unit
        end = after if unit else (m.end(2) if m.group(2) else m.end(1))
        # A rate ("90 people per square mile", "12/km²") is keyed apart from a count: it is another figure.
        rate = unit == "per" or re.match(r"\s*(?:per\b|/)", text[after:after + 6]) is not None
        key = f"{_number_key(number)} {unit}".strip() + (" per" if rate and unit != "per" else "")
        out.append(Value("number", key, text[m.start():end], m.start(), end))
    return out


def _unit_word(text: str, m: re.Match) -> tuple[str, int]:
    """The word naming what a number counts, and where it ends: the word after the number, or after a capitalised
    one the next lowercase word ("20 Welsh choirs": choirs; a name or a proper adjective says whose, not what)."""
    word, end = m.group(3) or "", m.end()
    if word[:1].isupper() and text[end:end + 1] == " ":
        follower = text[end + 1:].split(maxsplit=1)[:1]
        follower = follower[0].rstrip(".,;:!?)\"'”’") if follower else ""
        if follower.isalpha() and follower.islower() and follower not in STOPWORDS:
            return follower, end + 1 + len(follower)
    return word, end


def _is_month(words: list[str]) -> bool:
    """Whether the one word given is a month's name as written in a date: capitalised ("May 4", not "may rise").
    Example: ``_is_month(["Apr."])`` -> True; ``_is_month(["may"])`` -> False."""
    return bool(words) and words[0][:1].isupper() and words[0].lower().rstrip(".,") in _MONTHS


_ASKS_RATE = re.compile(r"\b(per|rate|density|average|ratio)\b|/", re.I)


def counts_and_measures(text: str, question: str = "") -> list[Value]:
    """Quantities, rates left out unless the question asks for one (a density does not answer "how many").

    Example: ``[v.text for v in counts_and_measures("3,559 people, 90.4 people per square mile", "What is
    the population?")]`` -> ['3,559 people'].
    """
    found = quantities(text)
    if _ASKS_RATE.search(question):
        return found
    return [v for v in found if not v.key.endswith(" per")]


def values(text: str, kind: str, question: str = "") -> list[Value]:
    """Values of ``kind`` stated in ``text`` (names exclude the question's own words).

    Example: ``[v.key for v in values("Revenue hit $2.6 billion.", "money")]`` -> ['usd 2.6e+09'].
    """
    if kind == "share":
        return shares(text)
    if kind == "money":
        return money(text)
    if kind == "date":
        return dates(text)
    if kind == "number":
        return counts_and_measures(text, question)
    if kind in NAME_KINDS:
        return names(text, question)
    return []


def comparable(a: Value, b: Value) -> bool:
    """Whether two values measure the same thing, so that differing they disagree: two counts of one unit (or
    either without one, or with a capitalised word after the number: "20 Acme staff"), any two values of another
    kind. A count of one thing does not contradict a count of another ("7 flavours" and "20 stalls").

    Example: ``comparable(quantities("7 flavours")[0], quantities("20 stalls")[0])`` -> False.
    """
    if a.kind != "number" or b.kind != "number":
        return True
    units = [v.key.split(" ")[1] if " " in v.key else "" for v in (a, b)]
    named = [v.text.split()[-1][:1].isupper() for v in (a, b)]
    if not all(units) or any(named):
        return True
    return stem(units[0])[:5] == stem(units[1])[:5]


def same_value(a: Value, b: Value) -> bool:
    """Whether two values say the same: equal keys, name variants, or a date and a more precise date within it.

    Example: ``same_value(dates("1902")[0], dates("May 1902")[0])`` -> True.
    """
    if a.key == b.key:
        return True
    if a.kind == "date" and b.kind == "date":
        return a.key.startswith(b.key) or b.key.startswith(a.key)
    if a.kind == "name" and b.kind == "name":
        return same_name(a.key, b.key)
    if a.kind == "number" and b.kind == "number":
        na, ua = (a.key.split(" ", 1) + [""])[:2]
        nb, ub = (b.key.split(" ", 1) + [""])[:2]
        return na == nb and (not ua or not ub or ua == ub)
    return False
