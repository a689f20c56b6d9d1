"""Faults over real parts: a missing index, every part of an index damaged (in a copy), a truly read-only index
folder, a real `chroma run` server that goes down mid-session and comes back, and an ingest that fails half way.
Each gives one line that names the folder (or server) and the fix, and nothing is lost."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from rag.errors import BackendUnavailable, IndexCorrupt, IndexMissing, RagError
from tests.conftest import RAG, ROOT, SEEDS, free_port, run_rag, start_chroma

SHARE = "What share of Japan's rare earth imports come from China?"
SEVEN = "Which seven rare earth elements did China put under export control on April 4, 2025?"
EDITED = "004_2c3b9067990f8dc0.txt"


def _copy(seeds_index, tmp_path: Path) -> Path:
    db = tmp_path / "db"
    shutil.copytree(seeds_index.db_dir, db)
    return db


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _exact(answer) -> None:
    assert answer.citations
    for c in answer.citations:
        assert Path(c.path).read_text(encoding="utf-8")[c.start:c.end] == c.quote


# ---- a missing index


def test_missing_or_empty_index_says_run_rag_ingest_and_creates_nothing(tmp_path, embedder):
    from rag.assistant import Assistant
    from rag.settings import Settings

    empty = tmp_path / "empty"
    empty.mkdir()
    for db in (tmp_path / "nothing", empty):
        with pytest.raises(IndexMissing) as info:
            Assistant(Settings(db_dir=db), embedder)
        assert str(info.value) == f"no index in {db}: run `rag ingest` first"
    assert not (tmp_path / "nothing").exists() and not any(empty.iterdir())


# ---- a damaged index (in a copy): the message names the folder and the fix, and the fix works


def _garble_files(folder: Path) -> None:
    for path in folder.iterdir():
        path.write_bytes(b"\x00garbage" * 10)


def _edit_texts(db: Path) -> None:
    for path in (db / "sidecar" / "texts").iterdir():
        path.write_text("Entirely different text. " * 40, encoding="utf-8")


DAMAGE = {
    "manifest not JSON": (lambda db: (db / "sidecar" / "manifest.json").write_text("{ not json"), "sidecar/manifest.json"),
    "manifest of another shape": (lambda db: (db / "sidecar" / "manifest.json").write_text(
        json.dumps({"version": 1, "documents": {"a.txt": {"x": 1}}})), "sidecar/manifest.json"),
    "BM25 model deleted": (lambda db: shutil.rmtree(db / "sidecar" / "bm25" / "model"), "sidecar/bm25"),
    "BM25 model garbled": (lambda db: _garble_files(db / "sidecar" / "bm25" / "model"), "sidecar/bm25"),
    "stored texts deleted": (lambda db: shutil.rmtree(db / "sidecar" / "texts"), "sidecar"),
    "stored texts changed": (_edit_texts, ""),
    "Chroma database garbled": (lambda db: (db / "chroma.sqlite3").write_bytes(b"not a database" * 200), ""),
    "Chroma database cut short": (lambda db: (db / "chroma.sqlite3").write_bytes(
        (db / "chroma.sqlite3").read_bytes()[:40960]), ""),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damaged_index_names_the_folder_and_the_fix_and_the_fix_works(damage, seeds_index, assistant, embedder,
                                                                      tmp_path):
    from ingest.pipeline import run_ingest
    from rag.assistant import Assistant

    db = _copy(seeds_index, tmp_path)
    harm, part = DAMAGE[damage]
    harm(db)
    settings = seeds_index.with_(db_dir=db)
    with pytest.raises(RagError) as info:
        Assistant(settings, embedder).ask(SHARE)  # fails when opening or, for stored texts, when quoting
    message = str(info.value)
    assert isinstance(info.value, (IndexCorrupt, IndexMissing)) and "\n" not in message
    assert str(db / part) in message and "run `rag ingest`" in message, message

    if "delete the folder" in message:  # the fix as the message words it
        shutil.rmtree(db)
    report = run_ingest(settings, embedder)
    assert len(report.added) + len(report.unchanged) == 5
    repaired = Assistant(settings, embedder).ask(SHARE)
    assert repaired.to_json() == assistant.ask(SHARE).to_json()  # nothing lost: the same answer as before


def test_cli_damaged_index_is_one_line_exit_2_for_ask_and_ui(seeds_index, tmp_path):
    db = _copy(seeds_index, tmp_path)
    (db / "sidecar" / "manifest.json").write_text("{ not json")
    expected = (f"rag: the index manifest {db}/sidecar/manifest.json is damaged (JSONDecodeError); "
                "run `rag ingest` again to rebuild it\n")
    ask = run_rag("ask", "-", "--db", str(db), "--json", input=f"{SHARE}\n{SEVEN}\n")
    ui = run_rag("ui", "--db", str(db), "--port", str(free_port()), env={"RAG_UI_AUTH": ""})
    for result in (ask, ui):
        assert result.returncode == 2 and result.stdout == "" and result.stderr == expected, result.stderr


# ---- a read-only index folder (tests run as root, for whom chmod alone changes nothing)


def test_read_only_index_folder_is_one_clear_line_and_loses_nothing(seeds_index, assistant, embedder, tmp_path):
    """Two real read-only conditions: a read-only bind mount (EROFS; in a private mount namespace, so the rest of
    the machine never sees it) and a chmod'ed folder with root's override capabilities dropped (EACCES), which
    is what a normal user meets. Chroma cannot open its store without writing, so asking fails too, with the fix
    and without the advice to delete the folder."""
    from rag.assistant import Assistant

    db = _copy(seeds_index, tmp_path)
    src = tmp_path / "src"
    shutil.copytree(seeds_index.source_dir, src)
    (src / EDITED).write_text((src / EDITED).read_text(encoding="utf-8").replace("58%", "47%"), encoding="utf-8")
    before = _tree(db)
    script = (f'mount --bind "{db}" "{db}" && mount -o remount,ro,bind "{db}" || exit 99\n'
              f'"{RAG}" ask "{SHARE}" --db "{db}"; echo "ask-exit=$?" >&2\n'
              f'"{RAG}" ingest --source "{src}" --db "{db}"; echo "ingest-exit=$?" >&2\n')
    mounted = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
                             capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert mounted.returncode == 0, mounted.stderr
    assert mounted.stdout == "" and "Traceback" not in mounted.stderr
    assert mounted.stderr.splitlines() == [
        f"rag: the index folder {db} is read-only and Chroma must write to open it: make it writable, or copy it "
        "to a writable place and pass --db (nothing was changed)",
        "ask-exit=2",
        f"rag: cannot write the index folder {db} (Read-only file system)",
        "ingest-exit=2"]

    locked = tmp_path / "locked"
    shutil.copytree(db, locked)
    for path in [locked, *locked.rglob("*")]:
        path.chmod(path.stat().st_mode & 0o555)
    drop = "-dac_override,-dac_read_search"
    denied = subprocess.run(["setpriv", f"--inh-caps={drop}", f"--bounding-set={drop}", RAG, "ask", SHARE, "--db",
                             str(locked)], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert denied.returncode == 2 and denied.stdout == ""
    assert denied.stderr.startswith(f"rag: the index folder {locked} is read-only") and denied.stderr.count("\n") == 1

    assert _tree(db) == before  # nothing written, nothing lost: writable again, the copy answers as before
    assert Assistant(seeds_index.with_(db_dir=db), embedder).ask(SHARE).to_json() == assistant.ask(SHARE).to_json()


# ---- a Chroma server that goes down mid-session, and an ingest that fails half way


class _Server:
    """A real `chroma run` on a fixed loopback port and data folder, stopped and started at will."""

    def __init__(self, base: Path) -> None:
        self.base, self.port, self.proc = base, free_port(), None
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.proc = start_chroma(self.base / "data", self.base / "server.log", self.port)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class _StopsServerOnSecondBatch:
    """The real embedder; the ingest's second embedding batch stops the server before it can be written, so the
    run fails half way with the first batch already in the collection."""

    def __init__(self, inner, server: _Server) -> None:
        self.inner, self.server, self.batches = inner, server, 0

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def encode_passages(self, *args, **kwargs):
        result = self.inner.encode_passages(*args, **kwargs)
        self.batches += 1
        if self.batches == 2:
            self.server.stop()
        return result


def test_chroma_server_down_mid_session_and_a_failed_ingest_lose_nothing(tmp_path, embedder, monkeypatch):
    import ingest.chroma_writes
    from ingest.pipeline import run_ingest
    from rag.assistant import Assistant
    from rag.settings import Settings
    from ui.session import Session

    server = _Server(tmp_path)
    server.start()
    try:
        src = tmp_path / "src"
        shutil.copytree(SEEDS, src)
        settings = Settings(source_dir=src, db_dir=tmp_path / "sidecar", chroma_url=server.url)
        run_ingest(settings, embedder)
        assistant = Assistant(settings, embedder)
        session = Session(assistant, tmp_path / "memos")
        first = assistant.ask(SHARE)
        assert "58%" in first.answer

        server.stop()  # mid-session
        with pytest.raises(BackendUnavailable) as info:
            assistant.ask(SHARE)
        assert str(info.value).startswith(f"Chroma server at {server.url} failed: ") and "\n" not in str(info.value)
        *_, turns = session.ask(SHARE, [])
        assert turns[-1].answer is None and turns[-1].error.startswith(f"Chroma server at {server.url}")
        server.start()  # back: the same process answers again, as before
        assert assistant.ask(SHARE).to_json() == first.to_json()

        # An ingest that fails half way: the first batch of new chunks written, then the server goes away.
        old_text = (src / EDITED).read_text(encoding="utf-8")
        (src / EDITED).write_text(old_text.replace("58%", "47%"), encoding="utf-8")
        (src / "extra.txt").write_text((SEEDS / "002_1b8812a566166968.txt").read_text(encoding="utf-8")
                                       .replace("rare earth", "critical mineral"), encoding="utf-8")
        monkeypatch.setattr(ingest.chroma_writes, "UPSERT_BATCH", 4)
        with pytest.raises(BackendUnavailable, match=f"Chroma server at {server.url}"):
            run_ingest(settings, _StopsServerOnSecondBatch(embedder, server))
        server.start()
        during = assistant.ask(SHARE)  # the previous index, whole: still the old figure, quoted exactly
        assert during.to_json() == first.to_json()
        assert Assistant(settings, embedder).ask(SHARE).to_json() == first.to_json()

        report = run_ingest(settings, embedder)  # the next run completes the interrupted one
        assert report.updated == [EDITED] and report.added == ["extra.txt"] and report.embedded > 0
        after = assistant.ask(SHARE)
        assert "47%" in after.answer and "58%" not in after.answer
        _exact(after)
    finally:
        server.stop()
