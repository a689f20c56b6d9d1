"""`rag check`: verify a draft (a memo paragraph, a model's answer) against the corpus, sentence by sentence.
Each sentence gets the corpus passage that best supports it (retrieved, then ``rag.support.check``), quoted
exactly with its file offsets, a score and a status: supported, unsupported, or contradicted (the passage
states a different number or name for the same thing)."""
from __future__ import annotations

from dataclasses import dataclass

from rag.answering.citations import answer_sentences, parse_markers
from rag.filters import Filters
from rag.readers.claims import has_words
from rag.support import check
from rag.types import Citation, field_values

CHECK_PASSAGES = 8  # retrieved passages per sentence


@dataclass(frozen=True)
class CheckedSentence:
    """One sentence of a draft, its status and the passage that best supports (or contradicts) it."""

    text: str
    status: str  # "supported", "unsupported" or "contradicted"
    score: float
    citations: tuple[Citation, ...] = ()

    def to_json(self) -> dict:
        return field_values(self, score=round(self.score, 4), citations=[c.to_json() for c in self.citations],
                            supported=self.status == "supported")


def draft_sentences(draft: str) -> list[str]:
    """The draft's sentences, citation markers it may carry removed.

    Example: ``draft_sentences("Sales rose 5% [1]. Costs fell.")`` -> ['Sales rose 5%.', 'Costs fell.'].
    """
    out = []
    for sentence in answer_sentences(draft):
        clean, _, _ = parse_markers(sentence, 0)
        if has_words(clean):
            out.append(clean)
    return out


def check_draft(draft: str, retrieval, embedder, settings, filters: Filters | None = None) -> list[CheckedSentence]:
    """Check each sentence of ``draft`` against the passages ``retrieval`` finds for it (hybrid search with the
    settings' fusion), quoting the best one exactly."""
    out = []
    for sentence in draft_sentences(draft):
        vector = embedder.query_vector(sentence)
        hits = retrieval.hybrid(sentence, vector, CHECK_PASSAGES, max(settings.candidates, CHECK_PASSAGES),
                                filters or Filters(), settings.dense_weight, settings.rrf_c, settings.mmr)
        chunks = [h.chunk for h in hits]
        result = check(sentence, [c.text for c in chunks], embedder, settings.support_threshold)
        citations = ()
        if result.index >= 0 and result.quote:
            # Scored against the passage it quotes alone: passages of different files are no joint evidence.
            chunk = chunks[result.index]
            result = check(sentence, [chunk.text], embedder, settings.support_threshold)
            citations = (Citation(1, chunk.source, chunk.path, chunk.start + result.start, chunk.start + result.end,
                                  result.quote, chunk.title, chunk.date),)
        out.append(CheckedSentence(sentence, result.status, result.score, citations))
    return out
