"""Pure helpers on vectors: packing sentence vectors for Chroma metadata, pooling token embeddings over
character spans."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

DIMENSIONS = 384


def single_threaded_blas() -> None:
    """Keep numpy's BLAS to one thread in this process. The answerer multiplies small matrices (tens to a few
    hundred sentence vectors by 384); OpenBLAS splits those over threads that wait for each other, and on two
    shared cores a 64 x 384 product took 1-5 ms on its default threads against 0.2 ms on one (measured
    2026-12-07, load average 5). Nothing here multiplies matrices large enough to gain from threads: the
    embedding model runs in onnxruntime or torch, with their own thread pools, and Chroma in its own code.
    Example: ``single_threaded_blas()`` -> None (a no-op where threadpoolctl finds no BLAS)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")


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


def pool_spans(tokens: "np.ndarray", offsets: "np.ndarray", spans, fallback: "np.ndarray") -> "np.ndarray":
    """One normalised vector per (start, end) character span: the mean of the contextual token embeddings
    whose character range overlaps the span (special tokens, whose range is empty, never count); ``fallback``
    for a span no token covers (text past the model's length limit). Vectorised: one mask, one matmul.

    Example: ``pool_spans(np.eye(3, 384), np.array([[0, 0], [0, 2], [3, 5]]), [(3, 5)], f)`` -> the unit vector e2.
    """
    import numpy as np

    spans = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
    offsets = np.asarray(offsets, dtype=np.int64).reshape(-1, 2)[: len(tokens)]
    tokens = np.asarray(tokens, dtype=np.float32)[: len(offsets)]
    starts, ends = offsets[:, 0], offsets[:, 1]
    mask = ((ends > starts)[None, :] & (ends[None, :] > spans[:, :1]) & (starts[None, :] < spans[:, 1:]))
    counts = mask.sum(axis=1, keepdims=True)
    rows = (mask.astype(np.float32) @ tokens) / np.maximum(counts, 1)
    rows = np.where(counts > 0, rows, np.asarray(fallback, dtype=np.float32)[None, :])
    return (rows / (np.linalg.norm(rows, axis=1, keepdims=True) + 1e-12)).astype(np.float32)
