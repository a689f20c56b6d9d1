"""Load: start `rag ui` on a loopback port, run USERS concurrent gradio_client sessions that each ask QUESTIONS
different questions through the app's ``/ask`` endpoint, and check every answer equals the answer the same
question gets when asked alone (before the load, one at a time).

    python -m bench.load --db .rag/chroma --users 20 --questions 5 --json bench/results/load.json
    python -m bench.load --chroma-url http://127.0.0.1:8000 --workers 3 --users 20 --questions 5

With ``--workers N`` (a Chroma server: ``--chroma-url``) N `rag ui` processes serve the same server, each from its
own empty --db (as N machines would: each rebuilds its cache from the server), and user u talks to worker
u mod N; every answer is compared with worker 0's answer to the same question asked alone.

Writes {"users", "questions", "requests", "errors", "p50_ms", "p95_ms", ...}; exit code 1 when a request failed or
an answer differed. Latencies include the wait in the app's queue (answers run one at a time), so p95 grows with
the number of users while the work per question does not. Questions come from eval/gold_qa.jsonl.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "eval" / "gold_qa.jsonl"


def gold_questions(path: Path = GOLD, limit: int = 20) -> list[str]:
    """The first ``limit`` distinct questions of a gold file. Example: ``gold_questions(limit=1)`` -> ['Which ...?']."""
    questions: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            question = json.loads(line)["question"]
            if question not in questions:
                questions.append(question)
        if len(questions) >= limit:
            break
    return questions


def plan(users: int, per_user: int, questions: list[str]) -> list[list[str]]:
    """Which questions each user asks: ``per_user`` different ones, rotated so users start on different ones.

    Example: ``plan(2, 2, ["a", "b", "c"])`` -> [['a', 'b'], ['b', 'c']].
    """
    if per_user > len(questions):
        raise ValueError(f"only {len(questions)} distinct questions for {per_user} per user")
    return [[questions[(u + i) % len(questions)] for i in range(per_user)] for u in range(users)]


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_ready(url: str, proc: subprocess.Popen | None = None, timeout: float = 240.0) -> None:
    """Block until the app answers HTTP on ``url`` (401 counts: it is up, behind a login)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"rag ui exited with code {proc.returncode} before serving")
        try:
            with urllib.request.urlopen(url + "config", timeout=5):
                return
        except urllib.error.HTTPError as exc:
            if exc.code == 401:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"rag ui did not serve {url} within {timeout:.0f} s")


@contextmanager
def served(db: Path, log: Path, port: int | None = None, chroma_url: str | None = None):
    """Run `rag ui --db DB` on 127.0.0.1 (a free port by default); yield its URL; stop it afterwards."""
    port = port or _free_port()
    rag = str(Path(sys.executable).with_name("rag"))
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
    server = ["--chroma-url", chroma_url] if chroma_url else []
    with open(log, "wb") as out:
        proc = subprocess.Popen([rag, "ui", "--db", str(db), "--host", "127.0.0.1", "--port", str(port), *server],
                                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env, cwd=ROOT)
        try:
            url = f"http://127.0.0.1:{port}/"
            wait_ready(url, proc)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _client(url: str, auth):
    from gradio_client import Client

    return Client(url, auth=auth, verbose=False)


def ask_alone(url: str, questions: list[str], auth=None) -> dict[str, str]:
    """Each question asked once, one at a time, in one session: the reference answers (JSON strings)."""
    client = _client(url, auth)
    out = {}
    for question in questions:
        out[question] = client.predict(question, 0, api_name="/ask")
        if "error" in json.loads(out[question]):
            raise RuntimeError(f"the reference answer failed: {out[question]}")
    return out


def run_sessions(url, assignments: list[list[str]], expected: dict[str, str], auth=None) -> dict:
    """One thread and one gradio_client session per user, all started together; each asks its questions in
    order (``url``: one app, or a list of apps, user u asking app u mod len). Returns counts (requests, errors,
    mismatches), latency percentiles and the first problems seen."""
    urls = [url] if isinstance(url, str) else list(url)
    from eval.metrics import percentile

    latencies: list[float] = []
    problems: list[str] = []
    counts = {"requests": 0, "errors": 0, "mismatches": 0}
    lock = threading.Lock()
    start = threading.Barrier(len(assignments))

    def user(questions: list[str], url: str) -> None:
        try:
            client = _client(url, auth)
        except Exception as exc:  # a session that cannot even connect fails all its questions
            with lock:
                counts["requests"] += len(questions)
                counts["errors"] += len(questions)
                problems.append(f"connect: {type(exc).__name__}: {exc}")
            start.wait()
            return
        start.wait()
        for question in questions:
            began = time.perf_counter()
            try:
                reply = client.predict(question, 0, api_name="/ask")
                error = json.loads(reply).get("error")
            except Exception as exc:
                reply, error = None, f"{type(exc).__name__}: {exc}"
            elapsed = (time.perf_counter() - began) * 1000
            with lock:
                counts["requests"] += 1
                latencies.append(elapsed)
                if error:
                    counts["errors"] += 1
                    problems.append(f"{question[:60]!r}: {error}")
                elif reply != expected[question]:
                    counts["mismatches"] += 1
                    problems.append(f"{question[:60]!r}: answer differs from the one asked alone")

    threads = [threading.Thread(target=user, args=(qs, urls[u % len(urls)]), daemon=True)
               for u, qs in enumerate(assignments)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=1800)
    wall = time.perf_counter() - began
    return {**counts, "p50_ms": _round(percentile(latencies, 50)), "p95_ms": _round(percentile(latencies, 95)),
            "max_ms": _round(max(latencies, default=None)), "wall_s": round(wall, 2),
            "throughput_rps": round(counts["requests"] / wall, 3) if wall else None,
            "answers_per_s": round((counts["requests"] - counts["errors"]) / wall, 3) if wall else None,
            "problems": problems[:10]}


