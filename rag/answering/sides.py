"""Plain data of a disagreement: the passages compared, each side (a value and who states it), the verdict."""
from __future__ import annotations

from dataclasses import dataclass, field

from rag.readers.values import Value


@dataclass(frozen=True)
class Passage:
    """A file's passage that answers the question: ``id`` is the caller's handle (a marker, an index);
    ``rank`` orders files by how well they answer (0 best)."""

    id: int
    source: str
    text: str
    rank: int = 0
    score: float = 1.0  # how well it answers (the answerer's score); a file alone well below the best is a minority


@dataclass
class Side:
    """One value and the passages (ids) and files that state it."""

    value: str
    ids: list[int] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    minority: bool = False
    best_rank: int = 10 ** 6
    best_score: float = 0.0
    key: Value | None = None


@dataclass
class Disagreement:
    """The asked-for kind (the topic), each side, and whether the passages differ as near-copies
    (``contradiction``) or as different texts (possibly different entities of one name)."""

    topic: str
    sides: list[Side]
    contradiction: bool

    @property
    def majority(self) -> list[Side]:
        return [s for s in self.sides if not s.minority]
