"""Adding and removing articles through ingest/uploads.py with the real model and a real embedded Chroma: the
same ingest as `rag ingest` (identical statuses and index), skipped files never kept, a busy index waited for."""
from __future__ import annotations

import json
import shutil
import threading
import time

import pytest

from ingest.uploads import add_files, remove_source
from rag.errors import IndexBusy, NotInCorpus
from tests.conftest import SEEDS, run_rag

NOTE = ("Lakeside council bulletin\n2026-02-11\n\nThe lakeside council voted to build a footbridge of 212 metres "
        "across the marina, paid for by a harbour levy.\n")


@pytest.fixture()
def corpus(tmp_path, embedder):
    from ingest.pipeline import run_ingest
    from rag.settings import Settings

    shutil.copytree(SEEDS, tmp_path / "corpus")
    settings = Settings(source_dir=tmp_path / "corpus", db_dir=tmp_path / "db")
    run_ingest(settings, embedder)
    # As `rag ui --db DB` is started: no --source, so the folder comes from the index's manifest.
    return Settings(db_dir=tmp_path / "db").with_(ui_port=7860), tmp_path


def _write(tmp_path, name: str, data) -> tuple[str, object]:
    path = tmp_path / "uploads" / str(len(list(tmp_path.glob("uploads/*")))) / "f"
    path.parent.mkdir(parents=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return name, path


def test_add_update_and_remove_are_the_cli_ingest(corpus, embedder):
    settings, tmp = corpus
    folder = tmp / "corpus"
    first = add_files(settings, embedder, [_write(tmp, "../bridge.txt", NOTE), _write(tmp, "data.txt", b"\x00\x01\x02")])
    assert first["added"] == ["bridge.txt"] and len(first["unchanged"]) == 5 and first["embedded"] >= 1
    assert [(f["name"], f["status"], f["source"], f["reason"]) for f in first["files"]] == [
        ("../bridge.txt", "added", "bridge.txt", ""), ("data.txt", "skipped", "", "binary file, not text")]
    assert first["skipped"] == [{"path": "data.txt", "reason": "binary file, not text"}]
    assert (folder / "bridge.txt").read_text() == NOTE and not (folder / "data.txt").exists()
    assert not (tmp / "bridge.txt").exists() and not list(folder.glob(".rag-upload-*"))

    # Same name, new content, without replace: a second article; with replace: an update.
    edited = NOTE.replace("212", "250")
    second = add_files(settings, embedder, [_write(tmp, "bridge.txt", edited)])
    assert second["files"][0]["source"] == "bridge (2).txt" and second["added"] == ["bridge (2).txt"]
    assert (folder / "bridge.txt").read_text() == NOTE
    third = add_files(settings, embedder, [_write(tmp, "bridge.txt", edited)], replace=True)
    assert third["updated"] == ["bridge.txt"] and third["files"][0]["status"] == "updated"
    same = add_files(settings, embedder, [_write(tmp, "bridge.txt", edited)])
    assert same["files"][0]["status"] == "unchanged" and same["embedded"] == 0

    # The CLI sees exactly the index the uploads made: nothing left to do.
    cli = run_rag("ingest", "--source", str(folder), "--db", str(tmp / "db"), "--json")
    assert cli.returncode == 0, cli.stderr
    assert json.loads(cli.stdout)["embedded"] == 0 and not json.loads(cli.stdout)["updated"]

    # The text of an article already indexed, under another name: added, and the outcome says so.
    twin = add_files(settings, embedder, [_write(tmp, "copy.txt", (folder / "bridge.txt").read_bytes())])
    assert twin["files"][0]["status"] == "added"  # bridge.txt and bridge (2).txt both hold that text now
    assert twin["files"][0]["reason"] == "the same text as bridge (2).txt, already indexed"
    remove_source(settings, embedder, "copy.txt")

    gone = remove_source(settings, embedder, "bridge (2).txt")
    assert gone["removed"] == ["bridge (2).txt"] and gone["files"][0]["status"] == "removed"
    assert not (folder / "bridge (2).txt").exists() and (folder / "bridge.txt").exists()
    for bad in ("../corpus/bridge.txt", str(folder / "bridge.txt"), "/etc/passwd", "nope.txt"):
        with pytest.raises(NotInCorpus):
            remove_source(settings, embedder, bad)
    assert (folder / "bridge.txt").exists()


def test_a_running_ingest_makes_the_upload_wait_then_it_runs(corpus, embedder):
    from filelock import FileLock

    settings, tmp = corpus
    told, result = [], {}
    lock = FileLock(str(tmp / "db" / "ingest.lock"))
    lock.acquire()
    worker = threading.Thread(target=lambda: result.update(add_files(
        settings, embedder, [_write(tmp, "bridge.txt", NOTE)], on_wait=lambda: told.append(time.monotonic()))))
    worker.start()
    deadline = time.monotonic() + 60
    while not told and time.monotonic() < deadline:
        time.sleep(0.05)
    assert told and not (tmp / "corpus" / "bridge.txt").exists()  # waiting, the folder untouched
    lock.release()
    worker.join(120)
    assert result["added"] == ["bridge.txt"]

    # Waiting has a limit: then one clear error, and nothing is left in the folder.
    with FileLock(str(tmp / "db" / "ingest.lock")):
        with pytest.raises(IndexBusy, match="another `rag ingest` is writing the index"):
            add_files(settings.with_(upload_lock_wait_s=0.5), embedder, [_write(tmp, "other.txt", NOTE + "x")])
    assert not (tmp / "corpus" / "other.txt").exists()


def test_rag_ui_refuses_a_source_that_is_not_a_folder(corpus):
    _, tmp = corpus
    result = run_rag("ui", "--db", str(tmp / "db"), "--source", str(tmp / "nowhere"), "--port", "1")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (f"rag: the corpus folder {tmp / 'nowhere'} does not exist or is not a folder "
                             "(--source / RAG_SOURCE_DIR)\n")
