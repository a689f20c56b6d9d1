"""The ONNX Runtime embedders against the torch model (loaded once for this module): fp32 (the default, i.e.
the session fixture) gives the same vectors, int8 close ones, and sentence pooling works from the ONNX token
embeddings too."""
from __future__ import annotations

import numpy as np
import pytest

from rag.textspans import sentence_spans

TEXTS = ["Japan's rare earth imports from China fell by a third in 2025. Prices rose.",
         "Short.", "The vessel Chikyu recovered mud from 5,700 metres. " * 20]


@pytest.fixture(scope="module")
def torch_embedder():
    from rag.embeddings import Embedder

    return Embedder("torch")


@pytest.fixture(scope="module")
def fp32(embedder):
    assert embedder.name == "all-MiniLM-L6-v2/onnx"  # the default backend
    return embedder


@pytest.fixture(scope="module")
def int8():
    from rag.embeddings import Embedder

    return Embedder("onnx-int8")


def test_fp32_onnx_vectors_equal_torch_vectors(torch_embedder, fp32):
    assert fp32.name == "all-MiniLM-L6-v2/onnx"
    assert np.abs(fp32.encode(TEXTS) - torch_embedder.encode(TEXTS)).max() < 1e-5


def test_int8_vectors_stay_close_to_torch(int8, torch_embedder):
    cosine = (int8.encode(TEXTS) * torch_embedder.encode(TEXTS)).sum(axis=1)
    assert cosine.min() > 0.97


def test_sentence_vectors_from_onnx_match_torch(torch_embedder, fp32):
    spans = [[(s.start, s.end) for s in sentence_spans(t)] for t in TEXTS]
    torch_chunks, torch_sentences = torch_embedder.encode_with_sentences(TEXTS, spans)
    chunks, sentences = fp32.encode_with_sentences(TEXTS, spans)
    assert np.abs(chunks - torch_chunks).max() < 1e-5
    assert [len(s) for s in sentences] == [len(s) for s in spans]
    for mine, theirs in zip(sentences, torch_sentences):
        assert np.abs(mine - theirs).max() < 1e-4
    assert np.allclose(np.linalg.norm(sentences[0], axis=1), 1.0, atol=1e-5)


def test_empty_input_gives_empty_matrices(fp32):
    assert fp32.encode([]).shape == (0, 384)
    vectors, sentences = fp32.encode_with_sentences([], [])
    assert vectors.shape == (0, 384) and sentences == []


def test_int8_vector_of_a_text_does_not_depend_on_its_batch(int8):
    alone = int8.encode(TEXTS[:1])
    together = int8.encode(TEXTS)[:1]
    assert np.abs(alone - together).max() < 1e-6


def test_many_texts_on_parallel_workers_equal_one_at_a_time(fp32):
    from rag.embeddings import BULK_MIN_TEXTS

    texts = [f"Passage {i}: rare earth exports fell {i}% in month {i % 12}." for i in range(BULK_MIN_TEXTS * 3)]
    together = fp32.encode(texts)  # the worker pool
    alone = np.stack([fp32.encode([t])[0] for t in texts])  # the all-cores session
    assert np.abs(together - alone).max() < 1e-5


def test_a_few_texts_in_one_padded_pass_equal_one_at_a_time(fp32):
    texts = ["About 58% of imports come from China", "the share fell from 90% to 60 percent over a decade",
             "Prime Minister Sanae Takaichi said"]  # different lengths: padding must not change a vector
    together = fp32.encode(texts)
    alone = np.stack([fp32.encode([t])[0] for t in texts])
    assert np.abs(together - alone).max() < 1e-5


def test_passages_split_and_pooled_on_the_workers_equal_the_explicit_path(fp32):
    from rag.embeddings import BULK_MIN_TEXTS
    from rag.textspans import sentence_spans

    texts = [f"Exports fell {i}% in March. Prices rose by {i * 3}% after that. Japan said so." for i in
             range(BULK_MIN_TEXTS * 2)] + ["One sentence only"]
    vectors, spans, sentences = fp32.encode_passages(texts)  # splitting and pooling on the worker pool
    expected_spans = [[(s.start, s.end) for s in sentence_spans(t)] for t in texts]
    assert spans == expected_spans
    explicit_vectors, explicit_sentences = fp32.encode_with_sentences(texts, expected_spans)
    assert np.abs(vectors - explicit_vectors).max() < 1e-5
    assert [s.shape for s in sentences] == [(len(sp), 384) for sp in expected_spans]
    assert max(np.abs(a - b).max() for a, b in zip(sentences, explicit_sentences)) < 1e-5
