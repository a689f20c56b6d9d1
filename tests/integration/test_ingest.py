"""Issue 3: ingest that follows the folder exactly. Real model (session `embedder`), real embedded Chroma, real
files in temp folders, and the real `rag` command for what a user runs (summaries, stderr, exit codes, kills)."""
from __future__ import annotations

import fcntl
import json
import os
import pty
import random
import re
import shutil
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from ingest.chroma_writes import UPSERT_BATCH
from ingest.lazy_embedder import LazyEmbedder
from ingest.pipeline import run_ingest
from rag.embeddings import unpack_vectors
from rag.errors import BadArgument, IndexBusy
from rag.settings import Settings
from rag.store import IndexStore
from rag.textspans import sentence_spans
from tests.conftest import RAG, ROOT, SEEDS, run_rag
from tests.unit.test_loaders import make_pdf

APPENDED = ("Officials in Sendai confirmed that the Kuroshio Magnet Works plant will halt its third production "
            "line on 14 March 2026 because its terbium stockpile has run out.")
LATIN1 = ("Café owners in Málaga said the rare earth dispute had raised the price of façade lighting.\n"
          "Señor Muñoz, a trader, expected déjà vu: shortages à la 2010.\n")


# ---- helpers


def _copy_seeds(folder: Path) -> Path:
    shutil.copytree(SEEDS, folder)
    return folder


def _settings(src: Path, db: Path, **kw) -> Settings:
    return Settings(source_dir=src, db_dir=db, **kw)


def _ingest(src: Path, db: Path, embedder, warnings: list | None = None, **kw):
    return run_ingest(_settings(src, db, **kw), embedder, warn=(warnings.append if warnings is not None else None))


def _state(db: Path, embedder) -> dict:
    """Everything an index holds: Chroma's chunks (ids, texts, metadata, vectors), manifest, BM25 ids, texts."""
    store = IndexStore(_settings(Path("."), db), embedder.chroma_function())
    try:
        got = store.collection().get(include=["documents", "metadatas", "embeddings"])
        count = store.collection().count()
    finally:
        store.close()
    manifest = store.load_manifest()
    return {
        "ids": list(got["ids"]), "count": count,
        "docs": dict(zip(got["ids"], got["documents"])),
        "metas": dict(zip(got["ids"], got["metadatas"])),
        "vectors": dict(zip(got["ids"], np.asarray(got["embeddings"]))),
        "manifest": manifest.to_json(),
        "bm25": json.loads((store.bm25_dir / "ids.json").read_text()),
        "texts": sorted(p.name for p in (store.sidecar / "texts").iterdir()),
        "sidecar": sorted(p.relative_to(store.sidecar).as_posix() for p in store.sidecar.rglob("*")),
    }


def _assert_consistent(state: dict) -> None:
    """No duplicates, no orphans: Chroma, manifest and BM25 name the same chunks, each passage once."""
    ids = set(state["ids"])
    assert len(ids) == len(state["ids"]) == state["count"]
    manifest_ids = [c for d in state["manifest"]["documents"].values() for c in d["chunk_ids"]]
    assert len(manifest_ids) == len(set(manifest_ids)) and set(manifest_ids) == ids
    assert state["bm25"] == sorted(ids)
    spans = [(m["source"], m["start"], m["end"]) for m in state["metas"].values()]
    assert len(spans) == len(set(spans))
    assert state["texts"] == sorted({f"{d['sha']}.txt" for d in state["manifest"]["documents"].values()})
    assert not [p for p in state["sidecar"] if p.endswith(".tmp") or ".tmp/" in p or "manifest.json." in p]


def _assert_same_index(db: Path, clean_db: Path, embedder) -> None:
    """``db`` holds exactly what a clean ingest of the same folder into ``clean_db`` holds."""
    got, want = _state(db, embedder), _state(clean_db, embedder)
    _assert_consistent(got)
    _assert_consistent(want)
    assert sorted(got["ids"]) == sorted(want["ids"])
    assert got["docs"] == want["docs"]
    for cid, vector in want["vectors"].items():
        assert np.allclose(got["vectors"][cid], vector, atol=1e-4), cid
        # Metadata equal; the pooled sentence vectors (float16) equal up to batch-dependent rounding.
        mine, theirs = dict(got["metas"][cid]), dict(want["metas"][cid])
        mine_vecs, their_vecs = mine.pop("sent_vecs", ""), theirs.pop("sent_vecs", "")
        assert mine == theirs, cid
        assert np.allclose(unpack_vectors(mine_vecs), unpack_vectors(their_vecs), atol=2e-3) if their_vecs \
            else not mine_vecs
    assert got["manifest"] == want["manifest"]
    assert got["bm25"] == want["bm25"] and got["texts"] == want["texts"]


def _snapshot(db: Path) -> dict:
    """Bytes and modification times of every sidecar file, and Chroma's write log position."""
    import sqlite3

    files = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in (db / "sidecar").rglob("*") if p.is_file()}
    with sqlite3.connect(f"file:{db / 'chroma.sqlite3'}?mode=ro", uri=True) as conn:
        log = conn.execute("select count(*), max(seq_id) from embeddings_queue").fetchone()
    return {"files": files, "chroma_log": log}


