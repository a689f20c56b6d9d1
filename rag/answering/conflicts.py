"""Pure conflict detection: different values for the same thing in passages from different files."""
from __future__ import annotations

import re
from collections import defaultdict

_PERCENT = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d+)?)\s?(?:%|percent\b)")
_TITLE_NAME = re.compile(r"\bPrime Minister\s+((?:[A-Z][a-z]+)(?:\s+[A-Z][a-z]+)?)")
_CABINET_NAME = re.compile(r"\b([A-Z][a-z]+\s+[A-Z][a-z]+)\s+(?:cabinet|government|administration|team)\b")


def percentages(text: str) -> list[str]:
    """Percentages stated in a text. Example: ``percentages("from 90% to 60 percent")`` -> ['90%', '60%']."""
    return [f"{m.group(1)}%" for m in _PERCENT.finditer(text)]


def leader_names(text: str) -> list[str]:
    """Names given as a prime minister or as the head of a cabinet.

    Example: ``leader_names("Prime Minister Sanae Takaichi said")`` -> ['Sanae Takaichi'].
    """
    names = [m.group(1) for m in _TITLE_NAME.finditer(text)]
    names += [m.group(1) for m in _CABINET_NAME.finditer(text)]
    return names


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


def find_conflict(question: str, passages: list[tuple[int, str, str]]) -> tuple[str, list[tuple[str, list[int]]]] | None:
    """Given (marker, source, text) of relevant cited passages, the topic and each differing value with the
    markers that state it, or None when the files agree (or say nothing comparable).

    Example: ``find_conflict("What share...?", [(1, "a", "about 60%"), (2, "b", "about 58%")])``
    -> ('share', [('60%', [1]), ('58%', [2])]).
    """
    topic = topic_of(question)
    if topic is None:
        return None
    extract = leader_names if topic == "leader" else percentages
    by_value: dict[str, list[int]] = defaultdict(list)
    sources_of: dict[str, set[str]] = defaultdict(set)
    for marker, source, text in passages:
        values = extract(text)
        if topic == "share" and len(values) > 1:
            values = values[-1:]  # "from 90% to 60%": the current figure is the last one
        for value in values:
            key = value
            if topic == "leader":
                key = next((k for k in by_value if _same_person(k, value)), value)
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
