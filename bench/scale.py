"""How cost grows with the index, all through a `chroma run` server: at 10k, 100k (and 1M) chunks, ask p50/p95
over real questions, the asking process's and the server's resident memory, the asker's start time from an
empty --db (manifest + BM25 rebuilt from the server) and from its cache, and the ingest rates.

    python -m bench.scale --sizes 10000,100000 [--questions 1000] --json OUT

1. SciFact's 5,183 abstracts go through `rag ingest`'s real pipeline into the server (the measured ingest rate,
   embedding included), in collection ``scale_base``.
2. Each size N is a copy of that index replicated to N chunks, as bench.latency does for 100k: each copy's
   vectors the real ones plus small Gaussian noise (renormalised), texts and metadata (sentence vectors
   included) real; written into collection ``scale_N`` (the bulk write rate), then published as `rag ingest`
   does: BM25 + manifest snapshot, document records and generation (``IndexStore.publish``), the flip.
3. A fresh asking process per size, with an empty --db, measures first answer (from its start) and then the
   timed questions; a second process on the now-filled --db measures the cached start.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.common import write_json
from bench.latency import _rss_mb, questions
from bench.latency_index import DATA, NOISE, read_all, replicate, start_server, write_corpus

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache" / "scale"
WARMUP = 10


def _settings(url: str, collection: str, db: Path, **extra):
    from rag.settings import Settings

    return Settings(db_dir=db, chroma_url=url, collection=collection, _env_file=None, **extra)


def ingest_base(url: str, embedder) -> dict:
    """SciFact through the real pipeline into the server; the ingest rate."""
    from ingest.pipeline import run_ingest

    corpus = CACHE / "scifact-corpus"
    write_corpus(DATA, corpus, None)
    settings = _settings(url, "scale_base", CACHE / "base-db", source_dir=corpus)
    report = run_ingest(settings, embedder)
    figures = {"chunks": report.chunks, "seconds": round(report.seconds, 1),
               "chunks_per_s": round(report.embedded / report.seconds, 1), "embedded": report.embedded}
    first = CACHE / "base_ingest.json"  # the rate is that of the run that embedded everything, kept for later runs
    if report.embedded == report.chunks:
        first.write_text(json.dumps(figures), encoding="utf-8")
    elif first.exists():
        figures = {**json.loads(first.read_text(encoding="utf-8")), "reused_by_this_run": True}
    return figures


def build_size(url: str, embedder, size: int, seed: int = 0) -> dict:
    """Collection ``scale_<size>``: the base replicated to ``size`` chunks, then published."""
    from rag.bm25 import BM25Index
    from rag.server_cache import save
    from rag.server_index import generation_of
    from rag.store import IndexStore
    from rag.manifest import Manifest

    base = _settings(url, "scale_base", CACHE / "base-db")
    base_store = IndexStore(base, embedder.chroma_function())
    manifest = base_store.load_manifest()
    data = read_all(base, embedder)
    target = _settings(url, f"scale_{size}", Path(tempfile.mkdtemp(prefix="scale-writer-")))
    store = IndexStore(target, embedder.chroma_function())
    try:  # chunks written by an earlier run are reused (the publish is always redone)
        reuse = store.client().get_collection(target.collection, embedding_function=None).count() >= size
    except Exception:
        reuse = False
    if not reuse:
        try:
            store.client().delete_collection(target.collection)
        except Exception:
            pass
        store.server().drop()
    collection = store.collection(create=True)
    batch = min(2000, store.client().get_max_batch_size())
    docs, texts, written = {}, {}, 0
    pending = {"ids": [], "embeddings": [], "documents": [], "metadatas": []}
    write_s = 0.0

    def flush():
        nonlocal write_s
        if reuse:
            pending.update({key: [] for key in pending})
        elif pending["ids"]:
            began = time.perf_counter()
            collection.add(**pending)
            write_s += time.perf_counter() - began
            for key in pending:
                pending[key] = []

    for entry, rows in replicate(manifest, data, size, NOISE, seed, width=3):
        for new_id, vector, text, meta in rows:
            for key, value in zip(("ids", "embeddings", "documents", "metadatas"), (new_id, vector, text, meta)):
                pending[key].append(value)
            written += 1
            if len(pending["ids"]) >= batch:
                flush()
        docs[entry.source] = entry
        if entry.sha not in texts:
            texts[entry.sha] = base_store.read_text(entry)
    flush()
    new = Manifest(manifest.embedder, manifest.source_root, docs)
    new.generation = generation_of(new.to_json())
    began = time.perf_counter()  # as `rag ingest` publishes: BM25 + manifest snapshot, records, the flip
    ids = sorted(cid for entry in docs.values() for cid in entry.chunk_ids)
    chunk_texts = store.server().chunk_texts(collection, ids)
    save(store, new, BM25Index.build(ids, [chunk_texts[cid] for cid in ids]))
    store.server().write_snapshot(new.generation, store.generation_dir(new.generation))
    store.publish(new, texts, collection)
    publish_s = time.perf_counter() - began
    store.close()
    base_store.close()
    return {"chunks": written, "documents": len(docs), "publish_s": round(publish_s, 1),
            **({"chunks_reused": True} if reuse else
               {"write_s": round(write_s, 1), "write_chunks_per_s": round(written / write_s, 1)})}


def ask_child(url: str, collection: str, db: Path, n: int, launched: float) -> dict:
    """Run in a fresh process: start, first answer, then ``n`` timed questions; memory at the end."""
    from rag.assistant import Assistant
    from rag.embeddings import Embedder

    qs = questions("scifact", DATA, n)
    settings = _settings(url, collection, db)
    assistant = Assistant(settings, Embedder(settings.embed_backend))
    assistant.ask(qs[0])
    first = time.time() - launched
    out = {"first_answer_s": round(first, 2), "rss_after_start_mb": _rss_mb()["VmRSS"]}
    if n:
        for question in qs[1:WARMUP]:
            assistant.ask(question)
        times = []
        for question in qs[WARMUP:WARMUP + n]:
            began = time.perf_counter()
            assistant.ask(question)
            times.append((time.perf_counter() - began) * 1000)
        out.update({"questions": len(times), "p50_ms": round(float(np.percentile(times, 50)), 1),
                    "p95_ms": round(float(np.percentile(times, 95)), 1)})
    memory = _rss_mb()
    out.update({"rss_mb": memory["VmRSS"], "peak_rss_mb": memory["VmHWM"]})
    return out


def _child(url: str, collection: str, db: Path, n: int) -> dict:
    launched = time.time()
    got = subprocess.run([sys.executable, "-m", "bench.scale", "--child", collection, "--chroma-url", url,
                          "--db", str(db), "--questions", str(n), "--launched", repr(launched)],
                         capture_output=True, text=True, cwd=ROOT, check=False)
    if got.returncode != 0:
        raise SystemExit(f"bench.scale: the asking process failed:\n{got.stderr[-2000:]}")
    return json.loads(got.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m bench.scale``."""
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated chunk counts")
    parser.add_argument("--questions", type=int, default=1000)
    parser.add_argument("--chroma-url", help="a running server (default: start one over bench/.cache/scale)")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--launched", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    import warnings

    warnings.filterwarnings("ignore")
    if args.child:
        print(json.dumps(ask_child(args.chroma_url, args.child, args.db, args.questions, args.launched)))
        return 0
    from rag.embeddings import Embedder

    server = None
    url = args.chroma_url
    if not url:
        CACHE.mkdir(parents=True, exist_ok=True)
        server, url = start_server(CACHE / "server")
    result: dict = {"server": url, "questions": args.questions, "sizes": []}
    try:
        embedder = Embedder()
        result["ingest"] = ingest_base(url, embedder)
        print(f"base ingest: {result['ingest']}", file=sys.stderr)
        for size in [int(s) for s in args.sizes.split(",") if s]:
            built = build_size(url, embedder, size)
            print(f"built {size}: {built}", file=sys.stderr)
            with tempfile.TemporaryDirectory(prefix="scale-asker-") as db:
                cold = _child(url, f"scale_{size}", Path(db), args.questions)
                warm = _child(url, f"scale_{size}", Path(db), 0)
            entry = {"size": size, **built, **cold, "cached_first_answer_s": warm["first_answer_s"]}
            if server is not None:
                entry["server_rss_mb"] = _rss_mb(str(server.pid))["VmRSS"]
            print(json.dumps(entry), file=sys.stderr)
            result["sizes"].append(entry)
            write_json(args.json, result)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=60)
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