def _articles(folder: Path, n: int, per: int = 8, seed: int = 7) -> None:
    """``n`` articles made of the seeds' sentences (headline, date line, paragraphs), deterministic."""
    sentences = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        sentences += [text[s.start:s.end] for s in sentence_spans(text) if 40 <= s.end - s.start <= 400]
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        picked = rng.sample(sentences, per)
        paragraphs = [" ".join(picked[j:j + 3]) for j in range(0, per, 3)]
        (folder / f"art_{i:03d}.txt").write_text(
            f"Article {i:03d} on the rare earth trade\nWire·2026-02-{1 + i % 28:02d} 09:00\n\n"
            + "\n\n".join(paragraphs) + f"\nFile {i} ends here.\n", encoding="utf-8")


def _spawn_with_tty_stderr(args: list[str], env: dict | None = None):
    """Start a process whose stderr is a terminal (a pty, 120 columns); returns (process, captured bytes list)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave, cwd=ROOT,
                            env={**os.environ, **(env or {})})
    os.close(slave)
    captured: list[bytes] = []

    def pump():
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:  # EIO once the child's side is closed
                break
            if not data:
                break
            captured.append(data)
        os.close(master)

    threading.Thread(target=pump, daemon=True).start()
    return proc, captured


def _kill_after_first_batch(args: list[str], env: dict | None = None) -> tuple[int, int]:
    """Run an ingest whose progress bar is on a terminal and SIGKILL it once its first batch of chunks is written;
    returns (chunks written by then, chunks it had to write)."""
    proc, captured = _spawn_with_tty_stderr(args, env)
    deadline, done, total = time.monotonic() + 240, 0, 0
    while time.monotonic() < deadline and proc.poll() is None:
        counts = re.findall(r"embedding:.*?(\d+)/(\d+)", b"".join(captured).decode("utf-8", "replace"))
        if counts:
            done, total = map(int, counts[-1])
            if done >= UPSERT_BATCH:
                break
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, "the ingest finished before it could be killed"
    return done, total


# ---- incremental updates


def test_unchanged_folder_writes_nothing_and_reports_all_unchanged(tmp_path, embedder):
    src, db = _copy_seeds(tmp_path / "src"), tmp_path / "db"
    first = _ingest(src, db, embedder)
    assert len(first.added) == 5 and first.embedded == first.chunks > 0
    before = _snapshot(db)
    time.sleep(0.05)  # a rewrite would show in the modification times
    again = _ingest(src, db, embedder)
    assert again.unchanged == sorted(p.name for p in src.iterdir())
    assert not (again.added or again.updated or again.removed or again.renamed or again.skipped)
    assert again.embedded == 0 and again.chunks == first.chunks
    after = _snapshot(db)
    assert after["files"] == before["files"]  # sidecar: same bytes, same modification times
    assert after["chroma_log"] == before["chroma_log"]  # Chroma: no upsert, delete or update was issued

    lazy = LazyEmbedder(_settings(src, db))  # what `rag ingest` uses: the model loads only for work
    assert lazy.name == embedder.name
    assert len(run_ingest(_settings(src, db), lazy).unchanged) == 5 and not lazy.loaded


def test_edit_delete_rename_and_move_follow_the_folder(tmp_path, embedder):
    src, db = _copy_seeds(tmp_path / "src"), tmp_path / "db"
    _ingest(src, db, embedder)
    old = _state(db, embedder)

    edited = src / "002_1b8812a566166968.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n" + APPENDED + "\n", encoding="utf-8")
    report = _ingest(src, db, embedder)
    assert report.updated == [edited.name] and len(report.unchanged) == 4
    assert not (report.added or report.removed or report.renamed)
    state = _state(db, embedder)
    old_ids = set(old["manifest"]["documents"][edited.name]["chunk_ids"])
    new_ids = set(state["manifest"]["documents"][edited.name]["chunk_ids"])
    assert old_ids - new_ids and not (old_ids - new_ids) & set(state["ids"])  # replaced chunks are gone
    assert any(APPENDED in state["docs"][c] for c in new_ids)
    assert 0 < report.embedded <= len(new_ids - old_ids)  # only the changed chunks were embedded

    # A new headline and an inserted paragraph move every later chunk: offsets, paragraph numbers and the
    # title follow, while text that did not change keeps its vector (nothing re-embedded but the new text).
    shifted = src / "003_2f1f56654b205bbf.txt"
    lines = shifted.read_text(encoding="utf-8").split("\n")
    shifted.write_text("\n".join(["A Brand New Headline", "An inserted opening paragraph, never seen before."]
                                 + lines[1:]), encoding="utf-8")
    report = _ingest(src, db, embedder)
    assert report.updated == [shifted.name] and len(report.unchanged) == 4
    state = _state(db, embedder)
    text = shifted.read_text(encoding="utf-8")
    metas = [(c, m) for c, m in state["metas"].items() if m["source"] == shifted.name]
    assert all(text[m["start"]:m["end"]] == state["docs"][c] and m["title"] == "A Brand New Headline" for c, m in metas)
    assert 0 < report.embedded < len(metas)

    (src / "004_2c3b9067990f8dc0.txt").unlink()
    report = _ingest(src, db, embedder)
    assert report.removed == ["004_2c3b9067990f8dc0.txt"] and report.embedded == 0
    state = _state(db, embedder)
    assert not [m for m in state["metas"].values() if m["source"] == "004_2c3b9067990f8dc0.txt"]

    before_rename = _state(db, embedder)
    (src / "003_2f1f56654b205bbf.txt").rename(src / "renamed.txt")
    report = _ingest(src, db, embedder)
    assert report.renamed == [{"from": "003_2f1f56654b205bbf.txt", "to": "renamed.txt"}]
    assert report.embedded == 0  # moved, not re-embedded
    assert not (report.added or report.removed or report.updated)
    state = _state(db, embedder)
    moved = {state["docs"][c]: state["vectors"][c] for c, m in state["metas"].items() if m["source"] == "renamed.txt"}
    was = {before_rename["docs"][c]: before_rename["vectors"][c]
           for c, m in before_rename["metas"].items() if m["source"] == "003_2f1f56654b205bbf.txt"}
    assert moved.keys() == was.keys() and all(np.allclose(moved[t], was[t], atol=1e-6) for t in moved)

    # The whole folder moves: nothing is re-embedded, citations point at the new place.
    moved_src = src.rename(tmp_path / "moved")
    report = _ingest(moved_src, db, embedder)
    assert len(report.unchanged) == 4 and report.embedded == 0
    state = _state(db, embedder)
    assert all(m["path"].startswith(str(moved_src.resolve()) + os.sep) for m in state["metas"].values())
    assert state["manifest"]["source_root"] == str(moved_src.resolve())

    clean_db = tmp_path / "clean"
    _ingest(moved_src, clean_db, embedder)
    _assert_same_index(db, clean_db, embedder)


def test_chunks_carry_exact_offsets_paragraph_title_and_date(tmp_path, embedder):
    src, db = _copy_seeds(tmp_path / "src"), tmp_path / "db"
    (src / "crlf.txt").write_bytes(
        "\ufeff\r\n\r\nRare Earth Notes\r\nJanuary 9, 2026\r\n\r\nThe first line of the body.\r\n稀土出口管制。第二句！\r\n"
        .encode("utf-8"))
    _ingest(src, db, embedder)
    state = _state(db, embedder)
    for cid, meta in state["metas"].items():
        text = (src / meta["source"]).read_bytes().decode("utf-8")
        assert text[meta["start"]:meta["end"]] == state["docs"][cid]
    first = {m["source"]: m for m in state["metas"].values() if m["start"] == min(
        x["start"] for x in state["metas"].values() if x["source"] == m["source"])}
    seed0 = first["000_8f9c442d9b9343c7.txt"]
    assert seed0["title"].startswith("突发特迅") and seed0["date"] == "2026-01-06" and seed0["date_num"] == 20260106
    assert first["001_31eb75d010c8577d.txt"]["start"] == 1  # the file begins with an empty line
    crlf = first["crlf.txt"]
    assert (crlf["title"], crlf["date"], crlf["start"], crlf["paragraph"]) == ("Rare Earth Notes", "2026-01-09", 5, 0)
    paragraphs = sorted(m["paragraph"] for m in state["metas"].values() if m["source"] == "003_2f1f56654b205bbf.txt")
    assert paragraphs[0] == 0 and paragraphs[-1] > 5


def test_chunk_size_and_overlap_are_settings(tmp_path, embedder):
    src, db = _copy_seeds(tmp_path / "src"), tmp_path / "db"
    default = _ingest(src, db, embedder)
    small = _ingest(src, db, embedder, chunk_size=200, chunk_overlap=60)
    assert len(small.updated) == 5 and small.chunks > default.chunks  # new chunking replaces every document
    state = _state(db, embedder)
    assert max(m["end"] - m["start"] for m in state["metas"].values()) <= 200
    _assert_consistent(state)
    with pytest.raises(BadArgument, match="RAG_CHUNK_OVERLAP"):
        _ingest(src, db, embedder, chunk_size=200, chunk_overlap=200)


# ---- formats


def test_html_markdown_and_pdf_are_indexed_and_rag_show_prints_what_offsets_index(tmp_path, embedder):
    src, db = tmp_path / "src", tmp_path / "db"
    src.mkdir()
    (src / "page.html").write_text(
        "<html><head><title>Gallium Watch</title><script>track('x')</script><style>p{}</style></head><body>"
        "<h1>Gallium exports slump</h1><p>Gallium exports fell 40% in March.</p><p>Traders blamed new "
        "licences.</p><script>hidden_script_text()</script></body></html>", encoding="utf-8")
    (src / "old.htm").write_text("<p>Germanium prices doubled in a year.</p>", encoding="utf-8")
    (src / "notes.md").write_text("# Magnet makers\n\nNeodymium magnets are **scarce**.\n", encoding="utf-8")
    (src / "report.pdf").write_bytes(make_pdf([["Quarterly Minerals Report", "Yttrium output fell (12%) in Q1."],
                                               ["Second page: terbium stocks are low."]]))
    report = _ingest(src, db, embedder)
    assert report.added == ["notes.md", "old.htm", "page.html", "report.pdf"] and not report.skipped
    state = _state(db, embedder)
    assert not [t for t in state["docs"].values() if "track(" in t or "hidden_script_text" in t or "p{}" in t]
    formats = {s: d["format"] for s, d in state["manifest"]["documents"].items()}
    assert formats == {"notes.md": "markdown", "old.htm": "html", "page.html": "html", "report.pdf": "pdf"}

    shown = {}
    for source in ("page.html", "report.pdf", "notes.md"):
        result = run_rag("show", source, "--db", str(db), timeout=60)
        assert result.returncode == 0, result.stderr
        shown[source] = result.stdout
    assert shown["page.html"] == ("Gallium Watch\nGallium exports slump\nGallium exports fell 40% in March.\n"
                                  "Traders blamed new licences.")
    assert shown["report.pdf"] == ("Quarterly Minerals Report\nYttrium output fell (12%) in Q1.\n\n"
                                   "Second page: terbium stocks are low.")
    assert shown["notes.md"] == (src / "notes.md").read_text(encoding="utf-8")
    for cid, meta in state["metas"].items():
        if meta["source"] in shown:
            assert shown[meta["source"]][meta["start"]:meta["end"]] == state["docs"][cid]
    assert state["metas"][next(c for c, m in state["metas"].items() if m["source"] == "page.html")]["title"] \
        == "Gallium Watch"
    missing = run_rag("show", "nope.txt", "--db", str(db), timeout=60)
    assert missing.returncode == 2 and "not in the index" in missing.stderr and "Traceback" not in missing.stderr


# ---- bad files


def test_bad_files_are_skipped_with_reasons_and_never_indexed(tmp_path, embedder):
    src, db = _copy_seeds(tmp_path / "src"), tmp_path / "db"
    (src / "empty.txt").write_bytes(b"")
    (src / "blank.md").write_bytes(b"  \r\n\n")
    (src / "binary.txt").write_bytes(bytes(range(256)) * 4)
    rng = random.Random(3)
    (src / "noise.txt").write_bytes(bytes(rng.randint(0x80, 0xFF) for _ in range(3000)))
    (src / "huge.txt").write_text("Huge text. " * 2000, encoding="utf-8")
    (src / "latin1.txt").write_bytes(LATIN1.encode("latin-1"))
    (src / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    (src / "broken.txt").symlink_to(tmp_path / "does-not-exist.txt")
    os.mkfifo(src / "pipe.txt")
    (src / "bad.pdf").write_bytes(b"%PDF-1.4\ngarbage")
    warnings: list[str] = []
    report = _ingest(src, db, embedder, warnings, max_file_bytes=10_000)
    reasons = {s["path"]: s["reason"] for s in report.skipped}
    assert reasons == {
        "bad.pdf": reasons["bad.pdf"], "binary.txt": "binary file, not text", "blank.md": "empty file",
        "broken.txt": "unreadable: broken link", "empty.txt": "empty file",
        "huge.txt": "too large: 22,000 bytes (limit 10,000; set RAG_MAX_FILE_BYTES)",
        "noise.txt": "undecodable text: not UTF-8 and no encoding could be detected",
        "photo.jpg": reasons["photo.jpg"], "pipe.txt": "not a regular file (a pipe, socket or device)"}
    assert reasons["bad.pdf"].startswith("unreadable PDF")
    assert reasons["photo.jpg"].startswith("unsupported format .jpg")
    assert all("\n" not in r for r in reasons.values())
    for path, reason in reasons.items():
        assert f"skipped {path}: {reason}" in warnings
    assert "note latin1.txt: not UTF-8, decoded as cp1252" in warnings
    assert sorted(report.added) == sorted([p.name for p in SEEDS.iterdir()] + ["latin1.txt"])
    state = _state(db, embedder)
    _assert_consistent(state)
    assert {m["source"] for m in state["metas"].values()} == set(report.added)
    entry = state["manifest"]["documents"]["latin1.txt"]
    assert entry["encoding"] == "cp1252"
    shown = run_rag("show", "latin1.txt", "--db", str(db), timeout=60)
    assert shown.stdout == LATIN1


def test_cli_skips_unreadable_and_too_large_files_and_exits_0(tmp_path):
    """A chmod 000 file and folder really fail to open: the ingest runs as root, so it runs under `setpriv` without
    CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH, the capabilities that let root ignore file modes. The size limit
    comes from RAG_MAX_FILE_BYTES."""
    src, db = _copy_seeds(tmp_path / "src"), tmp_path / "db"
    locked = src / "locked.txt"
    locked.write_text("Secret text nobody may read.", encoding="utf-8")
    locked.chmod(0)
    (src / "huge.md").write_text("Huge text. " * 600, encoding="utf-8")
    (src / "private").mkdir()
    (src / "private" / "inside.txt").write_text("Text in a folder nobody may list.", encoding="utf-8")
    (src / "private").chmod(0)
    drop = "-dac_override,-dac_read_search"
    result = subprocess.run(["setpriv", f"--inh-caps={drop}", f"--bounding-set={drop}", RAG, "ingest",
                             "--source", str(src), "--db", str(db), "--json"], capture_output=True, text=True,
                            timeout=300, cwd=ROOT, env={**os.environ, "RAG_MAX_FILE_BYTES": "6000"})
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["skipped"] == [
        {"path": "huge.md", "reason": "too large: 6,600 bytes (limit 6,000; set RAG_MAX_FILE_BYTES)"},
        {"path": "locked.txt", "reason": "unreadable: permission denied"},
        {"path": "private/", "reason": "unreadable folder: permission denied"}]
    assert len(summary["added"]) == 5
    assert "skipped locked.txt: unreadable: permission denied" in result.stderr.splitlines()
    assert "skipped private/: unreadable folder: permission denied" in result.stderr.splitlines()
    (src / "private").chmod(0o755)  # let pytest clean up
    assert "Traceback" not in result.stderr


def test_cli_run_failures_are_one_line_exit_2(tmp_path):
    src = _copy_seeds(tmp_path / "src")
    missing = run_rag("ingest", "--source", str(tmp_path / "nope"), "--db", str(tmp_path / "db"))
    not_folder = tmp_path / "file.txt"
    not_folder.write_text("x")
    db_is_file = run_rag("ingest", "--source", str(src), "--db", str(not_folder))
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "chroma.sqlite3").write_bytes(b"this is not a database" * 100)
    db_broken = run_rag("ingest", "--source", str(src), "--db", str(broken))
    for result, words in ((missing, "does not exist"), (db_is_file, "cannot write the index folder"),
                          (db_broken, "delete the folder and run `rag ingest` again")):
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith("rag: ") and result.stderr.count("\n") == 1 and words in result.stderr
        assert result.stdout == ""


def test_damaged_manifest_is_rebuilt_and_a_second_ingest_waits(tmp_path, embedder):
    src, db = _copy_seeds(tmp_path / "src"), tmp_path / "db"
    _ingest(src, db, embedder)
    (db / "sidecar" / "manifest.json").write_text("{ not json")
    warnings: list[str] = []
    report = _ingest(src, db, embedder, warnings)
    assert report.embedded == 0 and len(report.added) == 5
    assert any("manifest" in w and "rebuilding" in w for w in warnings)
    clean = tmp_path / "clean"
    _ingest(src, clean, embedder)
    _assert_same_index(db, clean, embedder)

    # A damaged BM25 index under an unchanged folder is rebuilt too.
    shutil.rmtree(db / "sidecar" / "bm25" / "model")
    warnings.clear()
    report = _ingest(src, db, embedder, warnings)
    assert len(report.unchanged) == 5 and report.embedded == 0 and not warnings
    store = IndexStore(_settings(src, db))
    assert store.load_bm25().ids == sorted(_state(db, embedder)["ids"])

    from filelock import FileLock

    with FileLock(str(db / "ingest.lock")):  # another ingest is running
        with pytest.raises(IndexBusy, match="another `rag ingest`"):
            _ingest(src, db, embedder)


def test_an_index_folder_inside_the_source_folder_is_not_ingested(tmp_path, embedder):
    src = _copy_seeds(tmp_path / "src")
    db = src / "index"
    first = _ingest(src, db, embedder)
    again = _ingest(src, db, embedder)
    assert len(first.added) == 5 and len(again.unchanged) == 5 and not again.added and not again.skipped


# ---- progress


def test_progress_bar_only_on_a_terminal_and_never_with_json(tmp_path):
    src, db = _copy_seeds(tmp_path / "src"), tmp_path / "db"
    proc, captured = _spawn_with_tty_stderr([RAG, "ingest", "--source", str(src), "--db", str(db)])
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0
    time.sleep(0.2)
    tty = b"".join(captured).decode("utf-8", "replace")
    assert "reading" in tty and "file/s" in tty and "embedding" in tty and "chunk/s" in tty
    assert out.decode().startswith("5 added, 0 updated, 0 removed, 0 unchanged, 0 renamed, 0 skipped;")

    # Re-runs still read every file behind a bar on a terminal, but --json keeps stderr silent...
    proc, captured = _spawn_with_tty_stderr([RAG, "ingest", "--source", str(src), "--db", str(db)])
    proc.communicate(timeout=300)
    time.sleep(0.2)
    assert "reading" in b"".join(captured).decode("utf-8", "replace")
    proc, captured = _spawn_with_tty_stderr([RAG, "ingest", "--source", str(src), "--db", str(db), "--json"])
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0 and len(json.loads(out)["unchanged"]) == 5
    time.sleep(0.2)
    assert b"".join(captured).strip() == b""
    # ...and so does a stderr that is not a terminal (a pipe, as here).
    piped = run_rag("ingest", "--source", str(src), "--db", str(db))
    assert piped.returncode == 0 and piped.stderr == "" and piped.stdout.startswith("0 added")


# ---- crash safety

# Runs `rag ingest` with a real SIGKILL at a chosen point: after the Nth Chroma delete call, or just before
# the manifest is written. Everything else is the real command.
_KILL_AT = r"""
import os, signal, sys
from chromadb.api.models.Collection import Collection
import ingest.chroma_writes
from rag.store import IndexStore
where, after = os.environ["KILL_AT"], int(os.environ.get("KILL_AFTER", "1"))
ingest.chroma_writes.DELETE_BATCH = 25  # many small deletes, so the kill lands between two of them
calls = []
real_delete = Collection.delete
def delete(self, *args, **kwargs):
    real_delete(self, *args, **kwargs)
    calls.append(1)
    if where == "delete" and len(calls) == after:
        os.kill(os.getpid(), signal.SIGKILL)
