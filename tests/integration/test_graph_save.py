"""ingest.graph_save on a real embedded Chroma: after the save, every process that opens the index finds the same
nearest neighbours. Without it, the records written since Chroma's last save of the graph (under 1,000) are
inserted again by each process that opens the index, differently each time (checked by hand: 5 runs, 5
different answers to the same 60 queries)."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np

from ingest.graph_save import DEFAULT_SYNC_THRESHOLD, save_graph
from rag.settings import Settings
from rag.store import IndexStore

QUERIES = textwrap.dedent("""
    import hashlib, sys
    import numpy as np
    import chromadb
    from chromadb.config import Settings
    client = chromadb.PersistentClient(path=sys.argv[1], settings=Settings(anonymized_telemetry=False))
    collection = client.get_collection(sys.argv[2], embedding_function=None)
    queries = np.random.default_rng(11).normal(size=(60, 384)).astype(np.float32)
    found = collection.query(query_embeddings=queries, n_results=30, include=[])["ids"]
    print(hashlib.sha256(repr(found).encode()).hexdigest())
""")


def _clustered(n: int) -> np.ndarray:
    rng = np.random.default_rng(7)
    centres = rng.normal(size=(40, 384))
    vectors = centres[rng.integers(0, 40, n)] + 0.6 * rng.normal(size=(n, 384))
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


def _answers_in_fresh_processes(db_dir, name: str, runs: int = 3) -> set[str]:
    return {subprocess.run([sys.executable, "-c", QUERIES, str(db_dir), name], capture_output=True, text=True,
                           check=True).stdout.strip() for _ in range(runs)}


def test_after_the_save_every_process_searches_the_same_graph(tmp_path):
    store = IndexStore(Settings(source_dir=tmp_path, db_dir=tmp_path / "db", _env_file=None))
    collection = store.collection(create=True)
    vectors = _clustered(1950)  # 950 records past Chroma's last save of the graph, at 1,000
    for first in range(0, len(vectors), 250):
        part = range(first, min(first + 250, len(vectors)))
        collection.add(ids=[f"c{i}" for i in part], embeddings=vectors[first:first + 250],
                       metadatas=[{"n": i} for i in part])
    reopened = save_graph(store)
    assert reopened.count() == len(vectors)
    assert reopened.configuration["hnsw"]["sync_threshold"] == DEFAULT_SYNC_THRESHOLD  # put back for later writes
    store.close()
    answers = _answers_in_fresh_processes(tmp_path / "db", store.settings.collection)
    assert len(answers) == 1, answers


def test_a_server_index_is_left_alone(tmp_path):
    store = IndexStore(Settings(source_dir=tmp_path, db_dir=tmp_path / "db", chroma_url="http://127.0.0.1:9",
                                _env_file=None))
    assert save_graph(store) is None
