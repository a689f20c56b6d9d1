"""Pure conflict detection: different values for the same thing in passages from different files."""
from __future__ import annotations

import re
from collections import defaultdict

_PERCENT = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d+)?)\s?(?:%|percent\b)")
_TITLE_NAME = re.compile(r"\bPrime Minister\s+((?:[A-Z][a-z]+)(?:\s+[A-Z][a-z]+)?)")
_CABINET_NAME = re.compile(r"\b([A-Z][a-z]+\s+[A-Z][a-z]+)\s+(?:cabinet|government|administration|team)\b")


_FROM_TO = re.compile(r"from\s+(\d{1,3}(?:\.\d+)?)\s?(?:%|percent)\s+to\s+\d", re.I)


def percentages(text: str) -> list[tuple[str, int]]:
    """Percentages stated as current values, with their positions; the old value of "from X% to Y%" is left out.

    Example: ``[v for v, _ in percentages("from 90% to 60 percent, about 5%")]`` -> ['60%', '5%'].
    """
    old = {m.start(1) for m in _FROM_TO.finditer(text)}
    return [(f"{m.group(1)}%", m.start()) for m in _PERCENT.finditer(text) if m.start(1) not in old]


def leader_names(text: str) -> list[tuple[str, int]]:
    """Names given as a prime minister or as the head of a cabinet, with their positions.

    Example: ``leader_names("Prime Minister Sanae Takaichi said")`` -> [('Sanae Takaichi', 15)].
    """
    names = [(m.group(1), m.start(1)) for m in _TITLE_NAME.finditer(text)]
    names += [(m.group(1), m.start(1)) for m in _CABINET_NAME.finditer(text)]
    return names


_CLAUSE_BREAKS = (",", ";", " but ", " while ", " whereas ")


def clause_around(text: str, pos: int) -> str:
    """The clause of ``text`` holding position ``pos``. Example: ``clause_around("a 5%, but b 6%", 12)`` -> 'b 6%'."""
    start = max(text.rfind(b, 0, pos) + (len(b) if text.rfind(b, 0, pos) >= 0 else 0) for b in _CLAUSE_BREAKS)
    ends = [i for i in (text.find(b, pos) for b in _CLAUSE_BREAKS) if i != -1]
    return text[max(0, start):min(ends + [len(text)])].strip()


def _same_person(a: str, b: str) -> bool:
    return bool(set(a.split()) & set(b.split()))


def topic_of(question: str) -> str | None:
    """Which comparable value a question asks for. Example: ``topic_of("Who is Japan's prime minister?")`` -> 'leader'."""
    q = question.lower()
    if re.search(r"prime minister|premier|who (leads|heads|governs)|head of (the )?government|cabinet", q):
        return "leader"
    if re.search(r"\bshare\b|percent|%|proportion|how much of|what fraction|how dependent|dependence|rely|reliant", q):
        return "share"
    return None


def find_conflict(question: str, passages: list[tuple[int, str, str]],
                  relevance=None) -> tuple[str, list[tuple[str, list[int]]]] | None:
    """Given (marker, source, text) of relevant cited passages, the topic and each differing value with the
    markers that state it, or None when the files agree (or say nothing comparable).

    ``relevance(clauses) -> scores`` scores the clauses stating values against the question; values whose clause
    scores well under the best one are about something else ("from 90% to 60%, but remains nearly 100% reliant
    ... for dysprosium": the 100% answers another question) and are not compared. A value already accepted
    from one file is also accepted from another at a lower bar (it corroborates, it does not disagree).

    Example: ``find_conflict("What share...?", [(1, "a", "about 60%"), (2, "b", "about 58%")])``
    -> ('share', [('60%', [1]), ('58%', [2])]).
    """
    topic = topic_of(question)
    if topic is None:
        return None
    extract = leader_names if topic == "leader" else percentages
    by_value: dict[str, list[int]] = defaultdict(list)
    sources_of: dict[str, set[str]] = defaultdict(set)
    stated = [(marker, source, value, clause_around(text, pos))
              for marker, source, text in passages for value, pos in extract(text)]
    # The relevance bar only removes values, so without two different values in two different files there is
    # nothing to compare: skip scoring (each new clause is a model pass, most of a share question's time).
    if not any(a[2] != b[2] and a[1] != b[1] for i, a in enumerate(stated) for b in stated[i + 1:]):
        return None
    clauses = list(dict.fromkeys(s[3] for s in stated))
    score_of = dict(zip(clauses, relevance(clauses))) if relevance else {}
    found = [(marker, source, value, score_of.get(clause, 1.0)) for marker, source, value, clause in stated]
    top = max(f[3] for f in found)
    accepted = {value for _, _, value, score in found if score >= top * 0.8}
    for marker, source, value, score in found:
        # Names found by "Prime Minister X" / "X cabinet" are specific enough to need no relevance bar.
        if topic != "leader" and score < top * 0.8 and not (value in accepted and score >= top * 0.4):
            continue
        key = value
        if topic == "leader":
            key = next((k for k in by_value if _same_person(k, value)), value)
            if len(value) > len(key):  # keep the fullest form: "Sanae Takaichi" over "Takaichi"
                by_value[value] = by_value.pop(key)
                sources_of[value] = sources_of.pop(key)
                key = value
        if marker not in by_value[key]:
            by_value[key].append(marker)
        sources_of[key].add(source)
    if len(by_value) < 2:
        return None
    # A disagreement needs two values that no single file states together.
    keys = list(by_value)
    differing = any(not (sources_of[a] & sources_of[b]) for i, a in enumerate(keys) for b in keys[i + 1:])
    if not differing:
        return None
    return topic, [(value, sorted(markers)) for value, markers in by_value.items()]
