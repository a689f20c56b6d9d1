"""Question latency against its floor: warm ``Assistant.ask`` (default answerer) versus the bare floor, one
question embedding plus one Chroma query, measured question by question in the same run (alternating which
goes first, so neither gets the other's warm caches), p50/p95 over >= 200 real questions, and memory.

    python -m bench.latency --chunks seeds|scifact|N [--chroma-url URL | --start-server] [--questions 300]
                            [--backend B] --json OUT

Indexes (kept in bench/.cache/latency, rebuilt only when missing):
  seeds    the 5 seed articles, through `rag ingest`'s pipeline; questions: eval/gold_qa.jsonl + SciFact claims.
  scifact  all 5,183 SciFact abstracts as files, through the pipeline (real vectors, ~23k chunks).
  N        N chunks: the SciFact index copied until N (sources ``copyNN/ID.txt``), each copy's vectors the real
           ones plus small Gaussian noise (renormalised), texts and metadata (sentence vectors included) copied,
           written straight into Chroma + BM25 + manifest with the project's store classes.
Questions are real SciFact claims/questions (not in the warm-up), embedded by the real model.
With ``--start-server`` a `chroma run` server is started on a free port for the run and the index is copied
into it; ``--chroma-url`` uses a running one.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import numpy as np

from bench.common import write_json

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "bench" / "scifact"
CACHE = ROOT / "bench" / ".cache" / "latency"
NOISE = 0.005  # per dimension: copies sit at cosine ~0.995 of the original vector
WARMUP = 10


# ---- questions
def questions(corpus: str, data: Path, n: int) -> list[str]:
    """``n`` distinct real questions, after the warm-up ones; seeds get the gold questions first."""
    found: list[str] = []
    if corpus == "seeds":
        with (ROOT / "eval" / "gold_qa.jsonl").open(encoding="utf-8") as handle:
            found += [json.loads(line)["question"] for line in handle if line.strip()]
    with (data / "queries.jsonl").open(encoding="utf-8") as handle:
        found += [json.loads(line)["text"] for line in handle if line.strip()]
    found = list(dict.fromkeys(found))
    if len(found) < n + WARMUP:
        raise SystemExit(f"bench.latency: only {len(found)} questions available")
    return found[: n + WARMUP]


# ---- indexes
def _settings(db_dir: Path, backend: str, chroma_url: str | None = None, collection: str = "rag_chunks", **extra):
    from rag.settings import Settings

    return Settings(db_dir=db_dir, embed_backend=backend, chroma_url=chroma_url, collection=collection,
                    _env_file=None, **extra)


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
    from bench.ingest import write_corpus
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


def _rss_mb(pid: str = "self") -> dict:
    fields = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as handle:
        for line in handle:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = round(int(value.split()[0]) / 1024, 1)
    return fields


# ---- measuring
def measure(settings, embedder, qs: list[str], turns: int = 0) -> dict:
    """Warm Assistant.ask vs the floor, question by question. With ``turns``, each question is also asked as a
    later turn of a conversation holding the ``turns`` answers before it (alternating which goes first): what
    follow-up resolution adds to a question's time."""
    from rag.assistant import Assistant

    assistant = Assistant(settings, embedder)
    collection = assistant.retrieval.collection
    k = settings.top_k

    def floor(question: str) -> float:
        started = time.perf_counter()
        vector = embedder.encode([question])[0]
        collection.query(query_embeddings=[vector], n_results=k, include=["documents", "metadatas", "distances"])
        return (time.perf_counter() - started) * 1000

    def ask(question: str) -> tuple[float, object]:
        started = time.perf_counter()
        answer = assistant.ask(question)
        return (time.perf_counter() - started) * 1000, answer

    for question in qs[:WARMUP]:
        floor(question)
        ask(question)
    def ask_in_conversation(question: str, earlier: list) -> tuple[float, object]:
        started = time.perf_counter()
        answer = assistant.ask(question, conversation=earlier)
        return (time.perf_counter() - started) * 1000, answer

    asks, floors, retrieve, abstained = [], [], [], 0
    in_conversation, alone, resolve_ms, resolved, history = [], [], [], 0, []
    for i, question in enumerate(qs[WARMUP:]):
        if turns and len(history) >= turns and i % 4 in (1, 3):
            # Every other question is asked as a later turn instead (never the same question twice: the second
            # ask would find its vectors cached): the two halves come from the same question stream.
            conv_ms, conv = ask_in_conversation(question, history[-turns:])
            in_conversation.append(conv_ms)
            resolve_ms.append(conv.timings_ms.get("resolve_ms", 0.0))
            resolved += conv.standalone_question != conv.question
            history.append(conv)
            continue
        if i % 2:
            floors.append(floor(question))
            elapsed, answer = ask(question)
        else:
            elapsed, answer = ask(question)
            floors.append(floor(question))
        if turns:
            alone.append(elapsed)
        history.append(answer)
        asks.append(elapsed)
        retrieve.append(answer.timings_ms.get("retrieve_ms", 0.0))
        abstained += answer.abstained
    chunks = collection.count()
    p = lambda values, q: round(float(np.percentile(values, q)), 1)  # noqa: E731
    result = {"chunks": chunks, "questions": len(asks), "p50_ms": p(asks, 50), "p95_ms": p(asks, 95),
              "bare_p50_ms": p(floors, 50), "bare_p95_ms": p(floors, 95),
              "ratio": round(p(asks, 95) / p(floors, 95), 2),
              "retrieve_p50_ms": p(retrieve, 50), "retrieve_p95_ms": p(retrieve, 95), "abstained": abstained}
    if in_conversation:
        result["conversation"] = {
            "earlier_turns": turns, "questions": len(in_conversation), "p50_ms": p(in_conversation, 50),
            "p95_ms": p(in_conversation, 95), "alone_p95_ms": p(alone, 95),
            "added_p95_ms": round(p(in_conversation, 95) - p(alone, 95), 2),
            "resolve_p50_ms": round(float(np.percentile(resolve_ms, 50)), 3),
            "resolve_p95_ms": round(float(np.percentile(resolve_ms, 95)), 3), "resolved": resolved}
    return result


