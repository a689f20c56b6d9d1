"""What an ingest writes to Chroma, and in which order: new chunks upserted batch by batch (embedding only text
the index does not already hold, each batch written on a writer thread while the next one embeds), stale
chunks deleted after, moved files' metadata rewritten; in server mode the generation published (records, then
the pointer flipped) before anything is deleted. Every step is idempotent, so a run killed anywhere is finished by
the next one (ingest/pipeline.py plans the work).
"""
from __future__ import annotations

import json
import sys
from dataclasses import replace

from rag.embeddings import pack_vectors
from rag.errors import RagError
from rag.store import IndexStore
from rag.manifest import DocumentEntry, Manifest
from rag.types import Chunk

UPSERT_BATCH = 128  # chunks embedded and written per step: the bar moves, memory stays flat, a crash loses little
DELETE_BATCH = 1024


def progress_bar(total: int, unit: str, enabled: bool, desc: str):
    from tqdm import tqdm

    return tqdm(total=total, unit=unit, desc=desc, file=sys.stderr, disable=not enabled, dynamic_ncols=True,
                leave=False)


def publish_to_server(store: IndexStore, collection, manifest: Manifest, texts: dict, ordered: list[str],
                       chunks: dict, delete_ids: list[str], lease) -> None:
    """Server mode, after the chunks are in: document records, generation record, the pointer flipped last, then
    what no generation uses deleted. Each step is idempotent, so a run killed anywhere is finished by the next."""
    from rag.bm25 import BM25Index
    from rag.server_cache import save
    from rag.server_index import generation_of

    manifest.generation = generation_of(manifest.to_json())
    server = store.server()
    folder = store.generation_dir(manifest.generation)
    if not (folder / "bm25" / "ids.json").exists() or not (folder / "manifest.json").exists():
        save(store, manifest, BM25Index.build(ordered, [chunks[i].text for i in ordered]))
    try:
        if lease is not None:
            lease.check()  # broken by `--break-lease` elsewhere: publish nothing
        if (folder / "manifest.json").exists():
            server.write_snapshot(manifest.generation, folder)  # what a new asker downloads instead of rebuilding
        # Always: puts back a record lost since the last run; writes nothing when all are there.
        store.publish(manifest, texts, collection)
        if lease is not None and delete_ids:
            lease.check()  # deletes are what would hurt a writer that broke our lease meanwhile
        for first in range(0, len(delete_ids), DELETE_BATCH):
            collection.delete(ids=delete_ids[first:first + DELETE_BATCH])
        server.drop_unpublished(manifest)
    except RagError:
        raise
    except Exception as exc:
        raise store._wrap(exc) from None


def write_chunks(collection, embedder, todo: list[Chunk], delete_ids: list[str], report, progress: bool,
                  reuse_from: list[str] | None = None) -> None:
    """Upsert ``todo`` in batches (embedding only text not already in the index), then delete ``delete_ids``.

    Upserts come first so a reader never loses a passage that is only moving; every step is idempotent, so
    a crash anywhere is repaired by the next run's plan. Vectors are reused from ``reuse_from`` (default
    ``delete_ids``): server mode deletes later, after publishing.
    """
    reused = _vectors_of_moved_text(collection, delete_ids if reuse_from is None else reuse_from, todo)
    # Each batch is written by one writer thread while the next batch is embedded: written in line, the upsert
    # left the embedding workers idle (9% of a 1,400-chunk ingest). At most one write is in flight, so memory
    # stays one batch deep, and every write has finished (or raised here) before this returns.
    from concurrent.futures import ThreadPoolExecutor

    with progress_bar(len(todo), "chunk", progress, "embedding") as bar, \
            ThreadPoolExecutor(1, thread_name_prefix="upsert") as writer:
        pending = None
        for first in range(0, len(todo), UPSERT_BATCH):
            part = todo[first:first + UPSERT_BATCH]
            fresh = [c for c in part if c.text not in reused]
            vectors, sentences = _embed(embedder, fresh)
            part = [sentences.get(c.id) or _with_reused_sentences(c, reused) for c in part]
            report.embedded += len(fresh)
            if pending is not None:
                pending.result()
            pending = writer.submit(_upsert, collection, part,
                                    [vectors[c.id] if c.id in vectors else reused[c.text][0] for c in part], bar)
        if pending is not None:
            pending.result()
    for first in range(0, len(delete_ids), DELETE_BATCH):
        collection.delete(ids=delete_ids[first:first + DELETE_BATCH])


def _upsert(collection, part: list[Chunk], vectors: list, bar) -> None:
    collection.upsert(ids=[c.id for c in part], embeddings=vectors, documents=[c.text for c in part],
                      metadatas=[c.metadata() for c in part])
    bar.update(len(part))


def _embed(embedder, chunks: list[Chunk]) -> tuple[dict, dict]:
    """Chunk vectors, and the chunks with their pooled sentence vectors attached (one forward pass)."""
    if not chunks:
        return {}, {}
    vectors, spans, sentence_vectors = embedder.encode_passages([c.text for c in chunks])
    with_sentences = {c.id: replace(c, sent_spans=json.dumps(sp, separators=(",", ":")), sent_vecs=pack_vectors(sv))
                      for c, sp, sv in zip(chunks, spans, sentence_vectors)}
    return dict(zip((c.id for c in chunks), vectors)), with_sentences


def _with_reused_sentences(chunk: Chunk, reused: dict) -> Chunk:
    meta = reused[chunk.text][1] or {}
    return replace(chunk, sent_spans=meta.get("sent_spans", ""), sent_vecs=meta.get("sent_vecs", ""))


def _vectors_of_moved_text(collection, delete_ids: list[str], todo: list[Chunk]) -> dict:
    """Vectors of chunks about to be deleted whose exact text is being added again (a renamed or moved file),
    so it is not embedded twice."""
    wanted = {c.text for c in todo}
    reused = {}
    if not wanted or not delete_ids:
        return reused
    for first in range(0, len(delete_ids), 1000):
        got = collection.get(ids=delete_ids[first:first + 1000], include=["documents", "embeddings", "metadatas"])
        for text, vector, meta in zip(got["documents"], got["embeddings"], got["metadatas"]):
            if text in wanted:
                reused[text] = (vector, meta)  # the metadata carries the pooled sentence vectors
    return reused


def refresh_moved_paths(collection, old: Manifest, new_docs: dict[str, DocumentEntry], chunks: dict[str, Chunk],
                         written: set[str]) -> None:
    """When the folder itself moved, kept chunks still carry the old absolute path in their metadata:
    rewrite the metadata only (no embedding)."""
    stale = [cid for source, entry in new_docs.items()
             if source in old.documents and old.documents[source].path != entry.path
             for cid in entry.chunk_ids if cid not in written]
    for first in range(0, len(stale), UPSERT_BATCH):
        part = stale[first:first + UPSERT_BATCH]
        collection.update(ids=part, metadatas=[chunks[cid].metadata() for cid in part])
