"""Plain data of the extractive answerer: a candidate sentence with its exact span and scores, and what
selection decided."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from rag.answering.sides import Disagreement
from rag.types import Chunk


@dataclass
class Candidate:
    """A sentence of a retrieved passage, with its exact span and scores."""

    chunk: Chunk  # the hit it came from (source, path, title, date)
    start: int
    end: int
    text: str
    rank: int  # rank of the hit it came from
    cosine: float = 0.0
    lexical: float = 0.0
    score: float = 0.0
    vector: np.ndarray | None = field(default=None, repr=False)


@dataclass
class Selection:
    """What the extractive answerer decided: sentences (each with candidates it cites) or an abstention."""

    abstained: bool
    sentences: list[list[Candidate]]  # first candidate is the quoted sentence; the rest corroborate it
    related: list[Candidate]
    conflict: Disagreement | None = None
    best_score: float = 0.0
    conflict_candidates: dict[int, Candidate] = field(default_factory=dict)  # Side.ids -> candidates
    minority: list[list[Candidate]] = field(default_factory=list)  # minority reports' sentences