# Where a question's time goes: (label, function names whose time counts toward it). Dense search and the
# fetch of the fused passages are Retrieval methods; everything after retrieval is the answerer.
PHASES = (("embed question", ("query_vector",)), ("dense search (Chroma query)", ("dense_ids", "dense")),
          ("BM25", ("sparse",)), ("fetch fused passages (Chroma get)", ("chunks",)),
          ("answer (sentence scoring, selection, citations)", ("_extractive",)))


def profile(settings, embedder, qs: list[str], out: Path | None) -> dict:
    """A pyinstrument profile of ``Assistant.ask`` over the questions (a separate pass after the timed one, so
    the sampler does not slow what is measured): milliseconds per question in each phase of PHASES, and the
    whole call tree as text in ``out`` when given."""
    from pyinstrument import Profiler

    from rag.assistant import Assistant

    assistant = Assistant(settings, embedder)  # its own caches are empty: fetches and scoring happen again
    for question in qs[:WARMUP]:
        assistant.ask(question)
    embedder._query_cache.clear()  # the timed pass embedded these questions: embed them again, as it did
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for question in qs[WARMUP:]:
        assistant.ask(question)
    profiler.stop()
    totals = {label: 0.0 for label, _ in PHASES}
    owner = {name: label for label, names in PHASES for name in names}

    def walk(frame, counted: bool) -> None:
        label = owner.get(frame.function)
        if label and not counted:  # a phase inside another (none today) counts once, at the outermost
            totals[label] += frame.time
        for child in frame.children:
            walk(child, counted or bool(label))

    root = profiler.last_session.root_frame()
    walk(root, False)
    per_question = len(qs) - WARMUP
    phases = {label: round(seconds * 1000 / per_question, 2) for label, seconds in totals.items()}
    phases["profiled ask total"] = round(root.time * 1000 / per_question, 2)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(profiler.output_text(unicode=False, color=False), encoding="utf-8")
    return phases


