"""path -> decoded text, its format and encoding; raises SkipFile(reason) for files that must not be indexed.

Offsets index the returned text: for .txt/.md that is the file decoded as is (CRLF kept), for HTML and
PDF the extracted text, which the sidecar keeps and `rag show` prints.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm"}
PDF_SUFFIXES = {".pdf"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES


class SkipFile(Exception):
    """This file is not indexed; the message is the one-line reason shown to the user."""


@dataclass(frozen=True)
class LoadedText:
    """A document's text as indexed."""

    text: str
    format: str  # "text", "markdown", "html", "pdf"
    encoding: str  # "utf-8", the detected encoding, or "pdf"


def load(path: Path, max_bytes: int) -> LoadedText:
    """Read and decode one file. Example: ``load(Path("seeds/000_...txt"), 10**7).encoding`` -> 'utf-8'."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise SkipFile(f"unsupported format {suffix or '(no extension)'}; supported: "
                       + ", ".join(sorted(SUPPORTED)))
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SkipFile(f"too large: {size:,} bytes (limit {max_bytes:,}; set RAG_MAX_FILE_BYTES)")
        data = path.read_bytes()
    except PermissionError:
        raise SkipFile("unreadable: permission denied") from None
    except OSError as exc:
        raise SkipFile(f"unreadable: {exc.strerror or exc}") from None
    if not data.strip():
        raise SkipFile("empty file")
    if suffix in PDF_SUFFIXES:
        return LoadedText(_pdf_text(data), "pdf", "pdf")
    text, encoding = decode(data)
    if suffix in HTML_SUFFIXES:
        text = html_visible_text(text)
        if not text.strip():
            raise SkipFile("no visible text in the HTML")
        return LoadedText(text, "html", encoding)
    return LoadedText(text, "markdown" if suffix in {".md", ".markdown"} else "text", encoding)


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 8 KiB. Example: ``looks_binary(b"\\x00\\x01")`` -> True."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > len(head) * 0.05


def decode(data: bytes) -> tuple[str, str]:
    """UTF-8 first, then a detected encoding (charset-normalizer). Example: ``decode("é".encode("latin-1"))[1]``."""
    if looks_binary(data):
        raise SkipFile("binary file, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise SkipFile("undecodable text: not UTF-8 and no encoding could be detected")
    return str(best), best.encoding


_BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article",
               "header", "footer", "blockquote", "pre", "title", "table", "ul", "ol", "main"}


def html_visible_text(html: str) -> str:
    """Visible text of an HTML page, one block per line (script, style and comments dropped).

    Example: ``html_visible_text("<p>a</p><script>x</script><p>b</p>")`` -> 'a\\nb'.
    """
    from bs4 import BeautifulSoup, Comment

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "template", "iframe", "svg", "head"]):
        if tag.name == "head":
            title = tag.find("title")
            tag.replace_with(title) if title else tag.decompose()
        else:
            tag.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    text = soup.get_text()
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def _pdf_text(data: bytes) -> str:
    import io
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as exc:
        raise SkipFile(f"unreadable PDF ({exc.__class__.__name__})") from None
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text.strip():
        raise SkipFile("PDF has no extractable text (scanned image?)")
    return text
