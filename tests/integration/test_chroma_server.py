"""Issue 3: a real `chroma run` server on loopback; ingest and answer through it (`--chroma-url`,
`RAG_CHROMA_URL`), any folder publishing a collection's next generation, and a down server as one line with
exit code 2."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from ingest.pipeline import run_ingest
from rag.errors import BackendUnavailable
from rag.settings import Settings
from tests.conftest import RAG, ROOT, SEEDS, free_port, run_rag, start_chroma, stop_process

SEVEN = "Which seven rare earth elements did China put under export control on April 4, 2025?"


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory):
    """A real Chroma server (`chroma run`) on a free loopback port, stopped after the module."""
    base = tmp_path_factory.mktemp("chroma_server")
    port = free_port()
    proc = start_chroma(base / "data", base / "server.log", port)
    url = f"http://127.0.0.1:{port}"
    yield url
    stop_process(proc, 15)


def _server_count(url: str, collection: str) -> int:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    host, port = url.removeprefix("http://").split(":")
    client = chromadb.HttpClient(host=host, port=int(port), settings=ChromaSettings(anonymized_telemetry=False))
    return client.get_collection(collection).count()


def _check_quotes(citations: list[dict]) -> None:
    assert citations
    for c in citations:
        text = Path(c["path"]).read_bytes().decode("utf-8")
        assert text[c["start"]:c["end"]] == c["quote"], c


def test_ingest_and_ask_through_a_chroma_server(chroma_url, tmp_path):
    src, sidecar = tmp_path / "articles", tmp_path / "sidecar"
    shutil.copytree(SEEDS, src)
    ingest = run_rag("ingest", "--source", str(src), "--db", str(sidecar), "--chroma-url", chroma_url, "--json")
    assert ingest.returncode == 0, ingest.stderr
    summary = json.loads(ingest.stdout)
    assert len(summary["added"]) == 5 and summary["chunks"] > 0
    assert _server_count(chroma_url, "rag_chunks") == summary["chunks"]  # the vectors live on the server...
    assert not (sidecar / "sidecar" / "manifest.json").exists()  # ...and so do the documents (issue 15):
    assert not (sidecar / "chroma.sqlite3").exists()  # --db only caches the published generation
    assert list((sidecar / "sidecar" / "generations").iterdir())

    asked = run_rag("ask", SEVEN, "--db", str(sidecar), "--chroma-url", chroma_url, "--json")
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    assert not answer["abstained"] and "dysprosium" in answer["answer"].lower()
    _check_quotes(answer["citations"])

    # The setting works as well as the flag; an unchanged folder writes nothing to the server.
    again = run_rag("ingest", "--source", str(src), "--db", str(sidecar), "--json", env={"RAG_CHROMA_URL": chroma_url})
    assert again.returncode == 0, again.stderr
    summary2 = json.loads(again.stdout)
    assert len(summary2["unchanged"]) == 5 and summary2["embedded"] == 0 and summary2["chunks"] == summary["chunks"]


def test_another_folder_publishes_the_next_generation_of_a_server_collection(chroma_url, tmp_path, embedder):
    """The server holds the whole index (issue 15), so any folder may publish the collection's next generation
    (the lease keeps two from writing at once): it then mirrors that folder, and the first folder's next run
    puts its own documents back without embedding them again (their records' vectors are reused)."""
    first_src, second_src = tmp_path / "a", tmp_path / "b"
    shutil.copytree(SEEDS, first_src)
    second_src.mkdir()
    (second_src / "other.txt").write_text("A different corpus about gallium exports.\n", encoding="utf-8")
    first = Settings(source_dir=first_src, db_dir=tmp_path / "db_a", chroma_url=chroma_url, collection="shared_one")
    report = run_ingest(first, embedder)
    count = _server_count(chroma_url, "shared_one")
    assert len(report.added) == 5 and count == report.chunks

    second = Settings(source_dir=second_src, db_dir=tmp_path / "db_b", chroma_url=chroma_url, collection="shared_one")
    replaced = run_ingest(second, embedder)
    assert replaced.added == ["other.txt"] and len(replaced.removed) == 5
    assert _server_count(chroma_url, "shared_one") == replaced.chunks

    back = run_ingest(first, embedder)
    assert len(back.added) == 5 and back.removed == ["other.txt"] and _server_count(chroma_url, "shared_one") == count

    from rag.assistant import Assistant

    answer = Assistant(first.with_(db_dir=tmp_path / "fresh"), embedder).ask(SEVEN)
    assert not answer.abstained
    _check_quotes([c.to_json() for c in answer.citations])


def test_a_down_server_is_one_line_and_exit_2_for_every_command(chroma_url, tmp_path, embedder):
    src = tmp_path / "src"
    shutil.copytree(SEEDS, src)
    sidecar = tmp_path / "db"
    run_ingest(Settings(source_dir=src, db_dir=sidecar, chroma_url=chroma_url, collection="down_test"), embedder)
    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    with pytest.raises(BackendUnavailable, match="not answering"):
        run_ingest(Settings(source_dir=src, db_dir=sidecar, chroma_url=dead, collection="down_test"), embedder)
    commands = {
        "ingest": ["ingest", "--source", str(src)],
        "ask": ["ask", SEVEN, "--json"],
        "ui": ["ui", "--port", str(free_port())],
        "eval": ["eval"],
    }
    env = {**os.environ, "RAG_COLLECTION": "down_test"}
    running = {name: subprocess.Popen([RAG, *args, "--db", str(sidecar), "--chroma-url", dead], cwd=ROOT, env=env,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for name, args in commands.items()}  # side by side: each loads the model first
    for name, proc in running.items():
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 2, (name, err)
        assert err.count("\n") == 1 and "Traceback" not in err, (name, err)
        assert f"Chroma server at {dead} is not answering" in err, (name, err)
        assert out == "", name