def _round(value):
    return None if value is None else round(value, 1)


def run(db: Path, users: int, per_user: int, log: Path, auth=None, workers: int = 1,
        chroma_url: str | None = None) -> dict:
    """The whole benchmark against fresh `rag ui` processes: one over ``db``, or ``workers`` over ``chroma_url``
    (each with its own empty --db under ``db``)."""
    from contextlib import ExitStack

    questions = gold_questions(limit=max(per_user, min(users + per_user - 1, 20)))
    assignments = plan(users, per_user, questions)
    asked = sorted({q for qs in assignments for q in qs}, key=questions.index)
    logs = [log] if workers == 1 else [log.with_name(f"{log.stem}.{i}{log.suffix}") for i in range(workers)]
    with ExitStack() as stack:
        urls = [stack.enter_context(served(db if workers == 1 else db / f"worker{i}", logs[i],
                                           chroma_url=chroma_url)) for i in range(workers)]
        began = time.perf_counter()
        expected = ask_alone(urls[0], asked, auth)
        alone_ms = (time.perf_counter() - began) * 1000 / len(asked)
        result = run_sessions(urls, assignments, expected, auth)
    tracebacks = sum(path.read_text(encoding="utf-8", errors="replace").count("Traceback") for path in logs)
    where = f"{workers} x rag ui on 127.0.0.1 over {chroma_url}" if chroma_url else "rag ui on 127.0.0.1"
    return {"users": users, "questions": per_user, "workers": workers, "distinct_questions": len(asked), **result,
            "alone_mean_ms": round(alone_ms, 1), "server_tracebacks": tracebacks, "server": where}


def main(argv: list[str] | None = None) -> int:
    """`python -m bench.load`."""
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=Path(".rag/chroma"), help="an ingested index folder")
    parser.add_argument("--users", type=int, default=20, help="concurrent sessions (default 20)")
    parser.add_argument("--questions", type=int, default=5, help="different questions per session (default 5)")
    parser.add_argument("--json", type=Path, help="write the result here")
    parser.add_argument("--log", type=Path, help="the server's output (default: next to --json, or a temp file)")
    parser.add_argument("--chroma-url", help="ask an index in this Chroma server (then --db is a cache folder)")
    parser.add_argument("--workers", type=int, default=1, help="`rag ui` processes over --chroma-url (default 1)")
    args = parser.parse_args(argv)
    if args.workers < 1 or (args.workers > 1 and not args.chroma_url):
        print("bench.load: --workers N needs N >= 1, and a Chroma server (--chroma-url) when N > 1",
              file=sys.stderr)
        return 2
    if args.chroma_url and args.db == Path(".rag/chroma"):
        import tempfile

        args.db = Path(tempfile.mkdtemp(prefix="bench-load-"))  # empty: every worker rebuilds from the server
    if not args.chroma_url and not (args.db / "sidecar" / "manifest.json").exists():
        print(f"bench.load: no index in {args.db}: run `rag ingest --db {args.db}` first", file=sys.stderr)
        return 2
    if args.users < 1 or args.questions < 1:
        print("bench.load: --users and --questions must be at least 1", file=sys.stderr)
        return 2
    log = args.log or (args.json.with_suffix(".server.log") if args.json else Path("/tmp/bench-load-ui.log"))
    auth = tuple(os.environ["RAG_UI_AUTH"].split(":", 1)) if os.environ.get("RAG_UI_AUTH") else None
    result = run(args.db, args.users, args.questions, Path(log), auth, args.workers, args.chroma_url)
    text = json.dumps(result, indent=1)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text + "\n", encoding="utf-8")
    print(text)
    complete = result["requests"] == args.users * args.questions
    return 0 if complete and result["errors"] == 0 and result["mismatches"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
