"""Uploaded files judged before they touch the corpus folder: each reduced to a safe base name, copied into a
staging folder (a .zip unpacked member by member, within caps), and judged by the loader as `rag ingest` would
(content, not only the extension). Pure but for the staging folder it writes into; see ingest/uploads.py for
the rule on names and what happens next."""
from __future__ import annotations

import re
import shutil
import tempfile
import unicodedata
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath

from ingest.loaders import SkipFile, load
from rag.errors import BadArgument

MAX_NAME_CHARS = 120
ARCHIVES = {".zip"}
_PIECE = 1 << 16  # bytes read at a time from a zip member, so a lying header cannot make us read past a cap


@dataclass
class Outcome:
    """What happened to one uploaded file (or zip member)."""

    name: str  # as the user named it; a zip member as "archive.zip/inner/path.txt"
    status: str  # "added", "updated", "unchanged", "skipped" ("removed" for remove_source)
    source: str = ""  # the corpus file name it is saved as
    reason: str = ""  # why it was skipped, or a note (saved under another name)

    def to_json(self) -> dict:
        return asdict(self)


def safe_name(name: str) -> str:
    """The base name an uploaded file may take in the corpus folder; SkipFile with the reason when there is none.

    Example: ``safe_name("../../etc/notes.txt")`` -> 'notes.txt'; ``safe_name("C:\\\\Users\\\\a\\\\b.md")`` -> 'b.md'.
    """
    base = re.split(r"[\\/]", str(name or ""))[-1]
    base = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in base)
    base = re.sub(r'[<>:"|?*]', "_", base)
    base = re.sub(r"\s+", " ", base).strip().rstrip(". ")  # Windows drops trailing dots and spaces
    if not base:
        raise SkipFile("no usable file name")
    if base.startswith("."):
        raise SkipFile("hidden file name (starts with a dot); rename it to add it")
    if len(base) > MAX_NAME_CHARS:
        suffix = PurePosixPath(base).suffix[:16]
        base = base[:MAX_NAME_CHARS - len(suffix)].rstrip(" .") + suffix
    return base


def free_name(name: str, taken) -> str:
    """``name`` or the first of ``name (2)``, ``name (3)``... not in ``taken`` (a container of names).

    Example: ``free_name("a.txt", {"a.txt", "a (2).txt"})`` -> 'a (3).txt'.
    """
    if name not in taken:
        return name
    path = PurePosixPath(name)
    number = 2
    while f"{path.stem} ({number}){path.suffix}" in taken:
        number += 1
    return f"{path.stem} ({number}){path.suffix}"


def check_upload(files: list[tuple[str, Path]], settings) -> None:
    """Refuse an upload over the per-upload limits (BadArgument naming the limit and its setting).

    Example: 3 files of 40 MB with RAG_UPLOAD_MAX_BYTES=100000000 -> BadArgument('this upload is 120,000,000 ...').
    """
    if not files:
        raise BadArgument("no files were given: choose or drop .txt, .md, .html, .pdf or .zip files")
    if len(files) > settings.upload_max_files:
        raise BadArgument(f"this upload has {len(files):,} files; the limit is {settings.upload_max_files:,} "
                          "per upload (RAG_UPLOAD_MAX_FILES): add them in smaller groups")
    total = 0
    for _, path in files:
        try:
            total += Path(path).stat().st_size
        except OSError:
            pass  # judged (and skipped with its reason) file by file
    if total > settings.upload_max_bytes:
        raise BadArgument(f"this upload is {total:,} bytes; the limit is {settings.upload_max_bytes:,} bytes per "
                          "upload (RAG_UPLOAD_MAX_BYTES): add the files in smaller groups")


class _Budget:
    """What is left of one upload's caps on unpacked bytes and on files."""

    def __init__(self, settings, files: int) -> None:
        self.bytes = settings.upload_max_unpacked_bytes
        self.files = settings.upload_max_files - files
        self.settings = settings


def _too_large(size_text: str, limit: int) -> str:
    return f"too large: {size_text} bytes (limit {limit:,}; set RAG_MAX_FILE_BYTES)"


