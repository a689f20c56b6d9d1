"""The sparse half of hybrid retrieval: a bm25s index over chunk texts, built at ingest and persisted
beside the vector index, loaded once per process and never rebuilt per question."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np

from rag.textspans import STOPWORDS, stem


def _tokenize(texts: list[str]):
    import bm25s

    return bm25s.tokenize(texts, stopwords=sorted(STOPWORDS), stemmer=_stem_all, show_progress=False)


def _stem_all(words: list[str]) -> list[str]:
    return [stem(w) for w in words]


class BM25Index:
    """Chunk ids and a bm25s model. ``search`` returns (chunk id, score) pairs, best first."""

    def __init__(self, ids: list[str], model) -> None:
        self.ids = ids
        self.model = model

    @classmethod
    def build(cls, ids: list[str], texts: list[str]) -> "BM25Index":
        """Index ``texts`` (parallel to ``ids``). Example: ``BM25Index.build(["a"], ["rare earths"])``."""
        import bm25s

        model = bm25s.BM25(k1=1.2, b=0.75)
        if texts:
            model.index(_tokenize(texts), show_progress=False)
        return cls(list(ids), model if texts else None)

    def search(self, query: str, k: int, allowed: np.ndarray | None = None) -> list[tuple[str, float]]:
        """Top ``k`` chunks for ``query``; ``allowed`` is an optional boolean mask over ``self.ids``."""
        if self.model is None or not self.ids:
            return []
        tokens = _tokenize([query])
        if not tokens.ids or not tokens.ids[0]:
            return []
        k = min(k, len(self.ids))
        kwargs = {"weight_mask": allowed.astype(np.float32)} if allowed is not None else {}
        docs, scores = self.model.retrieve(tokens, k=k, show_progress=False, n_threads=1, **kwargs)
        return [(self.ids[int(d)], float(s)) for d, s in zip(docs[0], scores[0]) if s > 0]

    def save(self, directory: Path) -> None:
        """Write atomically: into a temporary sibling, then rename over the old one."""
        tmp = directory.with_name(directory.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        (tmp / "ids.json").write_text(json.dumps(self.ids))
        if self.model is not None:
            self.model.save(str(tmp / "model"), show_progress=False)
        old = directory.with_name(directory.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if directory.exists():
            directory.rename(old)
        tmp.rename(directory)
        shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, directory: Path) -> "BM25Index":
        """Read what ``save`` wrote; raises OSError/ValueError when it is missing or damaged."""
        import bm25s

        ids = json.loads((directory / "ids.json").read_text())
        model = bm25s.BM25.load(str(directory / "model"), mmap=False, show_progress=False) if ids else None
        return cls(ids, model)
