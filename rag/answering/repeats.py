"""A follow-up asks for something more: the sentences the previous answer already quoted should not lead its
answer when a new sentence qualifies. Pure, over candidates with ``text`` and ``score``."""
from __future__ import annotations

import re

from rag.answering.extractive import previous_sentences
from rag.conversation import as_turns
from rag.textspans import content_terms
from rag.tuning import TUNING


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


def lend_context(candidates: list, said: frozenset, idf: dict) -> None:
    """A sentence next to one the previous answer quoted (same paragraph, just before or after) shares its
    topic: its word coverage counts the quoted neighbour's words too, as the sentence before already does for
    any question. A follow-up's answer is so often one sentence away from the previous one ("From what depth?"
    after "Which vessel recovered the mud?") while its own few words ("depth") are in neither.
    Example: neighbour coverage 0.1 beside a quoted sentence covering 0.4 -> 0.4, score up 0.4 x 0.3."""
    if not said:
        return
    total = sum(idf.values()) or 1.0
    quoted = [c for c in candidates if _squashed(c.text) in said]
    if not quoted:
        return
    before = previous_sentences(candidates)
    by_id = {id(cand): cand for cand in candidates}
    after = {id(prev): by_id[cand_id] for cand_id, prev in before.items()}
    for sentence in quoted:
        for neighbour in (before.get(id(sentence)), after.get(id(sentence))):
            if neighbour is None or _squashed(neighbour.text) in said:
                continue
            window = set(content_terms(neighbour.text)) | set(content_terms(sentence.text))
            lexical = sum(w for t, w in idf.items() if t in window) / total
            if lexical > neighbour.lexical:
                neighbour.score += TUNING.lexical_weight * (lexical - neighbour.lexical)
                neighbour.lexical = lexical


def _squashed(text: str) -> str:
    return " ".join(re.sub(r"\[(\d+)\]", r"(\1)", text).split())


def quoted_before(conversation) -> frozenset:
    """The sentences the last earlier answer quoted, whitespace collapsed.
    Example: ``quoted_before([Turn("Q?", cited=("A  b.",))])`` -> frozenset({'A b.'})."""
    turns = as_turns(conversation)
    return frozenset(_squashed(t) for t in turns[-1].cited) if turns else frozenset()