def _stage_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, label: str, stage: Path, budget: _Budget,
                  limit: int) -> tuple[Outcome, Path | None]:
    """Unpack one zip member into its own staging folder, reading at most the caps allow."""
    name = f"{label}/{info.filename}"
    parts = [p for p in re.split(r"[\\/]", info.filename) if p]
    if parts and parts[0] == "__MACOSX":
        return Outcome(name, "skipped", reason="macOS archive metadata, not an article"), None
    try:
        safe = safe_name(info.filename)
    except SkipFile as skip:
        return Outcome(name, "skipped", reason=str(skip)), None
    if PurePosixPath(safe).suffix.lower() in ARCHIVES:
        return Outcome(name, "skipped", reason="a .zip inside a .zip is not unpacked"), None
    if (info.external_attr >> 16) & 0o170000 == 0o120000:
        return Outcome(name, "skipped", reason="a link inside the archive, not a file"), None
    if info.flag_bits & 0x1:
        return Outcome(name, "skipped", reason="encrypted inside the archive"), None
    if info.file_size > limit:
        return Outcome(name, "skipped", reason=_too_large(f"{info.file_size:,}", limit)), None
    folder = Path(tempfile.mkdtemp(dir=stage))
    target = folder / safe
    written = 0
    try:
        with zf.open(info) as src, open(target, "wb") as out:
            while piece := src.read(_PIECE):
                written += len(piece)
                if written > limit:
                    return Outcome(name, "skipped", reason=_too_large(f"over {limit:,}", limit)), None
                if written > budget.bytes:
                    raise _ZipTooBig
                out.write(piece)
    except _ZipTooBig:
        raise
    except Exception as exc:  # a damaged member: CRC, zlib, unknown compression, truncated archive
        return Outcome(name, "skipped", reason=f"unreadable inside the archive ({exc.__class__.__name__})"), None
    budget.bytes -= written
    return Outcome(name, "added", source=safe), target


class _ZipTooBig(Exception):
    """The archive unpacks past what is left of the upload's cap."""


def _stage_zip(path: Path, label: str, stage: Path, budget: _Budget, limit: int) -> list[tuple[Outcome, Path | None]]:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return [(Outcome(label, "skipped", reason="not a readable .zip archive"), None)]
    cap = budget.settings.upload_max_unpacked_bytes
    with zf:
        members = [info for info in zf.infolist() if not info.is_dir()]
        if len(members) > budget.files:
            return [(Outcome(label, "skipped", reason=f"holds {len(members):,} files; one upload takes at most "
                                                     f"{budget.settings.upload_max_files:,} "
                                                     "(RAG_UPLOAD_MAX_FILES)"), None)]
        bomb = Outcome(label, "skipped", reason=f"unpacks to more than {cap:,} bytes, the limit for one upload "
                                                "(RAG_UPLOAD_MAX_UNPACKED_BYTES)")
        if sum(info.file_size for info in members) > budget.bytes:  # declared sizes: refused without reading
            return [(bomb, None)]
        budget.files -= len(members)
        staged = []
        try:
            for info in members:
                staged.append(_stage_member(zf, info, label, stage, budget, limit))
        except _ZipTooBig:  # the headers lied: nothing of this archive is kept
            return [(bomb, None)]
    if not staged:
        return [(Outcome(label, "skipped", reason="empty .zip archive"), None)]
    return staged


def _judge(outcome: Outcome, staged: Path, limit: int) -> tuple[Outcome, Path | None]:
    """The loader's own verdict on the staged bytes under their safe name (content, not only the extension)."""
    try:
        load(staged, limit)
    except SkipFile as skip:
        outcome.status, outcome.reason, outcome.source = "skipped", str(skip), ""
        return outcome, None
    return outcome, staged


def stage_files(files: list[tuple[str, Path]], stage: Path, settings) -> list[tuple[Outcome, Path | None]]:
    """Copy every upload (and every member of a .zip) into ``stage`` under its safe name and judge it; an
    outcome with a path is ready to be placed, one without is skipped with its reason.

    Example: ``stage_files([("../a.txt", p)], stage, settings)`` -> [(Outcome("../a.txt", "added", "a.txt"), path)].
    """
    limit = settings.max_file_bytes
    budget = _Budget(settings, len(files))
    out: list[tuple[Outcome, Path | None]] = []
    for name, path in files:
        label = str(name or Path(path).name)
        path = Path(path)
        try:
            safe = safe_name(label)
        except SkipFile as skip:
            out.append((Outcome(label, "skipped", reason=str(skip)), None))
            continue
        if PurePosixPath(safe).suffix.lower() in ARCHIVES:  # then judged by content: it must open as a zip
            out.extend(_judge(o, p, limit) if p else (o, None)
                       for o, p in _stage_zip(path, safe, stage, budget, limit))
            continue
        folder = Path(tempfile.mkdtemp(dir=stage))
        try:
            shutil.copyfile(path, folder / safe)
        except OSError as exc:
            out.append((Outcome(label, "skipped", reason=f"unreadable: {(exc.strerror or str(exc)).lower()}"), None))
            continue
        out.append(_judge(Outcome(label, "added", source=safe), folder / safe, limit))
    return out
