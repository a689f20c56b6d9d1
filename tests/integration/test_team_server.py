"""Issue 15: one Chroma server holds the whole index. With a real `chroma run`: a machine with an empty --db asks,
shows a document and evaluates; an update ingested from another folder reaches an already running Assistant and
`rag ui` without a restart; a second writer is refused by the lease, and --break-lease takes a dead one's."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from ingest.pipeline import run_ingest
from rag.errors import IndexBusy
from rag.settings import Settings
from tests.conftest import (RAG, ROOT, SEEDS, answers_200, free_port, run_rag, start_chroma, stop_process,
                            wait_until_serving)

SEVEN = "Which seven rare earth elements did China put under export control on April 4, 2025?"
NEW_FACT = ("The Lindqvist Harbour Authority reported on March 3, 2026 that the Ostmark ferry terminal will "
            "close for repairs until the end of September.")
NEW_QUESTION = "Until when will the Ostmark ferry terminal close for repairs?"


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory):
    base = tmp_path_factory.mktemp("team_server")
    port = free_port()
    proc = start_chroma(base / "data", base / "server.log", port)
    yield f"http://127.0.0.1:{port}"
    stop_process(proc, 15)


def _ingest(src: Path, db: Path, url: str, collection: str, embedder, **kw):
    return run_ingest(Settings(source_dir=src, db_dir=db, chroma_url=url, collection=collection), embedder, **kw)


def test_a_machine_with_only_the_url_asks_shows_and_evaluates(chroma_url, tmp_path, embedder):
    src = tmp_path / "articles"
    shutil.copytree(SEEDS, src)
    report = _ingest(src, tmp_path / "ingester", chroma_url, "team_empty", embedder)
    assert len(report.added) == 5
    shutil.rmtree(src)  # the asking machine has no copy of the files, only the URL
    env = {"RAG_CHROMA_URL": chroma_url, "RAG_COLLECTION": "team_empty"}

    fresh = tmp_path / "asker"
    asked = run_rag("ask", SEVEN, "--db", str(fresh), "--json", env=env)
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    assert not answer["abstained"] and "dysprosium" in answer["answer"].lower()
    assert list((fresh / "sidecar" / "generations").iterdir())  # the rebuilt BM25/manifest cache

    for citation in answer["citations"]:
        shown = run_rag("show", citation["source"], "--db", str(tmp_path / "viewer"), env=env)
        assert shown.returncode == 0, shown.stderr
        assert shown.stdout == (SEEDS / citation["source"]).read_bytes().decode("utf-8")
        assert shown.stdout[citation["start"]:citation["end"]] == citation["quote"]
    missing = run_rag("show", "nope.txt", "--db", str(tmp_path / "viewer"), env=env)
    assert missing.returncode == 2 and "not in the index" in missing.stderr

    out = tmp_path / "eval.json"
    evaluated = run_rag("eval", "--db", str(tmp_path / "evaluator"), "--json", str(out), env=env, timeout=600)
    assert evaluated.returncode == 0, evaluated.stderr
    metrics = json.loads(out.read_text())["metrics"]
    assert metrics["quote_validity"] == 1.0 and metrics["retrieval_recall@5"] > 0.5

    # Without the snapshot the ingest published (manifest + BM25), an asker rebuilds both from the records and
    # the chunk texts, and answers the same.
    from rag.store import IndexStore

    records = IndexStore(Settings(chroma_url=chroma_url, collection="team_empty")).server().records()
    snapshot = records.get(where={"kind": "snapshot"}, include=[])["ids"]
    assert snapshot
    records.delete(ids=snapshot)
    rebuilt = run_rag("ask", SEVEN, "--db", str(tmp_path / "rebuilder"), "--json", env=env)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert json.loads(rebuilt.stdout)["citations"] == answer["citations"]

    nothing = run_rag("ask", SEVEN, "--db", str(tmp_path / "other"), env={**env, "RAG_COLLECTION": "never_made"})
    assert nothing.returncode == 2 and "run `rag ingest` first" in nothing.stderr


def _ask_ui(url: str, question: str) -> dict:
    from gradio_client import Client

    return json.loads(Client(url, verbose=False).predict(question, 0, api_name="/ask"))


def test_an_update_from_another_folder_reaches_running_askers(chroma_url, tmp_path, embedder):
    from rag.assistant import GENERATION_CHECK_S, Assistant

    first = tmp_path / "first"
    shutil.copytree(SEEDS, first)
    _ingest(first, tmp_path / "db_first", chroma_url, "team_update", embedder)
    settings = Settings(db_dir=tmp_path / "asker", chroma_url=chroma_url, collection="team_update")
    assistant = Assistant(settings, embedder)
    before = assistant.ask(NEW_QUESTION)
    assert "september" not in before.answer.lower()
    from ui.corpus import Library

    library = Library(settings)  # what the Articles panel lists and the file filter offers
    assert "harbour.txt" not in library.documents and len(library.choices()) == 5

    port = free_port()
    log = tmp_path / "ui.log"
    env = {**os.environ, "RAG_CHROMA_URL": chroma_url, "RAG_COLLECTION": "team_update"}
    with open(log, "wb") as out:
        ui = subprocess.Popen([RAG, "ui", "--db", str(tmp_path / "ui_db"), "--port", str(port)], cwd=ROOT, env=env,
                              stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_until_serving(ui, answers_200(url + "config"), log, "rag ui", timeout=240)
        assert "september" not in _ask_ui(url, NEW_QUESTION)["answer"].lower()

        # Another machine (another folder, another --db) ingests the corpus with one more article.
        second = tmp_path / "second"
        shutil.copytree(SEEDS, second)
        (second / "harbour.txt").write_text(f"Harbour notice\n\n{NEW_FACT}\n", encoding="utf-8")
        report = _ingest(second, tmp_path / "db_second", chroma_url, "team_update", embedder)
        assert report.added == ["harbour.txt"] and len(report.unchanged) == 5
        time.sleep(GENERATION_CHECK_S + 0.2)

        after = assistant.ask(NEW_QUESTION)
        assert not after.abstained and "september" in after.answer.lower()
        assert any(c.source == "harbour.txt" and NEW_FACT[c.start - len("Harbour notice\n\n"):].startswith(c.quote)
                   for c in after.citations)
        assert assistant.document_text("harbour.txt").endswith(NEW_FACT + "\n")
        assert "harbour.txt" in library.documents and ("Harbour notice — harbour.txt", "harbour.txt") in library.choices()
        assert library.document_text("harbour.txt").endswith(NEW_FACT + "\n")
        from_ui = _ask_ui(url, NEW_QUESTION)
        assert "september" in from_ui["answer"].lower(), from_ui
        assert "Traceback" not in log.read_text(errors="replace")
    finally:
        stop_process(ui)


def _lease(url: str, collection: str):
    from rag.lease import Lease
    from rag.store import IndexStore

    store = IndexStore(Settings(chroma_url=url, collection=collection))
    return Lease(store.server().records(), "test", "otherhost:/home/analyst/.rag/chroma:4242")


def test_one_writer_at_a_time_and_break_lease(chroma_url, tmp_path, embedder):
    src = tmp_path / "src"
    shutil.copytree(SEEDS, src)
    _ingest(src, tmp_path / "db_a", chroma_url, "team_lease", embedder)

    # An ingest on another machine holds the lease (it beats: its heartbeat is fresh).
    other = _lease(chroma_url, "team_lease")
    other.acquire()
    try:
        (src / "more.txt").write_text("A note about harbour fees.\n", encoding="utf-8")
        refused = run_rag("ingest", "--source", str(src), "--db", str(tmp_path / "db_b"), "--chroma-url", chroma_url,
                          env={"RAG_COLLECTION": "team_lease"})
        assert refused.returncode == 2 and refused.stdout == ""
        assert refused.stderr.count("\n") == 1 and "Traceback" not in refused.stderr
        assert "otherhost:/home/analyst/.rag/chroma:4242 since 20" in refused.stderr
        assert "--break-lease" in refused.stderr
        with pytest.raises(IndexBusy, match="holds the lease"):
            _ingest(src, tmp_path / "db_a", chroma_url, "team_lease", embedder)
        from rag.assistant import Assistant

        unchanged = Assistant(Settings(db_dir=tmp_path / "reader", chroma_url=chroma_url, collection="team_lease"),
                              embedder)
        assert "more.txt" not in unchanged.sources  # nothing was written

        # That machine died: its lease is broken on purpose, and the ingest runs.
        broke = run_rag("ingest", "--source", str(src), "--db", str(tmp_path / "db_b"), "--chroma-url", chroma_url,
                        "--break-lease", "--json", env={"RAG_COLLECTION": "team_lease"})
        assert broke.returncode == 0, broke.stderr
        assert json.loads(broke.stdout)["added"] == ["more.txt"]
        with pytest.raises(IndexBusy, match="was taken by"):
            other.check()  # the broken holder learns it before it could publish
    finally:
        other.release()
    # Released after a finished run: the next ingest from anywhere just runs.
    again = _ingest(src, tmp_path / "db_a", chroma_url, "team_lease", embedder)
    assert len(again.unchanged) == 6 and again.embedded == 0

    # A document record lost on the server (deleted by hand) is put back by the next ingest, and read again.
    from rag.store import IndexStore

    records = IndexStore(Settings(chroma_url=chroma_url, collection="team_lease")).server().records()
    lost = records.get(where={"source": "more.txt"}, include=[])["ids"]
    records.delete(ids=lost)
    repaired = _ingest(src, tmp_path / "db_a", chroma_url, "team_lease", embedder)
    assert repaired.embedded == 0 and records.get(ids=lost, include=[])["ids"] == lost
    from rag.assistant import Assistant

    fresh = Assistant(Settings(db_dir=tmp_path / "fresh", chroma_url=chroma_url, collection="team_lease"), embedder)
    assert fresh.document_text("more.txt") == "A note about harbour fees.\n"
