"""The sparse half of hybrid retrieval: a bm25s index over chunk texts, built at ingest and persisted
beside the vector index, loaded once per process and never rebuilt per question."""
from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import numpy as np

from rag.textspans import STOPWORDS, WORD

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


_STOP = frozenset(STOPWORDS)


def analyze(text: str) -> list[str]:
    """The analyzer on one text, exactly as ``bm25s.tokenize`` applies it (lower-case, split, drop stopwords,
    stem) without its per-call set-up, which cost ~75 us per question word. Example: ``analyze("The exports")``
    -> ['export']."""
    # bm25s.tokenize's default token pattern reads the words of two characters or more (rag.textspans.WORD's)
    return _stem_all([token for token in WORD.findall(text.lower()) if len(token) > 1 and token not in _STOP])


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
        self._df_of: dict[str, int] = {}

    @classmethod
    def build(cls, ids: list[str], texts: list[str]) -> "BM25Index":
        """Index ``texts`` (parallel to ``ids``). Example: ``BM25Index.build(["a"], ["harbour cranes"])``."""
        import bm25s

        model = bm25s.BM25(k1=1.2, b=0.75)
        if texts:
            model.index(_tokenize(texts), show_progress=False)
        return cls(list(ids), model if texts else None)

    def search(self, query: str, k: int, allowed: np.ndarray | None = None) -> list[tuple[str, float]]:
        """Top ``k`` chunks for ``query``; ``allowed`` is an optional boolean mask over ``self.ids``."""
        if self.model is None or not self.ids:
            return []
        token_ids = self.model.get_tokens_ids(analyze(query))  # unknown words dropped
        if not token_ids:
            return []
        scores = self.scores(token_ids)
        if allowed is not None:
            scores = scores * allowed
        # Select among the scored chunks only: np.argpartition over 100,000 scores that are mostly 0 took ~11 ms
        # (numpy's introselect is slow on many equal values), over the non-zero ones ~0.5 ms. Ties: lower index first.
        top = np.flatnonzero(scores > 0)
        if len(top) > k:
            top = top[np.argpartition(-scores[top], k - 1)[:k]]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self.ids[int(d)], float(scores[d])) for d in top]

    def scores(self, token_ids: list[int]) -> np.ndarray:
        """The BM25 score of every chunk for analyzer token ids (a repeated word counts again): bm25s's own
        float32 sums in the same order, with a plain indexed add where bm25s calls ``np.add.at`` (a chunk occurs
        once in a word's postings, so the indices never repeat within one add)."""
        index = self.model.scores
        indptr, indices, data = index["indptr"], index["indices"], index["data"]
        token_ids = np.asarray(token_ids, dtype=np.int64)
        scores = np.zeros(int(index["num_docs"]), dtype=data.dtype)
        for start, end in zip(indptr[token_ids], indptr[token_ids + 1]):
            scores[indices[start:end]] += data[start:end]
        if self.model.nonoccurrence_array is not None:  # BM25 variants that score absent words (not lucene)
            scores += self.model.nonoccurrence_array[token_ids].sum()
        return scores

    def document_frequency(self, word: str) -> int:
        """Number of chunks containing ``word`` after the BM25 analyzer (0 for stopwords and unknown words;
        the rarest token when the word splits). Example: ``index.document_frequency("Exports")``."""
        if self.model is None:
            return 0
        known = self._df_of.get(word)  # the answerer asks for each question word several times
        if known is not None:
            return known
        tokens = analyze(word)
        if self._df is None:
            self._df = np.diff(np.asarray(self.model.scores["indptr"]))
        vocab = self.model.vocab_dict
        known = min((int(self._df[vocab[t]]) if t in vocab and vocab[t] < len(self._df) else 0 for t in tokens),
                    default=0)
        if len(self._df_of) > 100_000:
            self._df_of.clear()
        self._df_of[word] = known
        return known

    def chunks_with(self, word: str) -> np.ndarray:
        """Positions (in ``self.ids``) of the chunks holding every analyzer token of ``word`` (empty when one is
        unknown). Example: ``index.chunks_with("Exports")``."""
        if self.model is None:
            return np.zeros(0, dtype=np.int64)
        index, vocab = self.model.scores, self.model.vocab_dict
        found = None
        for token in analyze(word):
            if token not in vocab:
                return np.zeros(0, dtype=np.int64)
            t = vocab[token]
            postings = np.asarray(index["indices"][index["indptr"][t]:index["indptr"][t + 1]])
            found = postings if found is None else np.intersect1d(found, postings)
        return found if found is not None else np.zeros(0, dtype=np.int64)

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
