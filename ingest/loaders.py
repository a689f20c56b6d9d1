"""path -> decoded text, its format and encoding; raises SkipFile(reason) for files that must not be indexed.

Offsets index the returned text: for .txt/.md that is the file decoded as is (CRLF kept), for HTML and
PDF the extracted text, which the sidecar keeps and `rag show` prints.
"""
from __future__ import annotations

import codecs
import re
import stat
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
    data = read_limited(path, max_bytes)
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


def read_limited(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``; SkipFile with the reason otherwise.

    Never opens a pipe, socket or device (reading a FIFO would block the run forever).
    Example: ``read_limited(Path("big.txt"), 10)`` raises SkipFile("too large: ...").
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        raise SkipFile("unreadable: broken link" if path.is_symlink() else "unreadable: file vanished") from None
    except PermissionError:
        raise SkipFile("unreadable: permission denied") from None
    except OSError as exc:
        raise SkipFile(f"unreadable: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise SkipFile("not a regular file (a pipe, socket or device)")
    too_large = f"too large: {{:,}} bytes (limit {max_bytes:,}; set RAG_MAX_FILE_BYTES)"
    if info.st_size > max_bytes:
        raise SkipFile(too_large.format(info.st_size))
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)  # the file may grow between stat and read
    except PermissionError:
        raise SkipFile("unreadable: permission denied") from None
    except OSError as exc:
        raise SkipFile(f"unreadable: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise SkipFile(too_large.format(len(data)))
    return data


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 8 KiB. Example: ``looks_binary(b"\\x00\\x01")`` -> True."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > len(head) * 0.05


# UTF-32 first: its little-endian mark begins with UTF-16's.
_UNICODE_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                 (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode(data: bytes) -> tuple[str, str]:
    """UTF-8 first, then a detected encoding (charset-normalizer); SkipFile for binary or undecodable data.

    Example: ``decode("Café crème".encode("latin-1"))`` -> ('Café crème', 'cp1252').
    """
    for bom, codec in _UNICODE_BOMS:  # UTF-16/32 text is full of NUL bytes: recognise it before the binary check
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                raise SkipFile(f"undecodable text: starts like {codec} but is not") from None
            if looks_binary(text.encode("utf-8")):
                raise SkipFile("binary file, not text")
            return text, codec
    if looks_binary(data):
        raise SkipFile("binary file, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    results = from_bytes(data)
    best = results.best()
    if best is None or best.encoding is None:
        raise SkipFile("undecodable text: not UTF-8 and no encoding could be detected")
    # On short Western texts the detector often ranks a Central/Baltic code page first ("ministčre" for
    # "ministère"); Windows-1252 (a superset of Latin-1's letters) is by far the likelier, so it wins when
    # the detector finds it about as clean as its first choice.
    western = next((match for match in results if match.encoding == "cp1252"), None)
    if western is not None and western.chaos <= best.chaos + 0.1:
        best = western
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
