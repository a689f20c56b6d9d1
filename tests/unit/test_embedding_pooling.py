"""Pure pooling helpers of the embedders, on tiny arrays (no model)."""
from __future__ import annotations

import numpy as np
import pytest

from rag.embeddings import DIMENSIONS, pool_spans
from rag.errors import BadArgument
from rag.onnx_backend import mean_pool, model_cache_dir


def _tokens(n: int) -> np.ndarray:
    return np.eye(n, DIMENSIONS, dtype=np.float32)


def test_pool_spans_averages_the_tokens_inside_each_span():
    tokens = _tokens(4)  # [CLS], "ab", "cd", [SEP]
    offsets = np.array([[0, 0], [0, 2], [3, 5], [0, 0]])
    fallback = np.ones(DIMENSIONS, dtype=np.float32)
    rows = pool_spans(tokens, offsets, [(0, 2), (3, 5), (0, 5)], fallback)
    assert rows.shape == (3, DIMENSIONS)
    assert np.allclose(rows[0], tokens[1]) and np.allclose(rows[1], tokens[2])
    assert np.allclose(rows[2][:3], [0, 2 ** -0.5, 2 ** -0.5])  # both words, special tokens never count


def test_pool_spans_uses_the_fallback_past_the_length_limit():
    fallback = np.full(DIMENSIONS, 2.0, dtype=np.float32)
    rows = pool_spans(_tokens(3), np.array([[0, 0], [0, 4], [0, 0]]), [(10, 20)], fallback)
    assert np.allclose(rows[0], fallback / np.linalg.norm(fallback))


def test_pool_spans_ignores_token_rows_beyond_the_offsets():
    rows = pool_spans(_tokens(5), np.array([[0, 0], [0, 3]]), [(0, 3)], np.ones(DIMENSIONS))
    assert np.allclose(rows[0], _tokens(5)[1])


def test_mean_pool_weights_by_the_attention_mask_and_normalises():
    tokens = np.array([[[3.0, 0.0], [0.0, 4.0], [100.0, 100.0]]])
    pooled = mean_pool(tokens, np.array([[1, 1, 0]]))
    assert np.allclose(pooled, [[0.6, 0.8]])


def test_unknown_backend_is_refused_before_loading_anything():
    from rag.embeddings import Embedder

    with pytest.raises(BadArgument, match="onnx-int8"):
        Embedder("tensorflow")


def test_model_cache_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("RAG_MODEL_CACHE", str(tmp_path / "m"))
    assert model_cache_dir() == tmp_path / "m"
    monkeypatch.delenv("RAG_MODEL_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert model_cache_dir() == tmp_path / "rag" / "models"
