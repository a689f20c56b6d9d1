"""Shared fixtures: the real model loaded once per session and one ingested seeds index."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Callable

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
RAG = str(Path(sys.executable).with_name("rag"))
CHROMA = str(Path(sys.executable).with_name("chroma"))


@pytest.fixture(scope="session")
def embedder():
    """The real all-MiniLM-L6-v2, loaded once."""
    from rag.embeddings import Embedder

    return Embedder()


@pytest.fixture(scope="session")
def seeds_index(tmp_path_factory, embedder):
    """Settings of one ingested copy of the seeds, shared read-only by the whole session."""
    from ingest.pipeline import run_ingest
    from rag.settings import Settings

    base = tmp_path_factory.mktemp("seeds_index")
    source = base / "seeds"
    shutil.copytree(SEEDS, source)
    settings = Settings(source_dir=source, db_dir=base / "db")
    report = run_ingest(settings, embedder)
    assert len(report.added) == 5
    return settings


@pytest.fixture(scope="session")
def assistant(seeds_index, embedder):
    """One Assistant over the seeds index."""
    from rag.assistant import Assistant

    return Assistant(seeds_index, embedder)



def small_corpus(base: Path, articles: dict[str, str], embedder):
    """A corpus written in a test (file name -> text) under ``base``, ingested for real: (settings, Assistant)."""
    from ingest.pipeline import run_ingest
    from rag.assistant import Assistant
    from rag.settings import Settings

    folder = base / "docs"
    folder.mkdir()
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    settings = Settings(source_dir=folder, db_dir=base / "db", _env_file=None)
    run_ingest(settings, embedder)
    return settings, Assistant(settings, embedder)

def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop_process(proc: subprocess.Popen, timeout: float = 20) -> None:
    """Stop a server started by a test: terminate, then kill if it will not go."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def answers_200(url: str) -> Callable[[], bool]:
    """A readiness probe: ``url`` answers HTTP 200."""
    def probe() -> bool:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    return probe


def wait_until_serving(proc: subprocess.Popen, ready: Callable[[], bool], log: Path, what: str,
                       timeout: float = 90, poll: float = 0.3) -> None:
    """Poll ``ready()`` (connection errors count as not yet) until it is true. A process that exits, or a start
    slower than ``timeout`` seconds (a generous wait on a shared machine, not a speed check), kills the process
    and fails the test with the tail of its log."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if ready():
                return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            proc.wait()
            pytest.fail(f"{what} did not start (exit {proc.returncode}):\n"
                        + log.read_text(errors="replace")[-3000:])
        time.sleep(poll)


def start_chroma(data: Path, log_path: Path, port: int) -> subprocess.Popen:
    """A real `chroma run` on loopback ``port`` over ``data``, its output appended to ``log_path``; returns once
    its heartbeat answers."""
    with open(log_path, "ab") as log:
        proc = subprocess.Popen([CHROMA, "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
                                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
    wait_until_serving(proc, answers_200(f"http://127.0.0.1:{port}/api/v2/heartbeat"), log_path, "chroma run")
    return proc


def run_rag(*args: str, input: str | None = None, timeout: float = 180, env: dict | None = None,
            cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the installed `rag` console script as a user would."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([RAG, *args], input=input, capture_output=True, text=True, timeout=timeout,
                          env=full_env, cwd=cwd or ROOT)