def run(corpus: str, backend: str, n: int, data: Path, chroma_url: str | None, start: bool,
        profile_out: Path | None = None, with_profile: bool = False, turns: int = 0) -> dict:
    """Build or reuse the index, then measure; server mode starts/stops its own `chroma run` when asked."""
    import warnings

    from rag.embeddings import Embedder

    warnings.filterwarnings("ignore", message="Could not reconstruct embedding function")  # ours is passed in
    embedder = Embedder(backend)
    server = None
    tmp = None
    if start:
        tmp = tempfile.TemporaryDirectory(prefix="chroma-server-")
        server, chroma_url = start_server(Path(tmp.name))
    try:
        build = [sys.executable, "-m", "bench.latency", "--chunks", corpus, "--backend", backend, "--data", str(data),
                 "--build-only"] + (["--chroma-url", chroma_url] if chroma_url else [])
        subprocess.run(build, check=True, cwd=ROOT)
        settings = index_settings(corpus, backend, chroma_url)
        qs = questions(corpus, data, n)
        result = measure(settings, embedder, qs, turns)
        memory = _rss_mb()
        result.update({"corpus": corpus, "backend": backend, "rss_mb": memory["VmRSS"], "peak_rss_mb": memory["VmHWM"],
                       "chroma": "server" if chroma_url else "embedded"})
        if server is not None:
            result["server_rss_mb"] = _rss_mb(str(server.pid))["VmRSS"]
        if with_profile:
            result["profile_ms_per_question"] = profile(settings, embedder, qs, profile_out)
        return result
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if tmp is not None:
            tmp.cleanup()


def table(result: dict) -> str:
    """A short aligned table."""
    keys = ["chunks", "p50_ms", "p95_ms", "bare_p50_ms", "bare_p95_ms", "ratio", "retrieve_p95_ms", "rss_mb"]
    return "\n".join(f"{k:<18}{result[k]:>10}" for k in keys if k in result)


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m bench.latency``."""
    from rag.settings import Settings

    parser = argparse.ArgumentParser(prog="python -m bench.latency", description=__doc__.split("\n\n")[0])
    parser.add_argument("--chunks", default="seeds", help="seeds, scifact or a number of chunks (e.g. 100000)")
    parser.add_argument("--questions", type=int, default=1000, help="measured questions (>= 200; more make p95 steadier)")
    parser.add_argument("--backend", default=Settings(_env_file=None).embed_backend)
    parser.add_argument("--data", type=Path, default=DATA, help="BEIR SciFact folder")
    parser.add_argument("--chroma-url", help="measure against this running Chroma server")
    parser.add_argument("--start-server", action="store_true", help="start a `chroma run` server for the run")
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)  # the child of ``run``
    parser.add_argument("--json", type=Path)
    parser.add_argument("--profile", action="store_true",
                        help="after timing, profile the questions (pyinstrument): ms per phase in the JSON, the call "
                             "tree beside it as .profile.txt")
    parser.add_argument("--conversation", type=int, default=0, metavar="N",
                        help="also ask each question as a later turn after N earlier answers (e.g. 3): the time "
                             "follow-up resolution adds")
    args = parser.parse_args(argv)
    if args.chunks not in ("seeds", "scifact") and not args.chunks.isdigit():
        parser.error("--chunks must be seeds, scifact or a number")
    if args.build_only:
        import warnings

        from rag.embeddings import Embedder

        warnings.filterwarnings("ignore", message="Could not reconstruct embedding function")
        prepare(args.chunks, args.backend, Embedder(args.backend), args.data, args.chroma_url)
        return 0
    profile_out = args.json.with_suffix(".profile.txt") if args.json and args.profile else None
    result = run(args.chunks, args.backend, args.questions, args.data, args.chroma_url, args.start_server,
                 profile_out, args.profile, args.conversation)
    print(table(result))
    if "conversation" in result:
        print("in a conversation: " + ", ".join(f"{k} {v}" for k, v in result["conversation"].items()))
    for label, ms in result.get("profile_ms_per_question", {}).items():
        print(f"  {label:<50}{ms:>8} ms")
    write_json(args.json, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
