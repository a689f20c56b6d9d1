"""Dense (Chroma), sparse (BM25) and hybrid (reciprocal rank fusion) retrieval behind LangChain's
BaseRetriever interface, with source and date filters and optional MMR.

The fusion is ours rather than langchain_classic's EnsembleRetriever because EnsembleRetriever keeps one
copy of each document and drops the per-retriever scores, which the answerer's abstention needs.
"""
from __future__ import annotations

from dataclasses import fields
from typing import Any

import numpy as np

from rag.filters import Filters
from rag.types import Chunk, Hit


def hit_to_document(hit: Hit):
    """A hit as a LangChain Document (text + metadata with the scores)."""
    from langchain_core.documents import Document

    scores = {f.name: getattr(hit, f.name) for f in fields(Hit) if f.name != "chunk"}  # score, dense, sparse
    meta = hit.chunk.metadata() | {"id": hit.chunk.id} | scores
    return Document(page_content=hit.chunk.text, metadata=meta, id=hit.chunk.id)


def fusion_scores(dense: list[tuple[str, float]], sparse: list[tuple[str, float]], dense_weight: float,
                  method: str = "convex", rrf_c: int = 60) -> dict[str, float]:
    """Fused score per id from two ranked (id, score) lists.

    "convex": w * minmax(cosine) + (1 - w) * minmax(BM25) over each list's candidates (absent -> 0);
    "rrf": w / (c + rank_dense) + (1 - w) / (c + rank_bm25). Convex is the default because it was measured
    better on BEIR SciFact (nDCG@10 test 0.731 vs 0.718 for RRF, both tuned on the train queries; docs/benchmarks.md).
    Example: ``fusion_scores([("a", 0.9), ("b", 0.1)], [("b", 7.0)], 0.5)`` -> {'a': 0.5, 'b': 0.5}.
    """
    scores: dict[str, float] = {}
    if method == "rrf":
        for rank, (cid, _) in enumerate(dense):
            scores[cid] = scores.get(cid, 0.0) + dense_weight / (rrf_c + rank + 1)
        for rank, (cid, _) in enumerate(sparse):
            scores[cid] = scores.get(cid, 0.0) + (1 - dense_weight) / (rrf_c + rank + 1)
        return scores
    if method != "convex":
        raise ValueError(f"unknown fusion {method!r}: use convex or rrf")
    for weight, ranked in ((dense_weight, dense), (1 - dense_weight, sparse)):
        if not ranked:
            continue
        values = [s for _, s in ranked]
        low, high = min(values), max(values)
        for cid, value in ranked:
            scaled = (value - low) / (high - low) if high > low else 1.0
            scores[cid] = scores.get(cid, 0.0) + weight * scaled
    return scores


def best_of(first: dict[str, float], second: dict[str, float]) -> dict[str, float]:
    """Per key, the higher of two score maps (a key in one only keeps its score).
    Example: ``best_of({"a": 0.2, "b": 0.9}, {"a": 0.5, "c": 0.1})`` -> {'a': 0.5, 'b': 0.9, 'c': 0.1}."""
    return first | {key: max(value, first.get(key, value)) for key, value in second.items()}


# How much a chunk gains on the convex fused scale [0, 1] when its file is dated on a day the question names
# ("the report published on October 7, 2023"); under RRF the same share of one list's best score. MultiHop-RAG
# dev: MRR@10 0.421 -> 0.434, Hits@10 0.699 -> 0.742, no answer lost (TUNING.date_boost). The like bonus for
# the files whose masthead names a publication the question credits is TUNING.masthead_boost: it ranks what an
# LLM reads, but the extractive answerer reads the question's own ranking (date bonus only: Assistant._retrieve
# full=False), as it declined more answerable questions when the masthead bonus chose its passages.


