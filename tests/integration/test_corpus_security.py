"""Adding and removing articles over real `rag ui` processes: with RAG_UI_AUTH every route that could write needs
the login (401 and nothing written without it); `--read-only` hides the panel and refuses both endpoints."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import RAG, free_port, stop_process, wait_until_serving
from tests.integration.test_security import PASSWORD, USER, _Http

NOTE = "Quarry report\n2025-09-09\n\nThe quarry reopened with a new dust filter on its crusher.\n"


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def index_copy(tmp_path_factory, seeds_index):
    """A private copy of the seeds folder and its index (the copy's manifest still names the session's folder,
    so the servers are given --source)."""
    base = tmp_path_factory.mktemp("corpus_security")
    shutil.copytree(seeds_index.source_dir, base / "corpus")
    shutil.copytree(seeds_index.db_dir, base / "db")
    return base


def _serve(base: Path, *extra: str, env: dict | None = None):
    port = free_port()
    log = open(base / f"server-{port}.log", "wb")
    proc = subprocess.Popen([RAG, "ui", "--db", str(base / "db"), "--source", str(base / "corpus"), "--port",
                             str(port), *extra], cwd=base, env={**os.environ, **(env or {})}, stdout=log,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    return proc, port, log


def test_adding_and_removing_need_the_login(index_copy):
    from gradio_client import Client, handle_file

    base = index_copy
    proc, port, log = _serve(base, env={"RAG_UI_AUTH": f"{USER}:{PASSWORD}"})
    http = _Http(port)
    try:
        wait_until_serving(proc, lambda: http.request("GET", "/config")[0] == 401, Path(log.name), "rag ui",
                           timeout=240, poll=0.5)
        folder, db = _snapshot(base / "corpus"), (base / "db" / "sidecar" / "manifest.json").read_bytes()
        boundary = "xBOUNDARYx"
        form = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"note.txt\"\r\n"
                f"Content-Type: text/plain\r\n\r\n{NOTE}\r\n--{boundary}--\r\n").encode()
        upload = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        source = sorted(folder)[0]
        attempts = [("POST", "/gradio_api/upload", form, upload),
                    ("POST", "/gradio_api/call/add_files",
                     json.dumps({"data": [[{"path": "/etc/hosts", "meta": {"_type": "gradio.FileData"}}], False]}).encode(),
                     {"Content-Type": "application/json"}),
                    ("POST", "/gradio_api/call/remove_source", json.dumps({"data": [source]}).encode(),
                     {"Content-Type": "application/json"}),
                    ("POST", "/gradio_api/queue/join", json.dumps({"data": [source], "fn_index": 5,
                                                                   "session_hash": "z9"}).encode(),
                     {"Content-Type": "application/json"})]
        for method, path, body, headers in attempts:
            status, text, _ = http.request(method, path, body, headers)
            assert status == 401 and "Not authenticated" in text, (path, status)
        assert _snapshot(base / "corpus") == folder  # nothing was written or deleted
        assert (base / "db" / "sidecar" / "manifest.json").read_bytes() == db

        # With the login the same endpoints work: the 401s above were the login, not a missing route.
        (base / "note.txt").write_text(NOTE, encoding="utf-8")
        client = Client(f"http://127.0.0.1:{port}/", auth=(USER, PASSWORD), verbose=False)
        added = json.loads(client.predict([handle_file(str(base / "note.txt"))], False, api_name="/add_files"))
        assert added["added"] == ["note.txt"] and (base / "corpus" / "note.txt").read_text() == NOTE
        removed = json.loads(client.predict("note.txt", api_name="/remove_source"))
        assert removed["removed"] == ["note.txt"] and not (base / "corpus" / "note.txt").exists()
    finally:
        stop_process(proc, 20)
        log.close()


def test_read_only_hides_the_panel_and_refuses_both_endpoints(index_copy):
    from gradio_client import Client, handle_file

    base = index_copy
    proc, port, log = _serve(base, "--read-only")
    http = _Http(port)
    try:
        wait_until_serving(proc, lambda: http.request("GET", "/config")[0] == 200, Path(log.name), "rag ui",
                           timeout=240, poll=0.5)
        folder = _snapshot(base / "corpus")
        config = json.loads(http.request("GET", "/config")[1])
        ids = {c.get("props", {}).get("elem_id") for c in config["components"]}
        assert "rag-header" in ids and "files" in ids  # the page is there,
        assert not ids & {"rag-articles-panel", "rag-upload", "rag-replace", "rag-article-list"}  # its panel is not
        (base / "note.txt").write_text(NOTE, encoding="utf-8")
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        for result in (client.predict([handle_file(str(base / "note.txt"))], False, api_name="/add_files"),
                       client.predict(sorted(folder)[0], api_name="/remove_source")):
            assert json.loads(result) == {"error": "this app is read-only (RAG_UI_READ_ONLY / --read-only): adding "
                                                   "and removing articles is turned off; nothing was changed"}
        assert _snapshot(base / "corpus") == folder
        # Questions still work, and the header still follows the index.
        assert "58%" in json.loads(client.predict("What share of Japan's rare earth imports come from China?", 0,
                                                  api_name="/ask"))["answer"]
    finally:
        stop_process(proc, 20)
        log.close()


def test_read_only_comes_from_the_environment_too(monkeypatch):
    from rag.settings import Settings

    monkeypatch.setenv("RAG_UI_READ_ONLY", "true")
    assert Settings().ui_read_only is True
