"""Pure typed values: the values of a kind (asked for, see rag.readers.question_kind) that a sentence states,
normalised, so "2.6 trillion yen" and "2,600 billion yen" are one value. Where two texts differ is in
rag.readers.differences. No topic, entity or corpus appears here: only the forms of numbers, dates and names.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from rag.names import WORD_SPAN, name_key, name_runs, same_name  # noqa: F401 (same_name re-exported)
from rag.readers.question_kind import NAME_KINDS
from rag.textspans import STOPWORDS, WORD, without_possessive
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


@dataclass(frozen=True)
class Value:
    """One value stated in a text: ``key`` compares values (normalised), ``text`` is how the text says it,
    ``start``/``end`` its position. Example: ``Value("share", "60", "about 60%", 6, 15)``."""

    kind: str
    key: str
    text: str
    start: int
    end: int


def category_words(text: str, question: str) -> list[tuple[str, int]]:
    """Words of ``text`` that could name a category (not stopwords, not the question's words, not numbers),
    with their positions; a hyphenated word stays whole ("Welsh-language").

    Example: ``category_words("Oaks is a rugby club.", "What sport is Oaks?")`` -> [('rugby', 10), ('club', 16)].
    """
    known = {w.casefold()[:5] for w in WORD.findall(question)}
    out = []
    for m in re.finditer(r"[^\W\d_][\w-]*[^\W\d_]", text):
        word = m.group(0)
        if word.casefold() in STOPWORDS or word.casefold()[:5] in known or len(word) < 3:
            continue
        out.append((word, m.start()))
    return out


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
        number *= _SCALE.get((m.group(2) or "").lower(), 1.0)
        unit = (m.group(3) or "").lower()
        if unit in STOPWORDS or unit in _MONTHS:
            unit = ""
        unit = unit[:-1] if unit.endswith("s") and len(unit) > 3 else unit
        end = m.end() if unit else (m.end(2) if m.group(2) else m.end(1))
        # A rate ("90 people per square mile", "12/km²") is keyed apart from a count: it is another figure.
        rate = unit == "per" or re.match(r"\s*(?:per\b|/)", text[m.end():m.end() + 6]) is not None
        key = f"{_number_key(number)} {unit}".strip() + (" per" if rate and unit != "per" else "")
        out.append(Value("number", key, text[m.start():end], m.start(), end))
    return out


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


# ---- names
def names(text: str, exclude: str = "") -> list[Value]:
    """Runs of capitalised words (people, organisations, places, titles) not counting the sentence's first word
    when it is a common word, and leaving out names the ``exclude`` text (the question) already holds.

    Example: ``[v.text for v in names("The film was directed by Frank Oz in London.")]`` -> ['Frank Oz', 'London'].
    """
    known = {w.casefold()[:5] for w in WORD.findall(exclude)}

    def common(word: str) -> bool:  # a stopword, or a word of the question ("Canadian" ~ "Canada's")
        word = without_possessive(word).casefold()
        return word in STOPWORDS or word[:5] in known

    def question_word(word: str) -> bool:
        word = without_possessive(word).casefold()
        return word not in STOPWORDS and word[:5] in known

    out = []
    for run, run_start, _ in name_runs(text):
        # A run holding the question's own words or a number joins the subject and the value ("Ann Lee Director
        # Blue River 1979"): its pieces between them are the names.
        piece: list[re.Match] = []
        after_question_word = False
        for word in list(WORD_SPAN.finditer(run)) + [None]:
            if word is not None and not (question_word(word.group(0)) or word.group(0).isdigit()):
                piece.append(word)
                continue
            # Words between two of the question's words in one name are that name's middle ("Elm Street Old
            # Mill Bridge" for "the Elm Street Bridge"): the subject, not a value.
            inside = after_question_word and word is not None and question_word(word.group(0))
            value = None if inside else _name_piece(piece, common)
            piece = []
            after_question_word = word is not None and question_word(word.group(0))
            if value is not None:
                start = run_start + value[1]
                out.append(Value("name", name_key(value[0]), value[0], start, start + len(value[0])))
    return out


def _name_piece(piece: list[re.Match], common) -> tuple[str, int] | None:
    """A run's words between question words, common words trimmed at both ends: (name, offset in the run)."""
    while piece and common(piece[0].group(0)):
        piece = piece[1:]
    while piece and common(piece[-1].group(0)):
        piece = piece[:-1]
    words = [w.group(0) for w in piece]
    # An all-capital word longer than an acronym is emphasis ("IGNORE", "URGENT"), not a name.
    if not words or any(w.isupper() and len(w) > 4 for w in words):
        return None
    # A run going on into the next sentence ("by Bo-Ann. It was...", the next sentence's first word trimmed as a
    # common one) ends its name at the full stop, as a run ending the text already does.
    if words[-1].endswith(".") and "." not in words[-1][:-1]:
        words[-1] = words[-1][:-1]
    return " ".join(words), piece[0].start()


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
