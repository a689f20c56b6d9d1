"""The indexes bench.latency and bench.scale measure: the seeds or SciFact through the real pipeline, or N chunks
made by copying SciFact's (real vectors plus small noise), written with the project's store classes; and a
`chroma run` server for a run."""
from __future__ import annotations

import json
import math
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "bench" / "scifact"
CACHE = ROOT / "bench" / ".cache" / "latency"
NOISE = 0.005  # per dimension: copies sit at cosine ~0.995 of the original vector


# ---- indexes
def _settings(db_dir: Path, backend: str, chroma_url: str | None = None, collection: str = "rag_chunks", **extra):
    from rag.settings import Settings

    return Settings(db_dir=db_dir, embed_backend=backend, chroma_url=chroma_url, collection=collection,
                    _env_file=None, **extra)


def write_corpus(data: Path, folder: Path, docs: int | None) -> int:
    """Write the first ``docs`` abstracts (all when None) as ``ID.txt`` files; return how many."""
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    with (data / "corpus.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            if docs is not None and count >= docs:
                break
            doc = json.loads(line)
            text = f"{doc.get('title', '').strip()}\n\n{doc['text'].strip()}\n"
            path = folder / f"{doc['_id']}.txt"
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
            count += 1
    return count


def build_pipeline_index(source: Path, db_dir: Path, embedder, backend: str, chroma_url=None, collection="rag_chunks"):
    """`rag ingest`'s pipeline into ``db_dir`` (incremental: an unchanged folder costs seconds)."""
    from ingest.pipeline import run_ingest

    settings = _settings(db_dir, backend, chroma_url, collection, source_dir=source)
    report = run_ingest(settings, embedder, progress=sys.stderr.isatty())
    if report.skipped:
        raise SystemExit(f"bench.latency: {len(report.skipped)} files skipped, e.g. {report.skipped[0]}")
    return settings


def read_all(settings, embedder) -> dict:
    """Every chunk of an index: ids, documents, metadatas, embeddings (paged)."""
    from rag.store import IndexStore

    store = IndexStore(settings, embedder.chroma_function())
    collection = store.collection()
    out = {"ids": [], "documents": [], "metadatas": [], "embeddings": []}
    offset, page = 0, 5000
    while True:
        got = collection.get(include=["documents", "metadatas", "embeddings"], limit=page, offset=offset)
        for key in out:
            out[key].extend(got[key])
        if len(got["ids"]) < page:
            break
        offset += page
    store.close()
    out["embeddings"] = np.asarray(out["embeddings"], dtype=np.float32)
    return out


def replicate(manifest, data: dict, chunks: int | None, noise: float, seed: int = 0, width: int = 2):
    """The base index's documents replicated to at least ``chunks`` chunks (None: one exact copy): yields
    (DocumentEntry of the copy, its rows as (id, vector, text, metadata)). Copy 0 is the base itself; each later
    copy's vectors are the real ones plus Gaussian noise of scale ``noise``, renormalised, so the copies are
    near neighbours of the real chunks without being duplicates; texts and metadata are real."""
    from rag.manifest import DocumentEntry

    row = {cid: i for i, cid in enumerate(data["ids"])}
    copies = 1 if chunks is None else math.ceil(chunks / len(row))
    rng = np.random.default_rng(seed)
    written = 0
    for copy in range(copies):
        for source, entry in sorted(manifest.documents.items()):
            if chunks is not None and written >= chunks:
                return
            name = source if copy == 0 else f"copy{copy:0{width}d}/{source}"
            ids = [cid if copy == 0 else f"{cid}-{copy:0{width}d}" for cid in entry.chunk_ids]
            rows = []
            for cid, new_id in zip(entry.chunk_ids, ids):
                i = row[cid]
                vector = data["embeddings"][i]
                if copy and noise:
                    vector = vector + rng.normal(0.0, noise, vector.shape).astype(np.float32)
                    vector /= np.linalg.norm(vector)
                rows.append((new_id, vector, data["documents"][i], {**data["metadatas"][i], "source": name}))
            written += len(rows)
            yield (DocumentEntry(name, entry.path, entry.sha, ids, entry.title, entry.date, entry.format,
                                 entry.encoding, entry.chars), rows)


def materialize(base_settings, target_settings, embedder, chunks: int | None, noise: float, seed: int = 0) -> int:
    """Write a copy of the base index, replicated to at least ``chunks`` chunks (None: one exact copy), into
    ``target_settings``' Chroma (embedded or server) and sidecar. Returns the number of chunks written."""
    from rag.bm25 import BM25Index
    from rag.store import IndexStore
    from rag.manifest import Manifest

    base_store = IndexStore(base_settings, embedder.chroma_function())
    manifest = base_store.load_manifest()
    data = read_all(base_settings, embedder)
    store = IndexStore(target_settings, embedder.chroma_function())
    try:
        store.client().delete_collection(target_settings.collection)
    except Exception:
        pass  # not there yet
    collection = store.collection(create=True)
    batch = min(5000, store.client().get_max_batch_size())
    docs = {}
    pending: dict[str, list] = {"ids": [], "embeddings": [], "documents": [], "metadatas": []}
    written: list[tuple[str, str]] = []

    def flush():
        if pending["ids"]:
            collection.add(**pending)
            for key in pending:
                pending[key] = []

    for entry, rows in replicate(manifest, data, chunks, noise, seed):
        for new_id, vector, text, meta in rows:
            for key, value in zip(("ids", "embeddings", "documents", "metadatas"), (new_id, vector, text, meta)):
                pending[key].append(value)
            written.append((new_id, text))
            if len(pending["ids"]) >= batch:
                flush()
        docs[entry.source] = entry
        store.write_text(entry.sha, base_store.read_text(entry))
    flush()
    ordered = sorted(written)
    BM25Index.build([cid for cid, _ in ordered], [text for _, text in ordered]).save(store.bm25_dir)
    store.save_manifest(Manifest(manifest.embedder, manifest.source_root, docs, f"bench-{len(written)}"))
    store.close()
    base_store.close()
    return len(written)


def index_settings(corpus: str, backend: str, chroma_url: str | None):
    """Where the index for ``corpus`` lives (folder, collection, server); nothing is read or built."""
    if corpus == "seeds":
        db = CACHE / (f"seeds-{backend}" + ("-server" if chroma_url else ""))
        return _settings(db, backend, chroma_url, "bench_seeds", source_dir=ROOT / "seeds")
    if corpus == "scifact" and not chroma_url:
        return _settings(CACHE / f"scifact-{backend}", backend, source_dir=CACHE / "scifact-corpus")
    db = CACHE / (f"{corpus}-{backend}" + ("-server" if chroma_url else ""))
    return _settings(db, backend, chroma_url, f"bench_{corpus}")


def prepare(corpus: str, backend: str, embedder, data: Path, chroma_url: str | None):
    """Build the index for ``corpus`` unless it is ready; return its Settings. Run in a child process (see
    ``run``), so the measuring process's memory holds only what answering needs."""
    from rag.store import IndexStore

    CACHE.mkdir(parents=True, exist_ok=True)
    target = index_settings(corpus, backend, chroma_url)
    if corpus == "seeds":
        return build_pipeline_index(target.source_dir, target.db_dir, embedder, backend, chroma_url,
                                    target.collection)
    write_corpus(data, CACHE / "scifact-corpus", None)
    base = index_settings("scifact", backend, None)
    build_pipeline_index(base.source_dir, base.db_dir, embedder, backend)
    if target == base:
        return base
    chunks = None if corpus == "scifact" else int(corpus)
    store = IndexStore(target, embedder.chroma_function())
    try:
        ready = store.exists() and store.collection().count() >= (chunks or 1) and \
            store.load_manifest().generation.startswith("bench-")
    except Exception:
        ready = False
    store.close()
    if not ready:
        started = time.perf_counter()
        count = materialize(base, target, embedder, chunks, NOISE if chunks else 0.0)
        print(f"built {count} chunks in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return target


# ---- a Chroma server for the run
def free_port() -> int:
    """An unused TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(path: Path) -> tuple[subprocess.Popen, str]:
    """`chroma run` on a free port; returns (process, url) once /api/v2/heartbeat answers."""
    port = free_port()
    chroma = Path(sys.executable).with_name("chroma")
    process = subprocess.Popen([str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1).read()
            return process, url
        except Exception:
            if process.poll() is not None:
                raise SystemExit("bench.latency: chroma run exited at start")
            time.sleep(0.3)
    process.kill()
    raise SystemExit("bench.latency: chroma run did not answer within 60 s")
