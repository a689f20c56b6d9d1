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
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.common import write_json
from bench.latency_index import DATA, ROOT, index_settings, prepare, start_server

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
          ("answer (sentence scoring, selection, citations)", ("_extractive", "answer")),  # _extractive: before the stages
          ("check stage", ("check_answer",)))


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
