"""A follow-up asks for something more: the sentences the previous answer already quoted should not lead its
answer when a new sentence qualifies. Pure, over candidates with ``text`` and ``score``."""
from __future__ import annotations

import re

from rag.conversation import as_turns


def defer_repeats(candidates: list, said: frozenset, floor: float) -> None:
    """Rank sentences a follow-up's previous answer already quoted just under the best new one, when a new one
    scores at least ``floor``: the follow-up asks for something more, and the repeat may still come second.
    Example: a repeated 0.7 and a new 0.5 -> the repeat becomes 0.475."""
    fresh = max((c.score for c in candidates if _squashed(c.text) not in said), default=0.0)
    if fresh < floor:
        return
    for cand in candidates:
        if _squashed(cand.text) in said:
            cand.score = min(cand.score, fresh * 0.95)


def _squashed(text: str) -> str:
    return " ".join(re.sub(r"\[(\d+)\]", r"(\1)", text).split())


def quoted_before(conversation) -> frozenset:
    """The sentences the last earlier answer quoted, whitespace collapsed.
    Example: ``quoted_before([Turn("Q?", cited=("A  b.",))])`` -> frozenset({'A b.'})."""
    turns = as_turns(conversation)
    return frozenset(_squashed(t) for t in turns[-1].cited) if turns else frozenset()