class Retrieval:
    """Holds the open index (collection, BM25, manifest snapshot) and answers retrieval calls."""

    fusion = "convex"

    def __init__(self, collection, bm25, id_info: dict[str, tuple[str, str]], embedder,
                 following: dict[str, str] | None = None) -> None:
        self.collection = collection
        self.bm25 = bm25
        self.id_info = id_info  # chunk id -> (source, date) of the manifest snapshot
        self.embedder = embedder
        self.following = following or {}  # chunk id -> the next chunk of its document (the answerer reads it)
        self._bm25_pos = {cid: i for i, cid in enumerate(bm25.ids)}
        self._chunks: dict[str, Chunk] = {}  # fetched chunks of this snapshot (ids name their exact text)

    def chunks(self, ids: list[str]) -> dict[str, Chunk]:
        """Chunks by id, from this snapshot's cache or one Chroma ``get``; ids Chroma no longer has (deleted by
        a running ingest) are left out. Each fetch also brings the chunk after each one (``following``), so
        the answerer's look at the next sentence costs no second round trip."""
        wanted = list(dict.fromkeys(ids))
        fetch = [cid for cid in wanted if cid not in self._chunks]
        fetch += [n for n in (self.following.get(cid) for cid in fetch) if n and n not in self._chunks]
        if fetch:
            got = self.collection.get(ids=list(dict.fromkeys(fetch)), include=["documents", "metadatas"])
            if len(self._chunks) > 4096:
                self._chunks.clear()
            for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"]):
                if text is not None and meta:  # deleted by a running ingest since the BM25 snapshot
                    self._chunks[cid] = Chunk.from_metadata(cid, text, meta)
        return {cid: self._chunks[cid] for cid in wanted if cid in self._chunks}

    def dense(self, query_vector: np.ndarray, k: int, filters: Filters) -> list[tuple[Chunk, float]]:
        """Top ``k`` chunks by cosine similarity."""
        if k <= 0:
            return []
        want = k
        while True:
            got = self.collection.query(query_embeddings=[query_vector], n_results=want,
                                        where=filters.chroma_where(), include=["documents", "metadatas", "distances"])
            out = []
            for cid, text, meta, dist in zip(got["ids"][0], got["documents"][0], got["metadatas"][0],
                                             got["distances"][0]):
                # Ignore chunks an ingest running right now has not published yet, or is deleting (Chroma may
                # then return the id with no metadata).
                if cid in self.id_info and text is not None and meta:
                    out.append((Chunk.from_metadata(cid, text, meta), 1.0 - float(dist)))
            # Those must not shrink the candidate list either (fusion normalises over it): ask again for more.
            if len(out) >= k or len(got["ids"][0]) < want:
                return out[:k]
            want *= 2

    def dense_ids(self, query_vector: np.ndarray, k: int, filters: Filters) -> list[tuple[str, float]]:
        """Top ``k`` published chunk ids by cosine similarity, without texts or metadata: ``hybrid`` fetches
        those for the fused top k only (shipping 30 candidates' metadata, sentence vectors included, cost more
        than the vector search itself)."""
        return self.dense_ids_each([query_vector], k, filters)[0]

    def dense_ids_each(self, vectors: list[np.ndarray], k: int, filters: Filters) -> list[list[tuple[str, float]]]:
        """``dense_ids`` of several query vectors in one Chroma query."""
        if k <= 0 or not len(vectors):
            return [[] for _ in vectors]
        want = k
        while True:
            got = self.collection.query(query_embeddings=list(vectors), n_results=want,
                                        where=filters.chroma_where(), include=["distances"])
            lists = [[(cid, 1.0 - float(dist)) for cid, dist in zip(ids, dists) if cid in self.id_info]
                     for ids, dists in zip(got["ids"], got["distances"])]
            # As in ``dense``: unpublished ids take no slot, so ask again for more while any list came up short.
            if all(len(out) >= k or len(ids) < want for out, ids in zip(lists, got["ids"])):
                return [out[:k] for out in lists]
            want *= 2

    def sparse(self, question: str, k: int, filters: Filters) -> list[tuple[str, float]]:
        """Top ``k`` chunk ids by BM25."""
        mask = None
        if filters.active():
            mask = np.array([filters.allows(*self.id_info.get(cid, ("", ""))) for cid in self.bm25.ids], dtype=bool)
            if not mask.any():
                return []
        return self.bm25.search(question, k, mask)

    def hybrid(self, question: str, query_vector: np.ndarray, k: int, candidates: int, filters: Filters,
               dense_weight: float = 0.5, rrf_c: int = 60, mmr: bool = False,
               preferred: dict[str, float] | None = None,
               more: list[tuple[str, np.ndarray]] = ()) -> list[Hit]:
        """Fusion of dense and BM25 candidate lists; top ``k`` hits. Chunks of the ``preferred`` files (those
        dated on a day the question names) gain their bonus (file -> bonus). ``more``: further (text, vector)
        queries (a compound question's clauses), each fused on its own; a chunk keeps its best fused score."""
        dense, *more_dense = self.dense_ids_each([query_vector] + [vector for _, vector in more], candidates,
                                                 filters)
        sparse = self.sparse(question, candidates, filters)
        others = [(found, self.sparse(text, candidates, filters)) for found, (text, _) in zip(more_dense, more)]
        return self.fuse(dense, sparse, k, dense_weight, rrf_c, query_vector if mmr else None, preferred=preferred,
                         more=others)

    def fuse(self, dense: list[tuple[Chunk | str, float]], sparse: list[tuple[str, float]], k: int,
             dense_weight: float = 0.5, rrf_c: int = 60, mmr_vector: np.ndarray | None = None,
             method: str | None = None, preferred: dict[str, float] | None = None,
             more: list[tuple[list, list]] = ()) -> list[Hit]:
        """Fuse dense and BM25 candidate lists (``method``: "convex" or "rrf", default ``self.fusion``); top k.
        Dense entries are (Chunk, cosine) or (chunk id, cosine); texts missing for the top k are fetched.
        ``more``: further (dense, sparse) list pairs, fused alike; each chunk keeps its best fused score."""
        chunks: dict[str, Chunk] = {}
        dense_of: dict[str, float] = {}
        for item, sim in dense:
            if isinstance(item, Chunk):
                chunks[item.id] = item
            dense_of[item.id if isinstance(item, Chunk) else item] = sim
        sparse_of = dict(sparse)
        scores = fusion_scores(list(dense_of.items()), sparse, dense_weight, method or self.fusion, rrf_c)
        for other_dense, other_sparse in more:
            other = fusion_scores([(c.id if isinstance(c, Chunk) else c, v) for c, v in other_dense], other_sparse,
                                  dense_weight, method or self.fusion, rrf_c)
            scores = best_of(scores, other)
            for item, sim in other_dense:
                if isinstance(item, Chunk):
                    chunks[item.id] = item
                cid = item.id if isinstance(item, Chunk) else item
                dense_of[cid] = max(dense_of.get(cid, sim), sim)
            for cid, value in other_sparse:
                sparse_of[cid] = max(sparse_of.get(cid, value), value)
        if preferred:
            scale = 1.0 if (method or self.fusion) == "convex" else 1.0 / (rrf_c + 1)
            scores = {cid: score + scale * preferred.get(self.id_info.get(cid, ("", ""))[0], 0.0)
                      for cid, score in scores.items()}
        ranked = sorted(scores, key=lambda cid: -scores[cid])
        wanted = k * 3 if mmr_vector is not None else k
        present: list[str] = []
        start = 0
        while len(present) < wanted and start < len(ranked):  # rounds: a chunk deleted since the snapshot
            batch = ranked[start:start + wanted - len(present)]  # is skipped and the next one fills in
            start += len(batch)
            missing = [cid for cid in batch if cid not in chunks]
            if missing:
                chunks.update(self.chunks(missing))
            present += [cid for cid in batch if cid in chunks]
        ranked = present
        if mmr_vector is not None and len(ranked) > k:
            ranked = self._mmr(ranked[: k * 3], mmr_vector, k)
        return [Hit(chunks[cid], scores[cid], dense_of.get(cid), sparse_of.get(cid)) for cid in ranked[:k]]

    def _mmr(self, ids: list[str], query_vector: np.ndarray, k: int) -> list[str]:
        from langchain_core.vectorstores.utils import maximal_marginal_relevance

        got = self.collection.get(ids=ids, include=["embeddings"])
        vectors = dict(zip(got["ids"], got["embeddings"]))
        ids = [cid for cid in ids if cid in vectors]
        order = maximal_marginal_relevance(np.asarray(query_vector), [vectors[c] for c in ids], 0.7, k)
        return [ids[i] for i in order]


