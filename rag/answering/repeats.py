"""A follow-up asks for something more: the sentences the previous answer already quoted, which the answer
scorer weighs as features (rag.answer_features: ``repeat``, ``beside_repeat``)."""
from __future__ import annotations

from rag.answer_features import squashed
from rag.turns import as_turns


def quoted_before(conversation) -> frozenset:
    """The sentences the last earlier answer quoted, whitespace collapsed.
    Example: ``quoted_before([Turn("Q?", cited=("A  b.",))])`` -> frozenset({'A b.'})."""
    turns = as_turns(conversation)
    return frozenset(squashed(t) for t in turns[-1].cited) if turns else frozenset()
