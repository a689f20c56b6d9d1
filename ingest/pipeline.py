"""Run an ingest: scan the folder, load and chunk every file, reconcile with what Chroma really holds,
embed only what is new (reusing vectors of moved text), then write BM25, texts and manifest atomically.

Crash safety comes from the order of writes and from planning against Chroma's actual ids: new chunks are
upserted batch by batch, stale ones deleted after, the manifest written last. With a Chroma server the
manifest's place is taken by records in the server (rag.server_index): chunks, then the generation's snapshot
and document records, then the published generation flipped, and only then the stale chunks and records
deleted, all under the server's writer lease (rag.lease). A run killed anywhere leaves a state the next run
repairs into exactly the clean-ingest state.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

from ingest.chroma_writes import progress_bar, publish_to_server, refresh_moved_paths, write_chunks
from ingest.graph_save import save_graph
from ingest.reachability import relink_unreachable
from ingest.chunking import chunk_id, chunk_spans, find_date, find_title, text_sha
from ingest.loaders import SkipFile, load
from ingest.manifest import plan
from rag.errors import BadArgument, IndexBusy, IndexCorrupt, RagError, SourceMissing
from rag.store import IndexStore
from rag.manifest import DocumentEntry, Manifest
from rag.types import Chunk, IngestReport


def scan(source_dir: Path, exclude: Path | None = None, on_error=None) -> list[Path]:
    """Every entry under ``source_dir`` that is not a folder (files, links, pipes: ``load`` sorts them out),
    sorted by relative path; hidden names and the folder ``exclude`` (the index itself) are left out.
    Folder links are not followed (no loops). ``on_error(relative folder, reason)`` hears of folders that
    cannot be listed.

    Example: ``scan(Path("seeds"))`` -> [Path("seeds/000_8f9c442d9b9343c7.txt"), ...].
    """
    exclude = exclude.resolve() if exclude is not None else None

    def unreadable(error: OSError) -> None:
        if on_error is not None and error.filename:
            folder = Path(error.filename).relative_to(source_dir).as_posix() + "/"
            on_error(folder, f"unreadable folder: {(error.strerror or str(error)).lower()}")

    found: list[Path] = []
    for root, dirs, names in os.walk(source_dir, onerror=unreadable):
        here = Path(root)
        dirs[:] = [d for d in dirs if not d.startswith(".") and (here / d).resolve() != exclude]
        found.extend(here / name for name in names if not name.startswith("."))
    return sorted(found, key=lambda p: p.relative_to(source_dir).as_posix())


def document_chunks(source: str, path: Path, text: str, sha: str, size: int, overlap: int) -> list[Chunk]:
    """Chunks of one document with ids, offsets, paragraph numbers, title and date.

    Example: ``document_chunks("a.txt", Path("/x/a.txt"), "Hi. Yo.", text_sha("Hi. Yo."), 450, 120)[0].text``
    -> 'Hi. Yo.'.
    """
    title, date = find_title(text), find_date(text)
    chunks = []
    for span in chunk_spans(text, size, overlap):
        chunks.append(Chunk(chunk_id(source, sha, span.start, span.end), source, str(path), span.start, span.end,
                            text[span.start:span.end], span.paragraph, title, date, sha))
    return chunks


def check_settings(settings) -> None:
    """Reject chunking settings that cannot work (BadArgument with the fix)."""
    if settings.chunk_size < 20:
        raise BadArgument(f"RAG_CHUNK_SIZE must be at least 20 characters, not {settings.chunk_size}")
    if not 0 <= settings.chunk_overlap < settings.chunk_size:
        raise BadArgument(f"RAG_CHUNK_OVERLAP must be between 0 and RAG_CHUNK_SIZE - 1, not {settings.chunk_overlap}")
    if settings.max_file_bytes < 1:
        raise BadArgument(f"RAG_MAX_FILE_BYTES must be positive, not {settings.max_file_bytes}")


def run_ingest(settings, embedder, progress: bool = False, warn=None, wait_s: float = 0.0, on_wait=None,
               before=None, break_lease: bool = False) -> IngestReport:
    """Make the index equal to a clean ingest of ``settings.source_dir``; return the report.

    ``warn`` receives one line per skipped file (the CLI prints them on stderr); ``progress`` shows bars on
    stderr. With a Chroma server the run first takes the server's writer lease (rag.lease; ``break_lease``
    takes it from a holder that died). Raises RagError (SourceMissing, IndexBusy, IndexCorrupt,
    BackendUnavailable, BadArgument) when the run itself cannot proceed. Uploads (ingest/uploads.py) wait up to
    ``wait_s`` seconds for another ingest's lock (``on_wait()`` is told once) and change the folder in
    ``before()``, called with the lock (and the server's lease) held, so no other ingest reads a half-changed
    folder.
    """
    from filelock import FileLock, Timeout

    started = time.perf_counter()
    check_settings(settings)
    source_dir = Path(settings.source_dir)
    if not source_dir.is_dir():
        raise SourceMissing(f"source folder {source_dir} does not exist or is not a folder")
    store = IndexStore(settings, embedder.chroma_function())
    try:
        store.db_dir.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(store.lock_path), timeout=0)
        _acquire(lock, wait_s, on_wait)
    except Timeout:
        raise IndexBusy(f"another `rag ingest` is writing the index in {store.db_dir}; "
                        "wait for it to finish and run again") from None
    except OSError as exc:
        raise IndexCorrupt(f"cannot write the index folder {store.db_dir} ({exc.strerror or exc})") from None
    lease = None
    try:
        store.client()  # a down server or a broken store fails here, before any file is read
        if settings.chroma_url:
            from rag.lease import Lease, holder_name

            try:
                lease = Lease(store.server().records(), f"collection {settings.collection!r} on "
                              f"{settings.chroma_url}", holder_name(store.db_dir))
                lease.acquire(break_lease)
            except RagError:
                lease = None
                raise
            except Exception as exc:
                lease = None
                raise store._wrap(exc) from None
        if before is not None:
            before()
        return _ingest_locked(settings, embedder, store, source_dir.resolve(), progress, warn or (lambda _: None),
                              started, lease)
    finally:
        if lease is not None:
            lease.release()
        store.close()
        lock.release()


def _acquire(lock, wait_s: float, on_wait) -> None:
    """Take the ingest lock, retrying for ``wait_s`` seconds; Timeout when another ingest still holds it."""
    from filelock import Timeout

    deadline = time.monotonic() + max(0.0, wait_s)
    told = False
    while True:
        try:
            lock.acquire(timeout=0)
            return
        except Timeout:
            if time.monotonic() >= deadline:
                raise
            if on_wait is not None and not told:
                on_wait()
                told = True
            time.sleep(0.25)


def _previous_manifest(store: IndexStore, warn) -> Manifest:
    try:
        return store.load_manifest(required=False)
    except IndexCorrupt:
        # Planning needs only the folder and Chroma's ids; the manifest just names statuses.
        warn(f"note: the manifest in {store.sidecar} was damaged; rebuilding it")
        return Manifest()


def _read_folder(settings, store: IndexStore, source_dir: Path, report: IngestReport, progress: bool, warn):
    """Load and chunk every file: (documents by source, chunks by id); skipped files go to ``report``."""
    docs: dict[str, DocumentEntry] = {}
    chunks: dict[str, Chunk] = {}
    texts: dict[str, str] = {}  # content hash -> text: server mode publishes them in its document records

    def unreadable(folder: str, reason: str) -> None:
        report.skipped.append({"path": folder, "reason": reason})
        warn(f"skipped {folder}: {reason}")

    files = scan(source_dir, exclude=store.db_dir, on_error=unreadable)
    with progress_bar(len(files), "file", progress, "reading") as bar:
        for path in files:
            source = path.relative_to(source_dir).as_posix()
            bar.update()
            try:
                loaded = load(path, settings.max_file_bytes)
            except SkipFile as skip:
                report.skipped.append({"path": source, "reason": str(skip)})
                warn(f"skipped {source}: {skip}")
                continue
            if loaded.encoding not in ("utf-8", "pdf"):
                warn(f"note {source}: not UTF-8, decoded as {loaded.encoding}")
            sha = text_sha(loaded.text)
            doc_chunks = document_chunks(source, path, loaded.text, sha, settings.chunk_size, settings.chunk_overlap)
            if not doc_chunks:
                report.skipped.append({"path": source, "reason": "no text to index"})
                warn(f"skipped {source}: no text to index")
                continue
            store.write_text(sha, loaded.text)
            if settings.chroma_url:
                texts[sha] = loaded.text
            chunks.update((chunk.id, chunk) for chunk in doc_chunks)
            docs[source] = DocumentEntry(source, str(path), sha, [c.id for c in doc_chunks], doc_chunks[0].title,
                                         doc_chunks[0].date, loaded.format, loaded.encoding, len(loaded.text))
    return docs, chunks, texts


def _ingest_locked(settings, embedder, store: IndexStore, source_dir: Path, progress: bool, warn, started,
                   lease=None):
    report = IngestReport()
    server = bool(settings.chroma_url)
    old = _previous_manifest(store, warn)
    if old.embedder and old.embedder.split("/")[0] != embedder.name.split("/")[0]:
        raise IndexCorrupt(f"the index in {store.describe()} was built with {old.embedder}; use a new "
                           + ("collection (RAG_COLLECTION)" if server else "--db folder") + " for another model")
    try:
        collection = store.collection(create=True)
    except RagError:
        raise
    except Exception as exc:
        raise store._wrap(exc) from None
    new_docs, chunks, texts = _read_folder(settings, store, source_dir, report, progress, warn)

    try:
        indexed = store.all_ids()
        work = plan(old.documents, new_docs, indexed)
        # Server mode deletes only after the new generation is published: a reader of the old one keeps its chunks.
        write_chunks(collection, embedder, [chunks[i] for i in work.add_ids], [] if server else work.delete_ids,
                      report, progress, reuse_from=work.delete_ids)
        refresh_moved_paths(collection, old, new_docs, chunks, set(work.add_ids))
        report.chunks = collection.count()
    except RagError:
        raise
    except Exception as exc:  # Chroma's own errors: a server that went away, a damaged store
        raise store._wrap(exc) from None

    ordered = sorted(chunks)
    manifest = Manifest(embedder.name, str(source_dir), new_docs,
                        hashlib.sha256("\n".join(ordered).encode()).hexdigest()[:16])
    if server:
        publish_to_server(store, collection, manifest, texts, ordered, chunks, work.delete_ids, lease)
        report.chunks = len(ordered)
    # An unchanged folder writes nothing: the sidecar is rewritten only when it would differ.
    elif (work.add_ids or work.delete_ids or manifest.to_json() != old.to_json()
            or not _bm25_holds(store, ordered)):
        from rag.bm25 import BM25Index

        BM25Index.build(ordered, [chunks[i].text for i in ordered]).save(store.bm25_dir)
        store.save_manifest(manifest)  # last: it publishes the new index to readers
    # Every run, so an index written before this stage existed is saved too (a reopen: well under a second).
    collection = save_graph(store) or collection
    if work.add_ids or work.delete_ids:  # after every write, deletes included: they are what strands a record
        # Checked on the graph every reader will load, saved again if a relink wrote.
        report.relinked = relink_unreachable(collection, work.add_ids, set(chunks), warn, store._wrap)
        if report.relinked:
            save_graph(store)
    store.drop_texts_except({d.sha for d in new_docs.values()})
    _drop_leftovers(store)

    report.added, report.updated, report.removed = work.added, work.updated, work.removed
    report.unchanged, report.renamed = work.unchanged, work.renamed
    report.skipped.sort(key=lambda skip: skip["path"])
    report.seconds = time.perf_counter() - started
    return report


def _bm25_holds(store: IndexStore, ordered: list[str]) -> bool:
    """Whether the saved BM25 index loads (right analyzer, not damaged) and holds exactly these chunk ids."""
    if not (store.bm25_dir / "ids.json").exists():
        return False
    try:
        return store.load_bm25().ids == ordered
    except RagError:
        return False


def _drop_leftovers(store: IndexStore) -> None:
    """Temporary files of writes a crash interrupted."""
    for pattern in ("manifest.json.*", "index_id.*", "generations/*/manifest.json.*"):
        for path in store.sidecar.glob(pattern):
            path.unlink(missing_ok=True)
    for name in ("bm25.tmp", "bm25.old"):
        shutil.rmtree(store.sidecar / name, ignore_errors=True)
