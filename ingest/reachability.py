"""After an ingest writes or deletes, every chunk must still be found by its own vector: Chroma's HNSW index can
leave a live record that `get()` returns but `query()` never reaches, after deletes and upserts
(chroma-core/chroma#7758, open on 1.5.9; seen here twice, once in CI, after a run killed mid-write and repaired).
BM25 would still find such a chunk, so nothing fails loudly: a vector search just never returns it. This stage
checks the chunks the run wrote plus a sample of the rest, and writes the unreachable ones again (delete, then add
the same record), which links them into the graph anew.
"""
from __future__ import annotations

import random

CHECK_BATCH = 500  # vectors per query call: one round trip each, memory stays small
SAMPLE_KEPT = 2000  # chunks not written by this run checked too (all of them below this size): ~1 s here
NEIGHBOURS = 4  # a chunk with exact copies (a file repeated in two places) may rank behind them
ROUNDS = 2


def unreachable(collection, ids: list[str]) -> list[str]:
    """The ids among ``ids`` whose stored vector does not return them among its nearest neighbours.

    Example: unreachable(collection, ["c1", "c2"]) -> [] when both are their own nearest neighbours."""
    missing: list[str] = []
    neighbours = min(NEIGHBOURS, collection.count())
    for first in range(0, len(ids), CHECK_BATCH):
        part = ids[first:first + CHECK_BATCH]
        got = collection.get(ids=part, include=["embeddings"])
        vectors = dict(zip(got["ids"], got["embeddings"]))
        asked = [i for i in part if i in vectors]
        if not asked:
            continue
        found = collection.query(query_embeddings=[vectors[i] for i in asked],
                                 n_results=neighbours, include=["distances"])
        for wanted, ids_found, distances in zip(asked, found["ids"], found["distances"]):
            # All neighbours at distance 0 are exact copies of it: it may rank behind them and still be there.
            if wanted not in ids_found and not all(d < 1e-6 for d in distances):
                missing.append(wanted)
    return missing


def ids_to_check(written: list[str], all_ids: set[str], seed: int = 0) -> list[str]:
    """The chunks this run wrote, plus a fixed-seed sample of the others (all of them in a small index).

    Example: ids_to_check(["b"], {"a", "b", "c"}) -> ["b", "a", "c"]."""
    written_set = set(written)
    kept = sorted(all_ids - written_set)
    if len(kept) > SAMPLE_KEPT:
        kept = sorted(random.Random(seed).sample(kept, SAMPLE_KEPT))
    return [i for i in written if i in all_ids] + kept


def relink(collection, ids: list[str]) -> tuple[int, list[str]]:
    """Write the unreachable chunks among ``ids`` again until they are found (at most ROUNDS times).

    Returns (how many were written again, the ids still unreachable after the last round)."""
    bad = unreachable(collection, ids)
    rewritten = 0
    for _ in range(ROUNDS):
        if not bad:
            break
        got = collection.get(ids=bad, include=["embeddings", "documents", "metadatas"])
        collection.delete(ids=got["ids"])
        collection.add(ids=got["ids"], embeddings=got["embeddings"], documents=got["documents"],
                       metadatas=got["metadatas"])
        rewritten += len(got["ids"])
        bad = unreachable(collection, ids)  # all again: deleting a node can strand a neighbour that went through it
    return rewritten, bad


def relink_unreachable(collection, written: list[str], live: set[str], warn, wrap) -> int:
    """Check the chunks a run wrote plus a sample of the rest of ``live``; write the unreachable ones again.
    Returns how many were written again; ``warn`` gets one line if some stay unreachable; Chroma's errors leave
    as ``wrap(exc)`` (the store's one-line errors)."""
    try:
        rewritten, still = relink(collection, ids_to_check(written, live))
    except Exception as exc:
        raise wrap(exc) from None
    if still:
        warn(f"{len(still)} chunks are not found by vector search even after being written again (keyword search "
             "still finds them); a clean ingest into a new --db folder rebuilds the vector index")
    return rewritten