Collection.delete = delete
def save_manifest(self, manifest):
    os.kill(os.getpid(), signal.SIGKILL)
if where == "manifest":
    IndexStore.save_manifest = save_manifest
from rag.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_sigkill_anywhere_then_rerun_equals_a_clean_ingest(tmp_path, embedder):
    src, db = tmp_path / "src", tmp_path / "db"
    _articles(src, 150, per=3)

    # 1. A real `rag ingest`, killed once its first batch of chunks is in Chroma (its progress bar says so).
    done, total = _kill_after_first_batch([RAG, "ingest", "--source", str(src), "--db", str(db)])
    assert UPSERT_BATCH <= done < total
    assert not (db / "sidecar" / "manifest.json").exists()
    store = IndexStore(_settings(src, db), embedder.chroma_function())
    partial = store.collection().count()
    store.close()
    assert UPSERT_BATCH <= partial < total

    # 2. Run again: it finishes the job without embedding anything twice, and equals a clean ingest.
    again = _ingest(src, db, embedder)
    assert len(again.added) == 150 and again.chunks == total and again.embedded == total - partial
    clean = tmp_path / "clean"
    _ingest(src, clean, embedder)
    _assert_same_index(db, clean, embedder)

    # 3. Killed in the middle of deleting (100 files gone; 25 ids per delete call, killed after the third).
    for path in sorted(src.iterdir())[50:]:
        path.unlink()
    killed = subprocess.run([sys.executable, "-c", _KILL_AT, "ingest", "--source", str(src), "--db", str(db)],
                            capture_output=True, text=True, timeout=600, cwd=ROOT,
                            env={**os.environ, "KILL_AT": "delete", "KILL_AFTER": "3"})
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    mid = _state(db, embedder)
    assert len(mid["manifest"]["documents"]) == 150  # the old manifest still stands
    present = {p.name for p in src.iterdir()}
    stale = {c for s, d in mid["manifest"]["documents"].items() if s not in present for c in d["chunk_ids"]}
    assert stale - set(mid["ids"]) and stale & set(mid["ids"])  # some stale chunks deleted, some not yet

    # 4. Killed after BM25 is written but before the manifest: two files renamed (moved vectors), one deleted.
    (src / "art_010.txt").rename(src / "renamed_010.txt")
    (src / "art_011.txt").rename(src / "renamed_011.txt")
    (src / "art_012.txt").unlink()
    killed = subprocess.run([sys.executable, "-c", _KILL_AT, "ingest", "--source", str(src), "--db", str(db)],
                            capture_output=True, text=True, timeout=600, cwd=ROOT,
                            env={**os.environ, "KILL_AT": "manifest"})
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert len(json.loads((db / "sidecar" / "manifest.json").read_text())["documents"]) == 150
    assert "renamed_010.txt" in {m["source"] for m in _state(db, embedder)["metas"].values()}

    # 5. The next run repairs everything into exactly a clean ingest of the folder.
    final = _ingest(src, db, embedder)
    assert final.embedded == 0 and len(final.removed) == 101 and not final.skipped
    assert final.renamed == [{"from": "art_010.txt", "to": "renamed_010.txt"},
                             {"from": "art_011.txt", "to": "renamed_011.txt"}]
    clean2 = tmp_path / "clean2"
    _ingest(src, clean2, embedder)
    _assert_same_index(db, clean2, embedder)
    # The vectors answer queries: every chunk is among its own vector's nearest neighbours. Chroma's HNSW graph can
    # strand a live record after deletes and upserts (chroma-core/chroma#7758; seen in CI after this very sequence):
    # the ingest checks what it wrote and a sample of the rest, and writes a stranded chunk again.
    state = _state(db, embedder)
    store = IndexStore(_settings(src, db), embedder.chroma_function())
    try:
        ids = sorted(state["ids"])
        got = store.collection().query(query_embeddings=[state["vectors"][c].tolist() for c in ids], n_results=4)
        assert [c for c, found in zip(ids, got["ids"]) if c not in found] == []
    finally:
        store.close()


