"""ingest/staging.py and ingest/uploads.py on tiny inputs: safe names, the collision rule, limits, content judgement and zip members.
No model: staging and placing are checked on their own; the ingest itself is tested in integration."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from ingest.loaders import SkipFile
from ingest.staging import Outcome, check_upload, free_name, safe_name, stage_files
from ingest.uploads import _Placement, corpus_folder
from rag.errors import BadArgument, SourceMissing
from rag.settings import Settings

ARTICLE = "Harbour board minutes\n2024-05-02\n\nThe harbour board approved a new ferry timetable for the islands.\n"
RECIPE = "Sourdough notes\n\nThe starter doubled in six hours at 24 degrees before the dough was mixed.\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"


@pytest.mark.parametrize("given, expected", [
    ("notes.txt", "notes.txt"),
    ("../x.txt", "x.txt"),
    ("../../../../etc/cron.d/job.md", "job.md"),
    ("/etc/passwd.txt", "passwd.txt"),
    ("C:\\Users\\ana\\Desktop\\report.html", "report.html"),
    ("bad\x00na\x1bme.txt", "bad na me.txt"),
    ('what?*<>|:".md', "what_______.md"),
    ("  spaced   out  .pdf", "spaced out .pdf"),
    ("trailing.txt. . ", "trailing.txt"),
    ("Überblick – 東京.txt", "Überblick – 東京.txt"),
])
def test_safe_name_keeps_only_a_base_name(given, expected):
    assert safe_name(given) == expected


@pytest.mark.parametrize("given", ["", "..", "../", "/", ".", " . ", "a/b/"])
def test_safe_name_refuses_names_that_leave_nothing(given):
    with pytest.raises(SkipFile, match="no usable file name"):
        safe_name(given)


@pytest.mark.parametrize("given", [".env", "../.bashrc", "folder/.hidden.txt", ".DS_Store"])
def test_safe_name_refuses_hidden_names(given):
    with pytest.raises(SkipFile, match="hidden file name"):
        safe_name(given)


def test_safe_name_cuts_long_names_and_keeps_the_extension():
    name = safe_name("x" * 500 + ".markdown")
    assert len(name) <= 120 and name.endswith(".markdown")


def test_free_name_counts_up():
    assert free_name("a.txt", set()) == "a.txt"
    assert free_name("a.txt", {"a.txt"}) == "a (2).txt"
    assert free_name("report.v2.md", {"report.v2.md", "report.v2 (2).md"}) == "report.v2 (3).md"
    assert free_name("README", {"README"}) == "README (2)"


def _settings(tmp_path, **changes) -> Settings:
    return Settings(source_dir=tmp_path / "corpus", db_dir=tmp_path / "db", **changes)


def _file(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / "in" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_upload_limits_name_the_limit_and_its_setting(tmp_path):
    files = [("a.txt", _file(tmp_path, "a.txt", "x" * 600)), ("b.txt", _file(tmp_path, "b.txt", "y" * 600))]
    with pytest.raises(BadArgument, match=r"1,200 bytes; the limit is 1,000 bytes per upload \(RAG_UPLOAD_MAX_BYTES\)"):
        check_upload(files, _settings(tmp_path, upload_max_bytes=1000))
    with pytest.raises(BadArgument, match=r"2 files; the limit is 1 per upload \(RAG_UPLOAD_MAX_FILES\)"):
        check_upload(files, _settings(tmp_path, upload_max_files=1))
    with pytest.raises(BadArgument, match="no files were given"):
        check_upload([], _settings(tmp_path))
    check_upload(files, _settings(tmp_path))  # within the limits


def _stage(tmp_path, files, **changes):
    stage = tmp_path / "stage"
    stage.mkdir(exist_ok=True)
    return stage_files(files, stage, _settings(tmp_path, **changes))


def test_types_are_judged_by_content_with_the_cli_reasons(tmp_path):
    files = [("harbour.txt", _file(tmp_path, "harbour.txt", ARTICLE)),
             ("photo.txt", _file(tmp_path, "photo.txt", PNG)),  # an image wearing a .txt name
             ("empty.md", _file(tmp_path, "empty.md", "  \n")),
             ("fake.pdf", _file(tmp_path, "fake.pdf", RECIPE)),  # text wearing a .pdf name
             ("sheet.xlsx", _file(tmp_path, "sheet.xlsx", RECIPE)),
             ("big.md", _file(tmp_path, "big.md", RECIPE * 40))]
    staged = _stage(tmp_path, files, max_file_bytes=2000)
    verdicts = {o.name: (o.status, o.reason) for o, _ in staged}
    assert verdicts["harbour.txt"] == ("added", "")
    assert verdicts["photo.txt"] == ("skipped", "binary file, not text")
    assert verdicts["empty.md"] == ("skipped", "empty file")
    assert verdicts["fake.pdf"][1].startswith("unreadable PDF")
    assert verdicts["sheet.xlsx"][1].startswith("unsupported format .xlsx")
    assert verdicts["big.md"][1] == f"too large: {len(RECIPE * 40):,} bytes (limit 2,000; set RAG_MAX_FILE_BYTES)"
    ready = [p for o, p in staged if p is not None]
    assert [p.name for p in ready] == ["harbour.txt"] and ready[0].read_text() == ARTICLE


def _zip(tmp_path: Path, name: str, members: dict[str, bytes | str], lie: int | None = None) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for member, data in members.items():
            zf.writestr(member, data.encode("utf-8") if isinstance(data, str) else data)
    data = buffer.getvalue()
    return _file(tmp_path, name, data)


def test_zip_members_are_flattened_to_safe_names_and_judged(tmp_path):
    archive = _zip(tmp_path, "bundle.zip", {"../../escape.txt": ARTICLE, "/abs/recipe.md": RECIPE,
                                           "inner/deep/ok.md": RECIPE + "more", "__MACOSX/._ok.md": "x",
                                           "inner/.hidden.txt": ARTICLE, "pic.txt": PNG, "nested.zip": b"PK"})
    staged = _stage(tmp_path, [("bundle.zip", archive)])
    verdicts = {o.name: (o.status, o.source, o.reason) for o, _ in staged}
    assert verdicts["bundle.zip/../../escape.txt"] == ("added", "escape.txt", "")
    assert verdicts["bundle.zip//abs/recipe.md"] == ("added", "recipe.md", "")
    assert verdicts["bundle.zip/inner/deep/ok.md"] == ("added", "ok.md", "")
    assert verdicts["bundle.zip/__MACOSX/._ok.md"][0] == "skipped"
    assert verdicts["bundle.zip/inner/.hidden.txt"][2].startswith("hidden file name")
    assert verdicts["bundle.zip/pic.txt"][2] == "binary file, not text"
    assert verdicts["bundle.zip/nested.zip"][2] == "a .zip inside a .zip is not unpacked"
    stage = (tmp_path / "stage").resolve()
    for _, path in staged:
        assert path is None or path.resolve().is_relative_to(stage)  # nothing was written outside the stage
    assert not (tmp_path / "escape.txt").exists() and not Path("/abs").exists()


def _text_pdf(text: str) -> bytes:
    """A one-page PDF whose page shows ``text`` (Helvetica), written by hand so no PDF library is needed."""
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    start = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, start))
    return out.getvalue()


def _blank_pdf() -> bytes:
    from pypdf import PdfWriter

    writer, out = PdfWriter(), io.BytesIO()
    writer.add_blank_page(200, 200)  # what a scan without a text layer gives the loader: no text
    writer.write(out)
    return out.getvalue()


def test_pdf_and_html_uploads_are_read_like_rag_ingest_reads_them(tmp_path):
    page = "<html><head><title>Tide notes</title><script>x()</script></head><body><p>The bay floods twice.</p></body></html>"
    archive = _zip(tmp_path, "docs.zip", {"tides.pdf": _text_pdf("The tide table was printed for the whole bay."),
                                         "scan.pdf": _blank_pdf(), "notes/tides.html": page})
    staged = _stage(tmp_path, [("tides.pdf", _file(tmp_path, "tides.pdf", _text_pdf("Ferry fares rose in May."))),
                               ("docs.zip", archive)])
    verdicts = {o.name: (o.status, o.source, o.reason) for o, _ in staged}
    assert verdicts["tides.pdf"] == ("added", "tides.pdf", "")
    assert verdicts["docs.zip/tides.pdf"] == ("added", "tides.pdf", "")  # same name: placing renames it
    assert verdicts["docs.zip/scan.pdf"] == ("skipped", "", "PDF has no extractable text (scanned image?)")
    assert verdicts["docs.zip/notes/tides.html"] == ("added", "tides.html", "")


def test_zip_bombs_and_broken_archives_are_refused_whole(tmp_path):
    bomb = _zip(tmp_path, "bomb.zip", {f"part{i}.txt": "A" * 50_000 for i in range(10)})
    assert bomb.stat().st_size < 5_000  # compresses 500 kB to a few hundred bytes
    staged = _stage(tmp_path, [("bomb.zip", bomb)], upload_max_unpacked_bytes=200_000)
    assert [(o.status, o.reason) for o, _ in staged] == [
        ("skipped", "unpacks to more than 200,000 bytes, the limit for one upload (RAG_UPLOAD_MAX_UNPACKED_BYTES)")]
    many = _zip(tmp_path, "many.zip", {f"n{i}.txt": RECIPE for i in range(6)})
    staged = _stage(tmp_path, [("many.zip", many)], upload_max_files=5)
    assert staged[0][0].reason == "holds 6 files; one upload takes at most 5 (RAG_UPLOAD_MAX_FILES)"
    fake = _file(tmp_path, "fake.zip", ARTICLE)
    assert _stage(tmp_path, [("fake.zip", fake)])[0][0].reason == "not a readable .zip archive"


def test_a_zip_whose_headers_lie_about_sizes_is_stopped_while_reading(tmp_path):
    archive = _zip(tmp_path, "liar.zip", {"a.txt": "B" * 300_000})
    raw = bytearray(archive.read_bytes())
    # Rewrite the declared uncompressed size (local header offset 22, central directory offset 24) to 100 bytes.
    raw[22:26] = (100).to_bytes(4, "little")
    central = raw.rfind(b"PK\x01\x02")
    raw[central + 24:central + 28] = (100).to_bytes(4, "little")
    archive.write_bytes(bytes(raw))
    staged = _stage(tmp_path, [("liar.zip", archive)], upload_max_unpacked_bytes=150_000)
    outcome = staged[0][0]
    assert outcome.status == "skipped" and staged[0][1] is None
    assert "unpacks to more than 150,000" in outcome.reason or outcome.reason.startswith("unreadable inside")


def test_placement_never_overwrites_silently_and_replace_makes_an_update(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "minutes.txt").write_text(ARTICLE)
    (corpus / "minutes (2).txt").write_text("something else")
    backups = tmp_path / "backups"
    backups.mkdir()

    def ready(name: str, text: str) -> tuple[Outcome, Path]:
        path = tmp_path / "staged" / str(len(list(tmp_path.glob("staged/*")))) / name
        path.parent.mkdir(parents=True)
        path.write_text(text)
        return Outcome(name, "added", source=name), path

    same, other = ready("minutes.txt", ARTICLE), ready("minutes.txt", RECIPE)
    placement = _Placement(corpus, [same, other], replace=False, backups=backups)
    placement()
    assert (corpus / "minutes.txt").read_text() == ARTICLE  # untouched
    assert same[0].source == "minutes.txt"
    assert other[0].source == "minutes (3).txt" and (corpus / "minutes (3).txt").read_text() == RECIPE
    assert other[0].reason.startswith("saved as minutes (3).txt: minutes.txt is already another article")

    edited = ready("minutes.txt", ARTICLE.replace("ferry", "bus"))
    again = ready("minutes.txt", "a third text")
    placement = _Placement(corpus, [edited, again], replace=True, backups=backups)
    placement()
    assert "bus timetable" in (corpus / "minutes.txt").read_text()
    assert again[0].source == "minutes (4).txt"  # one upload never replaces its own file
    placement.undo()
    assert (corpus / "minutes.txt").read_text() == ARTICLE and not (corpus / "minutes (4).txt").exists()


def test_corpus_folder_comes_from_the_option_or_the_index(tmp_path):
    (tmp_path / "corpus").mkdir()
    assert corpus_folder(_settings(tmp_path)) == (tmp_path / "corpus").resolve()
    with pytest.raises(SourceMissing, match="rag ui --source DIR"):
        corpus_folder(Settings(db_dir=tmp_path / "empty-db").with_(ui_port=1))
    with pytest.raises(SourceMissing, match="does not exist"):
        corpus_folder(Settings(source_dir=tmp_path / "nowhere", db_dir=tmp_path / "db"))
