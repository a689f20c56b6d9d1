"""ingest.reachability on a real embedded Chroma: records its HNSW graph cannot reach by their own vector are
found and written again. A graph built with one search candidate and six links per node leaves many such
records (the same symptom chroma-core/chroma#7758 reports after deletes and upserts), so the repair is tested on
the real thing, not on a stand-in."""
from __future__ import annotations

import numpy as np
import pytest

from ingest.reachability import ids_to_check, relink, relink_unreachable, unreachable


@pytest.fixture()
def client(tmp_path):
    import chromadb
    from chromadb.config import Settings

    made = chromadb.PersistentClient(path=str(tmp_path / "chroma"), settings=Settings(anonymized_telemetry=False))
    yield made
    made.close()


def _collection(client, name: str, sparse: bool, vectors: np.ndarray):
    hnsw = {"space": "cosine"}
    if sparse:
        hnsw.update(ef_search=1, max_neighbors=6, ef_construction=4)
    col = client.get_or_create_collection(name, configuration={"hnsw": hnsw}, embedding_function=None)
    col.add(ids=[f"r{i}" for i in range(len(vectors))], embeddings=vectors,
            documents=[f"record {i}" for i in range(len(vectors))], metadatas=[{"n": i} for i in range(len(vectors))])
    return col


def _own_vector_finds(col, rid: str) -> bool:
    vector = col.get(ids=[rid], include=["embeddings"])["embeddings"][0]
    return rid in col.query(query_embeddings=[vector], n_results=4)["ids"][0]


def test_a_well_built_index_has_every_record_reachable_and_exact_copies_are_not_flagged(client):
    vectors = np.random.default_rng(1).normal(size=(300, 24)).astype(np.float32)
    vectors[7] = vectors[8] = vectors[9] = vectors[10] = vectors[11] = vectors[3]  # a file indexed in six places
    col = _collection(client, "healthy", False, vectors)
    assert unreachable(col, [f"r{i}" for i in range(300)]) == []
    warned = []
    assert relink_unreachable(col, ["r1"], {f"r{i}" for i in range(300)}, warned.append, RuntimeError) == 0
    assert warned == [] and col.count() == 300


def test_unreachable_records_are_found_and_written_again_until_reachable(client):
    vectors = np.random.default_rng(0).normal(size=(400, 16)).astype(np.float32)
    col = _collection(client, "sparse", True, vectors)
    ids = [f"r{i}" for i in range(400)]
    bad = unreachable(col, ids)
    assert len(bad) > 10  # the sparse graph strands many records (38 to 65 of 400 seen)...
    assert not any(_own_vector_finds(col, rid) for rid in bad[:10])  # ...and each one flagged really is stranded
    before = col.get(ids=bad, include=["embeddings", "documents", "metadatas"])

    rewritten, still = relink(col, ids)
    # This graph is meant to be bad, and a delete can strand a neighbour: fewer left (17 to 30 seen), not none.
    assert rewritten >= len(bad) and len(still) < len(bad)
    assert sorted(unreachable(col, ids)) == sorted(still)
    # Written again unchanged: same ids, vectors, texts and metadata; nothing lost or added.
    after = col.get(ids=bad, include=["embeddings", "documents", "metadatas"])
    order = {rid: k for k, rid in enumerate(after["ids"])}
    for k, rid in enumerate(before["ids"]):
        j = order[rid]
        assert np.allclose(before["embeddings"][k], after["embeddings"][j])
        assert (before["documents"][k], before["metadatas"][k]) == (after["documents"][j], after["metadatas"][j])
    assert col.count() == 400


def test_a_record_that_stays_unreachable_is_said_in_one_line(client):
    vectors = np.random.default_rng(0).normal(size=(400, 16)).astype(np.float32)
    col = _collection(client, "stranded", True, vectors)
    warned = []
    relink_unreachable(col, [], {f"r{i}" for i in range(400)}, warned.append, RuntimeError)
    assert len(warned) <= 1 and all("\n" not in line and "vector search" in line for line in warned)


def test_ids_to_check_are_the_written_ones_then_a_fixed_sample_of_the_rest():
    assert ids_to_check(["b", "gone"], {"a", "b", "c"}) == ["b", "a", "c"]
    live = {f"k{i:05d}" for i in range(10_000)}
    first, second = ids_to_check(["k00001"], live), ids_to_check(["k00001"], live)
    assert first == second and first[0] == "k00001" and len(first) == 2001 and len(set(first)) == 2001