# ---- the new user's afternoon


def test_new_user_scenario_append_delete_and_bad_files(tmp_path):
    src, db = _copy_seeds(tmp_path / "articles"), tmp_path / "index"
    first = run_rag("ingest", "--source", str(src), "--db", str(db), "--json")
    assert first.returncode == 0, first.stderr
    assert len(json.loads(first.stdout)["added"]) == 5 and first.stderr == ""

    appended = src / "002_1b8812a566166968.txt"
    appended.write_text(appended.read_text(encoding="utf-8") + "\n" + APPENDED + "\n", encoding="utf-8")
    (src / "004_2c3b9067990f8dc0.txt").unlink()
    (src / "empty.txt").write_bytes(b"")
    (src / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    (src / "latin1.txt").write_bytes(LATIN1.encode("latin-1"))
    second = run_rag("ingest", "--source", str(src), "--db", str(db), "--json")
    assert second.returncode == 0, second.stderr
    summary = json.loads(second.stdout)
    assert summary["updated"] == ["002_1b8812a566166968.txt"]
    assert summary["removed"] == ["004_2c3b9067990f8dc0.txt"]
    assert summary["added"] == ["latin1.txt"] and len(summary["unchanged"]) == 3 and summary["renamed"] == []
    assert summary["skipped"] == [{"path": "binary.txt", "reason": "binary file, not text"},
                                  {"path": "empty.txt", "reason": "empty file"}]
    assert second.stderr.splitlines() == ["skipped binary.txt: binary file, not text", "skipped empty.txt: empty file",
                                          "note latin1.txt: not UTF-8, decoded as cp1252"]

    third = run_rag("ingest", "--source", str(src), "--db", str(db))  # no --json: one human line, same figures
    assert third.returncode == 0
    assert re.fullmatch(r"0 added, 0 updated, 0 removed, 5 unchanged, 0 renamed, 2 skipped; "
                        rf"{summary['chunks']} chunks in the index \(0 embedded in \d+\.\d s\)\n", third.stdout)

    questions = "When will the Kuroshio Magnet Works plant halt its third production line?\n" \
                "What share of Japan's rare earth imports come from China?\n"
    asked = run_rag("ask", "-", "--db", str(db), "--json", input=questions)
    assert asked.returncode == 0, asked.stderr
    kuroshio, share = [json.loads(line) for line in asked.stdout.splitlines() if line.strip()]
    assert not kuroshio["abstained"]
    cited = [c for c in kuroshio["citations"] if c["source"] == appended.name and "Kuroshio Magnet Works" in c["quote"]]
    assert cited, kuroshio
    text = appended.read_bytes().decode("utf-8")
    for c in cited:
        assert text[c["start"]:c["end"]] == c["quote"] and c["start"] > text.index(APPENDED) - 5
    for answer in (kuroshio, share):
        sources = [c["source"] for c in answer["citations"] + answer["related"]] + answer["retrieved"]
        assert "004_2c3b9067990f8dc0.txt" not in sources


# ---- crash safety with a Chroma server (issue 15): chunks, document records, generation record, the pointer
# flipped last, stale records deleted after it

_KILL_AT_FLIP = r"""
import os, signal, sys
from rag.server_index import ServerIndex
def flip(self, *args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)
ServerIndex.flip = flip
exec(compile(os.environ["KILL_SCRIPT"], "kill", "exec"))
"""


def _server_state(url: str, collection: str) -> dict:
    """Everything a server index holds: chunks (ids, texts, metadata, vectors), document and generation records,
    the published generation and the lease."""
    from rag.server_index import ServerIndex

    store = IndexStore(Settings(chroma_url=url, collection=collection))
    col = store.client().get_collection(collection, embedding_function=None)
    got = col.get(include=["documents", "metadatas", "embeddings"])
    server = ServerIndex(store.client(), collection)
    records = server.records().get(include=["documents", "metadatas"])
    return {"ids": sorted(got["ids"]), "docs": dict(zip(got["ids"], got["documents"])),
            "metas": dict(zip(got["ids"], got["metadatas"])),
            "vectors": dict(zip(got["ids"], np.asarray(got["embeddings"]))),
            "records": {rid: (meta, doc) for rid, meta, doc in zip(records["ids"], records["metadatas"],
                                                                   records["documents"])},
            "published": server.published()}


def _snapshot_files(records: dict) -> dict:
    """The files inside the published snapshot (manifest.json, bm25/...), by name."""
    import base64
    import gzip
    import io
    import tarfile

    parts = sorted((meta["part"], text) for rid, (meta, text) in records.items() if rid.startswith("snap:"))
    blob = gzip.decompress(base64.b64decode("".join(text for _, text in parts)))
    with tarfile.open(fileobj=io.BytesIO(blob)) as tar:
        return {m.name: (m.mode, tar.extractfile(m).read() if m.isfile() else None) for m in tar.getmembers()}


def _snapshot_bm25(files: dict):
    import tempfile

    from rag.bm25 import BM25Index

    folder = Path(tempfile.mkdtemp(prefix="snapshot-"))
    for name, (_, data) in files.items():
        if name.startswith("bm25") and data is not None:
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(data)
    return BM25Index.load(folder / "bm25")


def _assert_same_server_index(url: str, collection: str, clean: str) -> None:
    got, want = _server_state(url, collection), _server_state(url, clean)
    assert got["published"] and got["published"] == want["published"]
    mine, theirs = _snapshot_files(got["records"]), _snapshot_files(want["records"])
    assert mine.keys() == theirs.keys()
    for name in ("manifest.json", "bm25/ids.json", "bm25/analyzer.txt"):
        assert mine[name] == theirs[name], name
    # bm25s numbers its vocabulary in set order (differs between processes): the same index, scored alike.
    mine_bm25, their_bm25 = _snapshot_bm25(mine), _snapshot_bm25(theirs)
    for query in ("rare earth export controls", "magnet production line", "licence review", "Article 010"):
        assert mine_bm25.search(query, 10) == their_bm25.search(query, 10), query
    # documents with their texts, one generation record, its snapshot, no lease
    assert got["records"].keys() == want["records"].keys()
    assert {k: v for k, v in got["records"].items() if not k.startswith("snap:")} \
        == {k: v for k, v in want["records"].items() if not k.startswith("snap:")}
    assert "lease" not in got["records"]
    assert got["ids"] == want["ids"] and got["docs"] == want["docs"]
    published = json.loads(got["records"][f"gen:{got['published']}"][1])["documents"]
    assert {c for rid in published.values() for c in json.loads(got["records"][rid][0]["chunk_ids"])} \
        == set(got["ids"])  # no orphan chunks, none missing
    for cid, vector in want["vectors"].items():
        assert np.allclose(got["vectors"][cid], vector, atol=1e-4), cid
        mine, theirs = dict(got["metas"][cid]), dict(want["metas"][cid])
        mine_vecs, their_vecs = mine.pop("sent_vecs", ""), theirs.pop("sent_vecs", "")
        assert mine == theirs, cid
        assert np.allclose(unpack_vectors(mine_vecs), unpack_vectors(their_vecs), atol=2e-3)


def test_sigkill_anywhere_with_a_chroma_server_then_rerun_equals_a_clean_ingest(tmp_path, embedder):
    from rag.assistant import Assistant
    from tests.conftest import free_port, start_chroma, stop_process

    port = free_port()
    server = start_chroma(tmp_path / "server", tmp_path / "server.log", port)
    url = f"http://127.0.0.1:{port}"
    src, db = tmp_path / "src", tmp_path / "db"
    _articles(src, 150, per=3)
    env = {"RAG_CHROMA_URL": url, "RAG_COLLECTION": "killed"}

    def server_ingest(folder: Path, collection: str = "killed", index: Path = db):
        return run_ingest(Settings(source_dir=folder, db_dir=index, chroma_url=url, collection=collection), embedder)

    def killed_run(where: str, after: int = 1) -> None:
        killed = subprocess.run([sys.executable, "-c", _KILL_AT_FLIP if where == "flip" else _KILL_AT, "ingest",
                                 "--source", str(src), "--db", str(db)], capture_output=True, text=True, timeout=600,
                                cwd=ROOT, env={**os.environ, **env, "KILL_AT": where, "KILL_AFTER": str(after),
                                               "KILL_SCRIPT": _KILL_AT})
        assert killed.returncode == -signal.SIGKILL, killed.stderr

    def reader() -> Assistant:  # a machine with only the URL
        return Assistant(Settings(db_dir=tmp_path / f"reader{time.monotonic_ns()}", chroma_url=url,
                                  collection="killed"), embedder)

    try:
        # 1. Killed once its first batch of chunks is on the server: nothing is published yet.
        _, total = _kill_after_first_batch([RAG, "ingest", "--source", str(src), "--db", str(db)], env=env)
        mid = _server_state(url, "killed")
        assert mid["published"] == "" and UPSERT_BATCH <= len(mid["ids"]) < total
        assert "lease" in mid["records"]  # the dead process's lease stays behind...

        # 2. ...and is taken over (same host, process gone). The run finishes without embedding twice.
        again = server_ingest(src)
        assert len(again.added) == 150 and again.chunks == total and again.embedded == total - len(mid["ids"])
        server_ingest(src, "clean1", tmp_path / "clean1")
        _assert_same_server_index(url, "killed", "clean1")
        first_generation = _server_state(url, "killed")["published"]

        # 3. Killed while deleting what the new generation dropped: the new generation is already published
        # (deletes come after the flip) and a reader sees exactly it.
        for path in sorted(src.iterdir())[50:]:
            path.unlink()
        killed_run("delete", 3)
        mid = _server_state(url, "killed")
        assert mid["published"] not in ("", first_generation) and len(reader().sources) == 50
        assert set(reader().sources) == {p.name for p in src.iterdir()}
        assert len(mid["ids"]) > 50 * 2  # stale chunks left to delete

        # 4. Killed just before the flip: two files renamed, one deleted. The old generation still stands for
        # readers, though the new chunks and records are written.
        published = mid["published"]
        (src / "art_010.txt").rename(src / "renamed_010.txt")
        (src / "art_011.txt").rename(src / "renamed_011.txt")
        (src / "art_012.txt").unlink()
        killed_run("flip")
        mid = _server_state(url, "killed")
        assert mid["published"] == published
        assert "renamed_010.txt" in {m["source"] for m in mid["metas"].values()}
        assert "art_012.txt" in reader().sources and "renamed_010.txt" not in reader().sources

        # 5. The next run finishes it into exactly a clean ingest.
        final = server_ingest(src)
        assert final.embedded == 0 and not final.skipped
        assert final.renamed == [{"from": "art_010.txt", "to": "renamed_010.txt"},
                                 {"from": "art_011.txt", "to": "renamed_011.txt"}]
        server_ingest(src, "clean2", tmp_path / "clean2")
        _assert_same_server_index(url, "killed", "clean2")
        assert set(reader().sources) == {p.name for p in src.iterdir()}
        # Every chunk is among its own vector's nearest neighbours on the server too (ingest.reachability).
        state = _server_state(url, "killed")
        col = IndexStore(Settings(chroma_url=url, collection="killed")).client().get_collection(
            "killed", embedding_function=None)
        got = col.query(query_embeddings=[state["vectors"][c].tolist() for c in state["ids"]], n_results=4)
        assert [c for c, found in zip(state["ids"], got["ids"]) if c not in found] == []
    finally:
        stop_process(server)
