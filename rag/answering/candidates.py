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
    lexical: float = 0.0  # idf coverage of the question, with the sentence before
    score: float = 0.0  # the learned model's, on the hand blend's scale (rag.answer_features.on_blend_scale)
    vector: np.ndarray | None = field(default=None, repr=False)
    never: bool = False  # no answer whatever it scores: a question, a headline (rag.answering.check.not_an_answer)
    features: np.ndarray | None = field(default=None, repr=False)  # rag.answer_features.FEATURES
    logit: float = 0.0  # the learned score that it answers (only differences within a question mean anything)
    relevance: float = 0.0  # rag.answer_features.relevance: the hand blend the abstention bar and shares read


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
    chance: float = 1.0  # the abstention model's chance that the candidates answer (rag.abstain_features)
