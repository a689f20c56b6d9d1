"""Loaders: each format's text, each bad file's one-line reason; plus the folder scan. Real files in tmp_path."""
from __future__ import annotations

import codecs
import os
import random
from pathlib import Path

import pytest

from ingest.loaders import SkipFile, decode, html_visible_text, load, looks_binary, read_limited
from ingest.pipeline import scan

LIMIT = 1_000_000


def make_pdf(pages: list[list[str]]) -> bytes:
    """A small real PDF (Helvetica text, one line per string, one list per page) written by hand, so no PDF
    writer is needed. Example: ``make_pdf([["Hello."]])[:8]`` -> b'%PDF-1.4'."""
    def esc(line: str) -> str:
        return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(len(pages)))
    objects = ["<< /Type /Catalog /Pages 2 0 R >>",
               f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>",
               "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    for i, lines in enumerate(pages):
        stream = "BT /F1 11 Tf 14 TL 72 720 Td " + " ".join(f"({esc(line)}) Tj T*" for line in lines) + " ET"
        objects.append("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
                       f"/Contents {5 + 2 * i} 0 R >>")
        objects.append(f"<< /Length {len(stream.encode('latin-1'))} >>\nstream\n{stream}\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def _noise(seed: int, n: int) -> bytes:
    """High bytes at random: no NUL or control bytes (so not "binary"), and no encoding makes text of them."""
    rng = random.Random(seed)
    return bytes(rng.randint(0x80, 0xFF) for _ in range(n))


def _reason(path: Path, limit: int = LIMIT) -> str:
    with pytest.raises(SkipFile) as info:
        load(path, limit)
    reason = str(info.value)
    assert reason and "\n" not in reason
    return reason


# ---- pure helpers


def test_looks_binary():
    assert looks_binary(b"\x00\x01")
    assert looks_binary(bytes(range(32)) * 10)
    assert not looks_binary("Plain text, é, 中文.\r\n\tTabbed.".encode("utf-8"))


def test_decode_utf8_keeps_text_exact_including_bom_and_crlf():
    assert decode("\ufeffA\r\nB é".encode("utf-8")) == ("\ufeffA\r\nB é", "utf-8")


def test_decode_latin1_is_detected_and_named():
    text = "Le ministère a annoncé des mesures sévères à Zürich; Señor Muñoz était déjà là."
    assert decode(text.encode("latin-1")) == (text, "cp1252")
    assert decode("Café crème".encode("latin-1")) == ("Café crème", "cp1252")


def test_decode_another_code_page():
    text = "Привет, как дела? Это тестовый текст на русском языке."
    assert decode(text.encode("cp1251")) == (text, "cp1251")


def test_decode_utf16_with_bom():
    assert decode("Hello wörld. 中文".encode("utf-16")) == ("Hello wörld. 中文", "utf-16")


def test_decode_rejects_binary_and_undecodable():
    with pytest.raises(SkipFile, match="binary"):
        decode(b"PK\x03\x04\x00\x00binary zip")
    noise = _noise(1, 2000)
    with pytest.raises(SkipFile, match="undecodable"):
        decode(noise)


def test_html_visible_text_drops_script_style_comments_and_keeps_blocks():
    html = ("<html><head><title>Page Title</title><style>p{color:red}</style><script>var x=1;</script></head>"
            "<body><h1>Headline</h1><!-- hidden --><p>First   <b>bold</b> para.</p><noscript>nojs</noscript>"
            "<ul><li>One</li><li>Two</li></ul><script>alert('x')</script></body></html>")
    assert html_visible_text(html) == "Page Title\nHeadline\nFirst bold para.\nOne\nTwo"


# ---- load(): formats


def test_load_text_and_markdown_as_is(tmp_path):
    txt = _write(tmp_path, "a.txt", "\r\n\ufeffTitle\r\nBody.\r\n")
    got = load(txt, LIMIT)
    assert (got.text, got.format, got.encoding) == ("\r\n\ufeffTitle\r\nBody.\r\n", "text", "utf-8")
    md = _write(tmp_path, "b.md", "# Head\n\nSome *markdown*.")
    assert load(md, LIMIT).format == "markdown" and load(md, LIMIT).text == "# Head\n\nSome *markdown*."


@pytest.mark.parametrize("suffix", [".html", ".htm", ".HTML"])
def test_load_html_visible_text(tmp_path, suffix):
    path = _write(tmp_path, "page" + suffix, "<p>Gallium output fell.</p><script>evil()</script><style>x{}</style>")
    got = load(path, LIMIT)
    assert (got.text, got.format) == ("Gallium output fell.", "html")


def test_load_html_in_latin1(tmp_path):
    path = _write(tmp_path, "p.html", "<p>Le ministère a annoncé des mesures sévères à Zürich.</p>".encode("latin-1"))
    got = load(path, LIMIT)
    assert got.text == "Le ministère a annoncé des mesures sévères à Zürich." and got.encoding == "cp1252"


def test_load_pdf_text_pages(tmp_path):
    path = _write(tmp_path, "r.pdf", make_pdf([["Quarterly Minerals Report", "Gallium output fell (33%)."],
                                              ["Page two."]]))
    got = load(path, LIMIT)
    assert got.text == "Quarterly Minerals Report\nGallium output fell (33%).\n\nPage two."
    assert (got.format, got.encoding) == ("pdf", "pdf")


# ---- load(): bad files, each with a one-line reason


def test_empty_and_blank_files(tmp_path):
    assert _reason(_write(tmp_path, "e.txt", b"")) == "empty file"
    assert _reason(_write(tmp_path, "w.txt", b" \r\n\t\n")) == "empty file"


def test_binary_file(tmp_path):
    assert "binary" in _reason(_write(tmp_path, "b.txt", bytes(range(256)) * 8))


def test_undecodable_file(tmp_path):
    noise = _noise(2, 3000)
    assert "undecodable" in _reason(_write(tmp_path, "u.txt", noise))


def test_too_large_file_names_the_setting(tmp_path):
    reason = _reason(_write(tmp_path, "big.txt", "word " * 100), limit=100)
    assert reason == "too large: 500 bytes (limit 100; set RAG_MAX_FILE_BYTES)"


def test_unsupported_format(tmp_path):
    assert _reason(_write(tmp_path, "x.docx", b"PK")).startswith("unsupported format .docx")
    assert "(no extension)" in _reason(_write(tmp_path, "README", b"text"))


def test_damaged_and_textless_pdfs(tmp_path):
    assert "unreadable PDF" in _reason(_write(tmp_path, "bad.pdf", b"%PDF-1.4\nnot really a pdf\n"))
    assert "no extractable text" in _reason(_write(tmp_path, "blank.pdf", make_pdf([[]])))


def test_html_without_visible_text(tmp_path):
    assert "no visible text" in _reason(_write(tmp_path, "s.html", "<script>only()</script><style>a{}</style>"))


def test_fifo_is_skipped_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")  # opening it for reading would wait forever for a writer
    assert _reason(tmp_path / "pipe.txt") == "not a regular file (a pipe, socket or device)"


def test_broken_link(tmp_path):
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    assert _reason(tmp_path / "gone.txt") == "unreadable: broken link"


def test_link_to_a_file_is_read(tmp_path):
    target = _write(tmp_path, "target.txt", "Linked text.")
    (tmp_path / "link.txt").symlink_to(target)
    assert load(tmp_path / "link.txt", LIMIT).text == "Linked text."


def test_read_limited_stops_at_the_limit(tmp_path):
    assert read_limited(_write(tmp_path, "a.txt", b"12345"), 5) == b"12345"
    with pytest.raises(SkipFile, match="too large"):
        read_limited(_write(tmp_path, "b.txt", b"123456"), 5)


# ---- scan()


def test_scan_lists_non_folders_sorted_skips_hidden_and_the_index(tmp_path):
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    (src / ".git").mkdir()
    (src / "index" / "sidecar").mkdir(parents=True)
    (src / "dir.txt").mkdir()  # a folder named like a file is walked into, not read
    for name in ("b.txt", "a.md", "sub/c.html", ".hidden.txt", ".git/x.txt", "index/sidecar/t.txt", "dir.txt/d.txt"):
        _write(src, name, "x")
    (src / "link.txt").symlink_to(src / "nowhere")
    (src / "linked_dir").symlink_to(src / "sub")  # folder links are not followed
    got = [p.relative_to(src).as_posix() for p in scan(src, exclude=src / "index")]
    assert got == ["a.md", "b.txt", "dir.txt/d.txt", "link.txt", "sub/c.html"]


def test_bom_constants_cover_utf32_before_utf16():
    # The UTF-32 little-endian mark begins with UTF-16's: decoding must try UTF-32 first.
    assert codecs.BOM_UTF32_LE.startswith(codecs.BOM_UTF16_LE)
    assert decode("Hi there.".encode("utf-32")) == ("Hi there.", "utf-32")
