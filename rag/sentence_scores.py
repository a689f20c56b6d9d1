"""The question's candidate sentences scored against it: the sentence vectors pooled at ingest where the hit
chunks carry them, the others encoded once and cached by text; the idf weights of the question's terms; the
cosines the value checks ask for (a clause against the question, a word against a category noun).

One SentenceScorer per index snapshot; the text-keyed vector cache is shared across snapshots (a sentence's
vector does not depend on the index)."""
from __future__ import annotations

import numpy as np

from rag.answering.extractive import Candidate, candidate_sentences, idf_weights, score_candidates
from rag.textspans import content_terms, without_references, words
from rag.types import Chunk, Span
from rag.tuning import TUNING

CACHE_LIMIT = 50_000  # cached sentence vectors before the cache starts again
CHUNK_ROWS_LIMIT = 5_000  # chunks whose decoded sentence vectors are kept (about 8 of 1.5 kB each: <= 60 MB)


class SentenceScorer:
    """Scores candidate sentences of one index snapshot (``retrieval``: its BM25 and chunk fetches;
    ``following``: chunk id -> the next chunk of its document; ``text_of``: a chunk's exact text)."""

    def __init__(self, embedder, retrieval, following: dict[str, str], text_of, cache: dict | None = None) -> None:
        self.embedder = embedder
        self.retrieval = retrieval
        self.following = following
        self.text_of = text_of
        self.cache: dict[str, np.ndarray] = {} if cache is None else cache
        self._chunk_rows: dict[str, list] = {}
        self._chunk_sentences: dict[str, list] = {}

    def sentence_vectors(self, texts: list[str]) -> np.ndarray:
        """Vectors of candidate sentences, cached by text across questions."""
        missing = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if missing:
            if len(self.cache) > CACHE_LIMIT:
                self.cache.clear()
            self.cache.update(zip(missing, self.embedder.encode(missing)))
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self.cache[t] for t in texts])

    def clause_relevance(self, question: str):
        """Cosines between the question and clauses (cached vectors, the new ones encoded in one call): whether
        a stated value answers it."""
        def relevance(clauses: list[str]) -> list[float]:
            # Encoded on first use (only answers comparing values get here), then cached by the embedder.
            vector = self.embedder.query_vector(question)
            return [float(v) for v in self.sentence_vectors(clauses) @ vector] if clauses else []

        return relevance

    def word_similarity(self, noun: str, terms: list[str]) -> list[float]:
        """Cosines between a category noun and words (cached vectors): which word names a sport, a medium..."""
        vectors = self.sentence_vectors([noun] + terms)
        return [float(v) for v in vectors[1:] @ vectors[0]]

    def stored_sentence_vectors(self, chunks: list[Chunk]) -> dict[tuple[str, int, int], np.ndarray]:
        """Sentence vectors pooled at ingest, for the hit chunks and the chunk after each (whose first sentence
        the answerer also considers), keyed by (source, start, end)."""
        from rag.embeddings import unpack_vectors

        have = {c.id for c in chunks}
        following = [n for n in (self.following.get(c.id) for c in chunks) if n and n not in have]
        if following:
            try:  # usually cached: retrieval fetched them with the hits
                chunks = chunks + list(self.retrieval.chunks(following).values())
            except Exception:
                pass  # the following sentence is then embedded on demand
        table = {}
        for chunk in chunks:
            if not chunk.sent_vecs:
                continue
            rows = self._chunk_rows.get(chunk.id)
            if rows is None:
                # Decoding a chunk's packed vectors and trimming its spans cost ~0.1 ms a chunk, again for every
                # question that retrieves it: kept per chunk id (a snapshot's chunk never changes under its id).
                if len(self._chunk_rows) > CHUNK_ROWS_LIMIT:
                    self._chunk_rows.clear()
                rows = []
                for (start, end), vector in zip(chunk.stored_spans(), unpack_vectors(chunk.sent_vecs)):
                    span = without_references(chunk.text, Span(start, end))
                    rows.append(((chunk.source, chunk.start + span.start, chunk.start + span.end), vector))
                self._chunk_rows[chunk.id] = rows
            table.update(rows)
        return table

    def score(self, question: str, hits, carried=frozenset(), said=frozenset()) -> tuple[list[Candidate], dict[str, float]]:
        """Candidate sentences of the hits scored against the question, and the question terms' idf weights
        (terms ``carried`` from earlier turns of a conversation at TUNING.carried_weight of theirs; ``said``: the
        sentences the previous answer quoted, rag.answering.repeats.quoted_before)."""
        if len(self._chunk_sentences) > CHUNK_ROWS_LIMIT:
            self._chunk_sentences.clear()
        candidates = candidate_sentences(hits, self.text_of, self._chunk_sentences)
        stored = self.stored_sentence_vectors([h.chunk for h in hits])
        # A sentence longer than a chunk was stored in pieces: its first piece's vector stands for it (it is what
        # the retriever matched too) rather than encoding a long sentence per question (20-30 ms, the slowest
        # tail of questions at 100k chunks).
        by_start = {(source, start): vector for (source, start, _), vector in stored.items()}
        found = [stored.get((c.chunk.source, c.start, c.end), by_start.get((c.chunk.source, c.start)))
                 for c in candidates]
        missing = [c.text for c, vector in zip(candidates, found) if vector is None]
        encoded = dict(zip(missing, self.sentence_vectors(missing))) if missing else {}
        vectors = np.stack([encoded[c.text] if vector is None else vector for c, vector in zip(candidates, found)]) \
            if candidates else np.zeros((0, 384), dtype=np.float32)
        frequency = {}
        bm25 = self.retrieval.bm25
        for word in words(question):  # df by the BM25 analyzer, keyed by the answerer's own lexical stems
            for term in content_terms(word):
                frequency[term] = max(frequency.get(term, 0), bm25.document_frequency(word))
        idf = idf_weights(list(frequency), frequency.__getitem__, max(1, len(bm25.ids)))
        idf = {t: w * TUNING.carried_weight if t in carried else w for t, w in idf.items()}
        score_candidates(question, self.embedder.query_vector(question), candidates, vectors, idf, said)
        return candidates, idf
