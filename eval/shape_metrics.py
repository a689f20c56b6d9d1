"""Pure metrics of shaped answers (issue 25): facts as lists of accepted spellings, whether an answer cites every
expected file, and a yes/no answer's verdict. Side-effect free like eval.metrics, whose ``normalise`` they share.

Example: ``verdict_of("No. The club moved in 1998 [1].")`` -> 'no'.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from eval.metrics import normalise

__all__ = ["fact_coverage", "files_spread", "verdict_of", "verdict_correct"]


def fact_coverage(answer: str, facts: Sequence[str | Sequence[str]]) -> float | None:
    """Fraction of facts covered by the answer, a fact being one spelling or a list of accepted spellings
    (covered when any of them is contained in the answer after :func:`normalise`). ``None`` without facts.

    Example: ``fact_coverage("Rovers won 3-1 at Elm Park", [["3-1", "three-one"], ["Elm Park"], ["May"]])``
    -> ``0.666...``
    """
    groups = [[a for a in ([f] if isinstance(f, str) else f) if normalise(a)] for f in facts]
    groups = [g for g in groups if g]
    if not groups:
        return None
    text = normalise(answer)
    return sum(1 for g in groups if any(normalise(a) in text for a in g)) / len(groups)


def files_spread(cited_sources: Sequence[str], gold_sources: Sequence[str]) -> float | None:
    """1.0 when the answer cites every expected file (cited files outside the expected set do not count:
    the count is capped by the expected set), else 0.0; ``None`` without expected files.

    Example: ``files_spread(["a", "b", "x"], ["a", "b"])`` -> ``1.0``; ``files_spread(["a", "x"], ["a", "b"])`` -> ``0.0``
    """
    gold = set(gold_sources)
    if not gold:
        return None
    return 1.0 if len(gold & set(cited_sources)) >= len(gold) else 0.0


_VERDICT = re.compile(r"^\W*(yes|no)\b", re.I)


def verdict_of(answer: str) -> str | None:
    """"yes" or "no" when the answer opens with that word, else ``None``.

    Example: ``verdict_of("No. The club moved in 1998 [1].")`` -> ``'no'``; ``verdict_of("Nobody knows")`` -> ``None``
    """
    match = _VERDICT.match(answer or "")
    return match.group(1).lower() if match else None


def verdict_correct(answer: str, gold: str | None) -> float | None:
    """1.0 when the answer's opening verdict equals the gold "yes"/"no" (case-insensitive), 0.0 when it differs
    or gives none; ``None`` when there is no gold verdict.

    Example: ``verdict_correct("Yes: both reports say so.", "Yes")`` -> ``1.0``
    """
    if not gold or gold.strip().lower() not in ("yes", "no"):
        return None
    return 1.0 if verdict_of(answer) == gold.strip().lower() else 0.0
