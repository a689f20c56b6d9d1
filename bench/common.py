"""Shared bench helpers: an on-disk embedding cache around rag.embeddings.Embedder, JSON output, and what both
fits of bench.answer_fit (the answer scorer, bench.abstain_fit's abstention model) read: the text of a generated
weights module, a standardised linear model's scores, the hand blend."""
from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import numpy as np

CACHE_DIR = Path(__file__).resolve().parent / ".cache"


def text_key(text: str) -> str:
    """Cache key of one text. Example: ``text_key("a")[:8]`` -> 'ca978112'."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name)


class CachedEmbedder:
    """Wraps an Embedder; vectors are kept on disk keyed by model name and text hash, so a second run of a
    benchmark embeds nothing. Exposes what ``run_ingest`` and ``Retrieval`` use: ``name``, ``encode``,
    ``query_vector`` and ``chroma_function``.

    The cache is a folder of shards (``hashes`` + ``vectors`` per ``.npz``), one shard per ``encode`` call that
    had misses, each written to a temporary name and renamed: a killed run loses at most one batch.
    """

    def __init__(self, inner, cache_dir: Path = CACHE_DIR) -> None:
        self.inner = inner
        self.folder = Path(cache_dir) / "embeddings" / _slug(inner.name)
        self._vectors: dict[str, np.ndarray] = {}
        self.hits = 0
        self.misses = 0
        if self.folder.is_dir():
            for shard in sorted(self.folder.glob("*.npz")):
                with np.load(shard) as data:
                    self._vectors.update(zip(data["hashes"].tolist(), data["vectors"]))

    @property
    def name(self) -> str:
        """Same identity as the wrapped model (the vectors are the same)."""
        return self.inner.name

    def __len__(self) -> int:
        return len(self._vectors)

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        """Like ``Embedder.encode``, from the cache where possible; new vectors are written to disk."""
        keys = [text_key(t) for t in texts]
        missing = list(dict.fromkeys(k for k in keys if k not in self._vectors))
        self.hits += len(keys) - len(missing)
        self.misses += len(missing)
        if missing:
            first_text = dict(zip(keys, texts))
            vectors = self.inner.encode([first_text[k] for k in missing], progress=progress)
            self._vectors.update(zip(missing, vectors))
            self._write_shard(missing, vectors)
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self._vectors[k] for k in keys]).astype(np.float32)

    def encode_with_sentences(self, texts: list[str], spans: list[list[tuple[int, int]]]):
        """Chunk vectors from the cache, and NO sentence vectors (an empty matrix per text).

        The ingest pipeline stores pooled sentence vectors for the answerer; a retrieval benchmark never reads
        them, and computing them would need a second full forward pass over the corpus. A chunk without them
        is valid: the Assistant embeds such sentences itself when it answers.
        """
        return self.encode(texts), [np.zeros((0, 384), dtype=np.float32) for _ in texts]

    def encode_passages(self, texts: list[str]):
        """``encode_with_sentences`` over each text's own sentences: cached vectors, the spans, NO sentence vectors."""
        from rag.textspans import sentence_spans

        spans = [[(s.start, s.end) for s in sentence_spans(t)] for t in texts]
        vectors, sentence_vectors = self.encode_with_sentences(texts, spans)
        return vectors, spans, sentence_vectors

    def __getattr__(self, attr: str):
        if attr.startswith("_") or attr == "inner":
            raise AttributeError(attr)
        return getattr(self.inner, attr)  # anything else the pipeline may ask of an Embedder

    def query_vector(self, text: str) -> np.ndarray:
        """One text's vector (cache first)."""
        return self.encode([text])[0]

    def query_vectors(self, texts: list[str]) -> list[np.ndarray]:
        """Several texts' vectors (cache first), as Embedder.query_vectors."""
        return list(self.encode(list(texts)))

    def chroma_function(self):
        """This cached model as a Chroma EmbeddingFunction."""
        from rag.embeddings import ChromaEmbeddingFunction

        return ChromaEmbeddingFunction(self)

    def _write_shard(self, keys: list[str], vectors: np.ndarray) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = hashlib.sha256("".join(keys).encode()).hexdigest()[:16]
        final = self.folder / f"{name}.npz"
        tmp = self.folder / f".{name}.{os.getpid()}.tmp.npz"
        np.savez(tmp, hashes=np.array(keys), vectors=np.asarray(vectors, dtype=np.float32))
        os.replace(tmp, final)


def write_json(path: Path | None, data: dict) -> None:
    """Write ``data`` as indented JSON (parents created); nothing when ``path`` is None."""
    if path is None:
        return
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def weights_module(doc: str, features, params, **extra: float) -> str:
    """The text of a generated weights module (rag/*_weights.py): its docstring, then FEATURES, MEANS, SCALES,
    WEIGHTS and BIAS of a standardised logistic model, then any ``extra`` constants, rounded to 6 places.
    Example: ``weights_module("Fitted.", ("a",), ([0.5], [2.0], [1.25], -0.1)).splitlines()[1]``
    -> "FEATURES = ('a',)"."""
    means, scales, weights, bias = params
    lines = [f'"""{doc}"""', f"FEATURES = {tuple(features)!r}",
             f"MEANS = {tuple(round(float(v), 6) for v in means)!r}",
             f"SCALES = {tuple(round(float(v), 6) for v in scales)!r}",
             f"WEIGHTS = {tuple(round(float(v), 6) for v in weights)!r}", f"BIAS = {round(float(bias), 6)!r}"]
    lines += [f"{name} = {round(float(value), 6)!r}" for name, value in extra.items()]
    return "\n".join(lines) + "\n"


def predict(params, x):
    """Scores of a standardised linear model, ``params`` as ``weights_module`` writes them (means, scales, weights,
    bias). Example: ``predict(([0.0], [2.0], [1.0], 0.5), np.array([[4.0]]))`` -> array([2.5])."""
    means, scales, weights, bias = params
    return ((x - means) / scales) @ weights + bias


def hand_blend(x: np.ndarray, kinds: np.ndarray) -> np.ndarray:
    """The hand-set blend the learned model replaces (rag.answer_features.relevance, which the abstention bar still
    reads), row by row with each row's asked kind."""
    from rag.answer_features import relevance

    out = np.zeros(len(x))
    for kind in set(kinds.tolist()):
        mask = kinds == kind
        out[mask] = relevance(x[mask], kind or None)
    return out
