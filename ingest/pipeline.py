"""Run an ingest: scan the folder, load and chunk every file, reconcile with what Chroma really holds,
embed only what is new (reusing vectors of moved text), then write BM25, texts and manifest atomically.

Crash safety comes from the order of writes and from planning against Chroma's actual ids: new chunks are
upserted batch by batch, stale ones deleted after, the manifest written last. A run killed anywhere leaves
a state the next run repairs into exactly the clean-ingest state.
"""
from __future__ import annotations

import hashlib
import sys
import time
from pathlib import Path

from ingest.chunking import chunk_id, chunk_spans, find_date, find_title, text_sha
from ingest.loaders import SkipFile, load
from ingest.manifest import plan
from rag.errors import IndexBusy, IndexCorrupt, RagError, SourceMissing
from rag.store import DocumentEntry, IndexStore, Manifest
from rag.types import Chunk, IngestReport


def scan(source_dir: Path) -> list[Path]:
    """Files under ``source_dir``, sorted, hidden files and folders left out."""
    return sorted(p for p in source_dir.rglob("*")
                  if p.is_file() and not any(part.startswith(".") for part in p.relative_to(source_dir).parts))


def document_chunks(source: str, path: Path, text: str, sha: str, size: int, overlap: int) -> list[Chunk]:
    """Chunks of one document with ids, offsets, paragraph numbers, title and date."""
    title, date = find_title(text), find_date(text)
    seen: dict[str, int] = {}
    chunks = []
    for span in chunk_spans(text, size, overlap):
        body = text[span.start:span.end]
        occurrence = seen.get(body, 0)
        seen[body] = occurrence + 1
        chunks.append(Chunk(chunk_id(source, body, occurrence), source, str(path), span.start, span.end, body,
                            span.paragraph, title, date, sha))
    return chunks


def _progress(total: int, unit: str, enabled: bool, desc: str):
    from tqdm import tqdm

    return tqdm(total=total, unit=unit, desc=desc, file=sys.stderr, disable=not enabled, dynamic_ncols=True,
                leave=False)


def run_ingest(settings, embedder, progress: bool = False, warn=None) -> IngestReport:
    """Make the index equal to a clean ingest of ``settings.source_dir``; return the report.

    ``warn`` receives one line per skipped file (the CLI prints them on stderr).
    """
    from filelock import FileLock, Timeout

    started = time.perf_counter()
    source_dir = Path(settings.source_dir)
    if not source_dir.is_dir():
        raise SourceMissing(f"source folder {source_dir} does not exist or is not a folder")
    store = IndexStore(settings, embedder.chroma_function())
    try:
        store.db_dir.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(store.lock_path), timeout=0)
        lock.acquire()
    except Timeout:
        raise IndexBusy(f"another `rag ingest` is writing the index in {store.db_dir}; "
                        "wait for it to finish and run again") from None
    except OSError as exc:
        raise IndexCorrupt(f"cannot write the index folder {store.db_dir} ({exc.strerror or exc})") from None
    try:
        return _ingest_locked(settings, embedder, store, source_dir.resolve(), progress, warn or (lambda _: None),
                              started)
    finally:
        lock.release()


