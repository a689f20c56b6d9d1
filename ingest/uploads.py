"""Articles added to (or removed from) the corpus folder from outside it: the browser's Articles panel and its
API. Files are judged before they touch the folder, saved under a safe base name, and the same incremental
ingest as `rag ingest` runs (ingest.pipeline.run_ingest: one code path, the same lock).

The name rule (docs/app.md, "Articles panel"):
- A file keeps its base name, reduced to something safe: folders (``../``, ``C:\\``, absolute paths) are dropped,
  control characters removed, characters Windows refuses replaced by ``_``; a hidden name (``.x``) is refused.
- A name not in the folder is saved as is (added). The same name with the same bytes changes nothing
  (unchanged). The same name with other bytes never overwrites silently: it is saved as ``name (2).ext``
  (added, with a note), unless the upload says ``replace`` (the panel's "Replace articles of the same name"),
  which makes it a new version of that article (updated).
- A ``.zip`` is unpacked member by member under the same rules (its folders flattened, ``../`` dropped), with a
  cap on the unpacked size of one upload (zip bombs) and on the number of files.
A file the ingest would skip (empty, binary, undecodable, too large, unsupported, a PDF without text) is never
kept in the folder; its outcome carries the same one-line reason `rag ingest` prints.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from ingest.staging import Outcome, check_upload, free_name, stage_files
from rag.errors import NotInCorpus, SourceMissing
from rag.store import IndexStore


def corpus_folder(settings) -> Path:
    """The folder uploads go to: ``--source`` / RAG_SOURCE_DIR when given, else the folder the index was built
    from (the manifest's source_root). SourceMissing with the fix when there is none.

    Example: an index built by ``rag ingest --source ~/articles`` -> Path('/home/ana/articles').
    """
    if "source_dir" in settings.model_fields_set:
        folder = Path(settings.source_dir)
    else:
        root = IndexStore(settings).load_manifest(required=False).source_root
        if not root:
            raise SourceMissing("the index does not record the folder it was built from: start the app with "
                                "`rag ui --source DIR` to add articles")
        folder = Path(root)
    if not folder.is_dir():
        raise SourceMissing(f"the corpus folder {folder} does not exist or is not a folder: start the app with "
                            "`rag ui --source DIR` to add articles")
    return folder.resolve()


def _same_bytes(a: Path, b: Path) -> bool:
    import filecmp

    try:
        return filecmp.cmp(a, b, shallow=False)
    except OSError:
        return False


class _Placement:
    """Moves staged files into the folder (called with the ingest lock held) and can undo it."""

    def __init__(self, folder: Path, ready: list[tuple[Outcome, Path]], replace: bool, backups: Path) -> None:
        self.folder, self.ready, self.replace, self.backups = folder, ready, replace, backups
        self.placed: list[tuple[Path, Path | None]] = []  # (file written, backup of what it replaced)

    def __call__(self) -> None:
        mine: set[str] = set()  # names this upload already wrote: never replaced by another file of it
        for number, (outcome, staged) in enumerate(self.ready):
            name = outcome.source
            target = self.folder / name
            if target.exists() or target.is_symlink():
                if target.is_file() and _same_bytes(staged, target):
                    continue  # the article as the folder already has it: unchanged
                if self.replace and name not in mine and target.is_file() and not target.is_symlink():
                    backup = self.backups / str(number)
                    os.replace(target, backup)
                    os.replace(staged, target)
                    self.placed.append((target, backup))
                    mine.add(name)
                    continue
                taken = {p.name for p in self.folder.iterdir()}
                new = free_name(name, taken)
                outcome.reason = (f"saved as {new}: {name} is already another article (to update it instead, "
                                  "upload with 'Replace articles of the same name')")
                outcome.source, name, target = new, new, self.folder / new
            os.replace(staged, target)
            self.placed.append((target, None))
            mine.add(name)

    def undo(self) -> None:
        for target, backup in reversed(self.placed):
            target.unlink(missing_ok=True)
            if backup is not None:
                os.replace(backup, target)
        self.placed = []


def summary(report, outcomes: list[Outcome]) -> dict:
    """The `rag ingest --json` object of the run plus the per-file outcomes under "files"; files the upload
    refused before the ingest join its "skipped" list (as {"path": name as uploaded, "reason"})."""
    data = report.to_json()
    listed = {s["path"] for s in data["skipped"]}
    data["skipped"] += [{"path": o.name, "reason": o.reason} for o in outcomes
                        if o.status == "skipped" and o.name not in listed]
    return {**data, "files": [o.to_json() for o in outcomes]}


def add_files(settings, embedder, files: list[tuple[str, Path]], replace: bool = False, on_wait=None,
              bars: bool = False) -> dict:
    """Save ``files`` ((name as uploaded, path of its bytes)) into the corpus folder and ingest; the summary.

    Raises RagError (BadArgument for an upload over its limits, IndexBusy after waiting
    ``settings.upload_lock_wait_s`` for another ingest, SourceMissing, ...) with nothing left in the folder.
    Example: ``add_files(settings, embedder, [("note.txt", Path("/tmp/x"))])["files"][0]["status"]`` -> 'added'.
    """
    folder = corpus_folder(settings)
    check_upload(files, settings)
    stage = Path(tempfile.mkdtemp(prefix=".rag-upload-", dir=folder))  # hidden: no ingest reads it
    try:
        staged = stage_files(files, stage, settings)
        outcomes = [o for o, _ in staged]
        ready = [(o, p) for o, p in staged if p is not None]
        backups = stage / "replaced"
        backups.mkdir()
        placement = _Placement(folder, ready, replace, backups)
        from ingest.pipeline import run_ingest

        try:
            report = run_ingest(settings.with_(source_dir=folder), embedder, progress=bars, wait_s=
                                settings.upload_lock_wait_s, on_wait=on_wait, before=placement if ready else None)
        except BaseException:
            placement.undo()
            raise
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    _settle(outcomes, report, folder, IndexStore(settings).load_manifest(required=False).documents)
    return summary(report, outcomes)


def _settle(outcomes: list[Outcome], report, folder: Path, documents: dict) -> None:
    """Each saved file's status as the ingest saw it; a file the ingest skipped leaves the folder; an added file
    whose text another article already has says so (kept: the user may want both names, but not unknowingly)."""
    skipped = {s["path"]: s["reason"] for s in report.skipped}
    renamed_to = {r["to"] for r in report.renamed}
    by_sha: dict[str, list[str]] = {}
    for source, entry in sorted(documents.items()):
        by_sha.setdefault(entry.sha, []).append(source)
    for o in outcomes:
        if o.status == "skipped" or not o.source:
            continue
        if o.source in skipped:
            (folder / o.source).unlink(missing_ok=True)
            o.status, o.reason, o.source = "skipped", skipped[o.source], ""
        elif o.source in report.added or o.source in renamed_to:
            o.status = "added"
            entry = documents.get(o.source)
            twins = [s for s in by_sha.get(entry.sha, []) if s != o.source] if entry else []
            if twins and not o.reason:
                o.reason = f"the same text as {twins[0]}, already indexed"
        elif o.source in report.updated:
            o.status = "updated"
        else:
            o.status = "unchanged"


def remove_source(settings, embedder, source: str, on_wait=None) -> dict:
    """Delete one indexed article from the corpus folder and ingest (its chunks leave the index); the summary.

    Only a source of the index, by its name (never a path joined blindly). Example:
    ``remove_source(settings, embedder, "note.txt")["removed"]`` -> ['note.txt'].
    """
    folder = corpus_folder(settings)
    documents = IndexStore(settings).load_manifest().documents
    name = source if isinstance(source, str) else ""
    if name not in documents:
        raise NotInCorpus(f"{name[:200]!r} is not an article of the index; nothing was removed")
    parts = PurePosixPath(name).parts
    target = folder.joinpath(*parts)
    if PurePosixPath(name).is_absolute() or ".." in parts or not target.parent.resolve().is_relative_to(folder):
        raise NotInCorpus(f"{name[:200]!r} is not a file of the corpus folder; nothing was removed")
    from ingest.pipeline import run_ingest

    report = run_ingest(settings.with_(source_dir=folder), embedder, wait_s=settings.upload_lock_wait_s,
                        on_wait=on_wait, before=lambda: target.unlink(missing_ok=True))
    status = "removed" if name in report.removed else "unchanged"
    return summary(report, [Outcome(name, status, reason="" if status == "removed" else "still in the folder")])
