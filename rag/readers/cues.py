"""Pure: two cues of what a question asks for that its words alone miss in a sentence.

- A period relative to the time of writing: "the year before", "the preceding year", "last year" and "a year
  earlier" all name the year before; a question asking about it is answered by a sentence naming that period,
  whichever words the article chose.
- Several things: "What other measures ...?", "Which players ...?" ask for a list, answered by a sentence that
  enumerates ("A, B and C").
"""
from __future__ import annotations

import re
from rag.language import AUXILIARIES as _VERB_AFTER_WH

_UNIT = r"(year|month|week|day|decade|quarter|season)"
_BEFORE = re.compile(rf"\b(?:(?:the )?(?:last|previous|preceding|prior) {_UNIT}|the {_UNIT} (?:before|earlier)|"
                     rf"(?:a|one) {_UNIT} (?:earlier|before|ago)|(?:the )?{_UNIT} before)\b", re.I)
_AFTER = re.compile(rf"\b(?:(?:the )?(?:next|following|coming|subsequent) {_UNIT}|the {_UNIT} (?:after|later)|"
                    rf"(?:a|one) {_UNIT} (?:later|after))\b", re.I)
_SEVERAL = re.compile(r"^\s*(?:what|which)\s+(?:other\s+|else\s+|kinds? of\s+|types? of\s+)?(?:[a-z-]+\s+){0,2}?"
                      r"([a-z-]+s)(?<!ss)(?<!us)(?<!is)\b(?!\s*(?:'s|’s))", re.I)
# "A, B and C" / "A, B, C": at least three items separated by commas, the last maybe by "and"/"or".
_ENUMERATION = re.compile(r"[^,;.]{2,60},\s*[^,;.]{2,60},?\s+(?:and|or)\s+[^,;.]{2,60}|"
                          r"[^,;.]{2,60},\s*[^,;.]{2,60},\s*[^,;.]{2,60},", re.I)


def relative_periods(text: str) -> frozenset[str]:
    """Periods named relative to the time of writing, as ('before'|'after', unit) words.
    Example: ``relative_periods("Sales fell the year before.")`` -> {'before year'};
    ``relative_periods("Last season they won the cup.")`` -> {'before season'}."""
    found = set()
    for direction, pattern in (("before", _BEFORE), ("after", _AFTER)):
        for match in pattern.finditer(text):
            unit = next(g for g in match.groups() if g)
            found.add(f"{direction} {unit.lower()}")
    return frozenset(found)


def asks_for_several(question: str) -> bool:
    """Whether a question asks for several things of one kind ("What other measures ...?", "Which players
    ...?"). Example: ``asks_for_several("Which films did she direct?")`` -> True;
    ``asks_for_several("Which film won?")`` -> False."""
    match = _SEVERAL.match(question)
    if not match:
        return False
    words = question[:match.end(1)].lower().split()
    if any(word in _VERB_AFTER_WH for word in words):
        return False
    if len(words) == 2 and words[0] == "what":  # "What steps did ...?" asks for things; "What happens ...?" does not
        following = question[match.end(1):].split()[:1]
        return bool(following) and (following[0].lower() in _VERB_AFTER_WH or following[0][:1].isupper())
    return True


def enumerates(sentence: str) -> bool:
    """Whether a sentence lists three or more things. Example: ``enumerates("It sells tea, coffee and cocoa.")``
    -> True; ``enumerates("It sells tea and coffee.")`` -> False."""
    return bool(_ENUMERATION.search(sentence))