def _ingest_locked(settings, embedder, store: IndexStore, source_dir: Path, progress: bool, warn, started):
    report = IngestReport()
    old = store.load_manifest(required=False) if store.exists() else Manifest()
    if old.embedder and old.embedder.split("/")[0] != embedder.name.split("/")[0]:
        raise IndexCorrupt(f"the index in {store.describe()} was built with {old.embedder}; "
                           "use a new --db folder for another model")

    new_docs: dict[str, DocumentEntry] = {}
    chunks: dict[str, Chunk] = {}
    files = scan(source_dir)
    with _progress(len(files), "file", progress, "reading") as bar:
        for path in files:
            source = path.relative_to(source_dir).as_posix()
            try:
                loaded = load(path, settings.max_file_bytes)
            except SkipFile as skip:
                report.skipped.append({"path": source, "reason": str(skip)})
                warn(f"skipped {source}: {skip}")
                bar.update()
                continue
            if loaded.encoding not in ("utf-8", "pdf"):
                warn(f"note {source}: decoded as {loaded.encoding}")
            sha = text_sha(loaded.text)
            doc_chunks = document_chunks(source, path, loaded.text, sha, settings.chunk_size, settings.chunk_overlap)
            if not doc_chunks:
                report.skipped.append({"path": source, "reason": "no text to index"})
                warn(f"skipped {source}: no text to index")
                bar.update()
                continue
            store.write_text(sha, loaded.text)
            for chunk in doc_chunks:
                chunks[chunk.id] = chunk
            new_docs[source] = DocumentEntry(source, str(path), sha, [c.id for c in doc_chunks],
                                             doc_chunks[0].title, doc_chunks[0].date, loaded.format,
                                             loaded.encoding, len(loaded.text))
            bar.update()

    try:
        indexed = store.all_ids()
    except RagError:
        raise
    except Exception as exc:
        raise store._wrap(exc) from None
    work = plan(old.documents, new_docs, indexed)
    collection = store.collection(create=True)
    reused = _vectors_of_moved_text(collection, work.delete_ids, [chunks[i] for i in work.add_ids])

    batch = max(1, min(256, _max_batch(store)))
    todo = [chunks[i] for i in work.add_ids]
    with _progress(len(todo), "chunk", progress, "embedding") as bar:
        for first in range(0, len(todo), batch):
            part = todo[first:first + batch]
            fresh = [c for c in part if c.text not in reused]
            vectors = dict(zip((c.id for c in fresh), embedder.encode([c.text for c in fresh]))) if fresh else {}
            report.embedded += len(fresh)
            collection.upsert(ids=[c.id for c in part],
                              embeddings=[vectors[c.id] if c.id in vectors else reused[c.text] for c in part],
                              documents=[c.text for c in part], metadatas=[c.metadata() for c in part])
            bar.update(len(part))
    for first in range(0, len(work.delete_ids), batch * 4):
        collection.delete(ids=work.delete_ids[first:first + batch * 4])

    from rag.bm25 import BM25Index

    ordered = sorted(chunks)
    BM25Index.build(ordered, [chunks[i].text for i in ordered]).save(store.bm25_dir)
    manifest = Manifest(embedder.name, str(source_dir), new_docs,
                        hashlib.sha256("\n".join(ordered).encode()).hexdigest()[:16])
    store.save_manifest(manifest)
    _drop_unused_texts(store, {d.sha for d in new_docs.values()})

    report.added, report.updated, report.removed = work.added, work.updated, work.removed
    report.unchanged, report.renamed = work.unchanged, work.renamed
    report.chunks = collection.count()
    report.seconds = time.perf_counter() - started
    return report


def _max_batch(store: IndexStore) -> int:
    try:
        return int(store.client().get_max_batch_size())
    except Exception:
        return 256


def _vectors_of_moved_text(collection, delete_ids: list[str], todo: list[Chunk]) -> dict:
    """Vectors of chunks about to be deleted whose exact text is being added again (a renamed or moved file),
    so it is not embedded twice."""
    wanted = {c.text for c in todo}
    reused = {}
    if not wanted or not delete_ids:
        return reused
    for first in range(0, len(delete_ids), 1000):
        got = collection.get(ids=delete_ids[first:first + 1000], include=["documents", "embeddings"])
        for text, vector in zip(got["documents"], got["embeddings"]):
            if text in wanted:
                reused[text] = vector
    return reused


def _drop_unused_texts(store: IndexStore, keep: set[str]) -> None:
    folder = store.sidecar / "texts"
    if folder.is_dir():
        for path in folder.glob("*.txt"):
            if path.stem not in keep:
                path.unlink(missing_ok=True)