def _hybrid_retriever_class():
    # LangChain's retriever base pulls in its tracing stack (~1 s of imports): built on first use, so a
    # one-shot `rag ask` does not pay for it.
    from langchain_core.callbacks import CallbackManagerForRetrieverRun
    from langchain_core.retrievers import BaseRetriever
    from pydantic import ConfigDict

    class HybridRetriever(BaseRetriever):
        """LangChain retriever over ``Retrieval.hybrid``; each Document carries its scores in metadata."""

        model_config = ConfigDict(arbitrary_types_allowed=True)
        retrieval: Any
        k: int = 6
        candidates: int = 30
        filters: Filters = Filters()
        dense_weight: float = 0.5
        mode: str = "hybrid"  # "hybrid", "dense" or "bm25"

        def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list:
            return [hit_to_document(h) for h in self.hits(query)]

        def hits(self, query: str) -> list[Hit]:
            """Retrieve as Hits (what the answerer consumes)."""
            vector = self.retrieval.embedder.query_vector(query)
            weight = {"dense": 1.0, "bm25": 0.0}.get(self.mode, self.dense_weight)
            dense = self.retrieval.dense(vector, self.candidates, self.filters) if weight > 0 else []
            sparse = self.retrieval.sparse(query, self.candidates, self.filters) if weight < 1 else []
            return self.retrieval.fuse(dense, sparse, self.k, weight)

    HybridRetriever.__qualname__ = "HybridRetriever"
    return HybridRetriever


def __getattr__(name: str):
    if name == "HybridRetriever":
        cls = globals()["HybridRetriever"] = _hybrid_retriever_class()
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
