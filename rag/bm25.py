"""The sparse half of hybrid retrieval: a bm25s index over chunk texts, built at ingest and persisted
beside the vector index, loaded once per process and never rebuilt per question."""
from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import numpy as np

from rag.textspans import STOPWORDS

# The analyzer: bm25s word tokens, our stopwords, Snowball English stems (PyStemmer). Snowball beat the
# tiny suffix stripper of rag.textspans by +0.018 nDCG@10 on the SciFact *train* queries (bench/beir.py).
# Saved beside the index: an index made by another analyzer is refused at load (re-ingest rebuilds it).
ANALYZER = "bm25s-words/rag-stopwords/snowball-english"
_local = threading.local()  # PyStemmer objects are not thread-safe; the UI answers in worker threads


def _stem_all(words: list[str]) -> list[str]:
    if not hasattr(_local, "stemmer"):
        import Stemmer

        _local.stemmer = Stemmer.Stemmer("english")
    return _local.stemmer.stemWords(words)


def _tokenize(texts: list[str], return_ids: bool = True):
    import bm25s

    return bm25s.tokenize(texts, stopwords=sorted(STOPWORDS), stemmer=_stem_all, show_progress=False,
                          return_ids=return_ids)


class BM25Index:
    """Chunk ids and a bm25s model. ``search`` returns (chunk id, score) pairs, best first."""

    def __init__(self, ids: list[str], model) -> None:
        self.ids = ids
        self.model = model
        self._df = None

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

    def document_frequency(self, word: str) -> int:
        """Number of chunks containing ``word`` after the BM25 analyzer (0 for stopwords and unknown words;
        the rarest token when the word splits). Example: ``index.document_frequency("Exports")``."""
        if self.model is None:
            return 0
        tokens = _tokenize([word], return_ids=False)[0]
        if not tokens:
            return 0
        if self._df is None:
            self._df = np.diff(np.asarray(self.model.scores["indptr"]))
        vocab = self.model.vocab_dict
        return min(int(self._df[vocab[t]]) if t in vocab and vocab[t] < len(self._df) else 0 for t in tokens)

    def save(self, directory: Path) -> None:
        """Write atomically: into a temporary sibling, then rename over the old one."""
        tmp = directory.with_name(directory.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        (tmp / "ids.json").write_text(json.dumps(self.ids))
        (tmp / "analyzer.txt").write_text(ANALYZER)
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
        marker = directory / "analyzer.txt"
        if (marker.read_text() if marker.exists() else "") != ANALYZER:
            raise ValueError("BM25 index built by another analyzer")
        model = bm25s.BM25.load(str(directory / "model"), mmap=False, show_progress=False) if ids else None
        return cls(ids, model)
