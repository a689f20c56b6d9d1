"""Concurrency over real parts: questions answered while a real `rag ingest` process rewrites the index (every
answer from one consistent generation, no errors), a second ingest refused by the file lock (in process and on
the command line), and concurrent gradio_client sessions getting exactly the answers asked alone."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from rag.errors import IndexBusy, RagError
from tests.conftest import RAG, ROOT, SEEDS, free_port, run_rag

SHARE = "What share of Japan's rare earth imports come from China?"
SEVEN = "Which seven rare earth elements did China put under export control on April 4, 2025?"
PM = "Who is Japan's prime minister?"
EDITED, DELETED = "004_2c3b9067990f8dc0.txt", "000_8f9c442d9b9343c7.txt"


def _lock_held(lock: Path) -> bool:
    """Whether some process holds a lock on ``lock`` (read from /proc/locks: looking never takes the lock)."""
    inode = os.stat(lock).st_ino
    with open("/proc/locks", encoding="ascii") as locks:
        return any(line.split()[5].endswith(f":{inode}") for line in locks if len(line.split()) > 5)


def _generations(answer, old: dict[str, str], new: dict[str, str]) -> set[str]:
    """Which folder versions (old, new) every citation and retrieved file of ``answer`` is consistent with."""
    possible = {"old", "new"}
    for c in answer.citations + answer.related:
        possible &= {name for name, texts in (("old", old), ("new", new))
                     if c.source in texts and texts[c.source][c.start:c.end] == c.quote}
    for source in answer.retrieved:
        possible &= {name for name, texts in (("old", old), ("new", new)) if source in texts}
    return possible


def test_questions_during_a_real_reingest_are_consistent_and_a_second_ingest_is_refused(tmp_path, embedder):
    from ingest.pipeline import run_ingest
    from rag.assistant import Assistant
    from rag.settings import Settings

    src, db = tmp_path / "src", tmp_path / "db"
    shutil.copytree(SEEDS, src)
    settings = Settings(source_dir=src, db_dir=db)
    run_ingest(settings, embedder)
    assistant = Assistant(settings, embedder)
    old = {p.name: p.read_text(encoding="utf-8") for p in src.iterdir()}
    assert "58%" in assistant.ask(SHARE).answer

    # The folder changes: one article edited (58% -> 47%), one deleted, two added (work for the embedder).
    (src / EDITED).write_text(old[EDITED].replace("58%", "47%"), encoding="utf-8")
    (src / DELETED).unlink()
    for i, name in enumerate(sorted(old)[1:3]):
        (src / f"new_{i}.txt").write_text(f"Bulletin {i} on gallium.\n" + old[name].replace("rare earth", f"mineral {i}"),
                                          encoding="utf-8")
    new = {p.name: p.read_text(encoding="utf-8") for p in src.iterdir()}

    ingest = subprocess.Popen([RAG, "ingest", "--source", str(src), "--db", str(db), "--json"], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    answers, errors, during, refused = [], [], 0, None
    deadline = time.monotonic() + 300
    try:
        while ingest.poll() is None and time.monotonic() < deadline:
            before = _lock_held(db / "ingest.lock")
            if before and refused is None:  # a second ingest while the first holds the lock
                with pytest.raises(IndexBusy) as refused:
                    run_ingest(settings, embedder)
            question = (SHARE, SEVEN, PM)[len(answers) % 3]
            try:
                answer = assistant.ask(question)
            except RagError as exc:
                errors.append(str(exc))
                continue
            during += before and _lock_held(db / "ingest.lock")
            answers.append(answer)
            time.sleep(0.05)  # leave the 2 cores to the ingest now and then
        out, err = ingest.communicate(timeout=300)
    finally:
        if ingest.poll() is None:
            ingest.kill()
            ingest.communicate()
    assert ingest.returncode == 0, err
    summary = json.loads(out)
    assert summary["updated"] == [EDITED] and summary["removed"] == [DELETED] and len(summary["added"]) == 2

    assert errors == []
    assert during >= 3, f"only {during} questions were answered while the ingest held the lock"
    for answer in answers:
        assert _generations(answer, old, new), (answer.question, answer.answer)  # never half old, half new
    assert refused is not None and f"another `rag ingest` is writing the index in {db.resolve()}" in str(refused.value)

    # Once published, the same Assistant answers from the new folder without a restart.
    after = assistant.ask(SHARE)
    assert "47%" in after.answer and "58%" not in after.answer and _generations(after, old, new) == {"new"}
    assert DELETED not in after.retrieved


def test_cli_ingest_refuses_in_one_line_while_another_holds_the_lock(seeds_index, tmp_path):
    from filelock import FileLock

    db = tmp_path / "db"
    shutil.copytree(seeds_index.db_dir, db)
    before = (db / "sidecar" / "manifest.json").read_bytes()
    with FileLock(str(db / "ingest.lock")):  # another ingest is running
        result = run_rag("ingest", "--source", str(seeds_index.source_dir), "--db", str(db))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (f"rag: another `rag ingest` is writing the index in {db.resolve()}; "
                             "wait for it to finish and run again\n")
    assert (db / "sidecar" / "manifest.json").read_bytes() == before  # nothing touched


def test_concurrent_api_sessions_get_the_answers_asked_alone(assistant):
    from bench.load import ask_alone, gold_questions, plan, run_sessions
    from ui.app import build_app

    app = build_app(assistant)
    port = free_port()
    app.queue(default_concurrency_limit=1).launch(server_name="127.0.0.1", server_port=port,
                                                  prevent_thread_lock=True, quiet=True)
    try:
        url = f"http://127.0.0.1:{port}/"
        questions = gold_questions(limit=6)
        expected = ask_alone(url, questions)
        result = run_sessions(url, plan(6, 3, questions), expected)
    finally:
        app.close()
    assert result["requests"] == 18 and result["errors"] == 0 and result["mismatches"] == 0, result["problems"]
    assert result["p50_ms"] is not None and result["p50_ms"] <= result["p95_ms"]
