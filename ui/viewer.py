"""The source viewer: the whole article with the cited span highlighted. It only ever shows files of the
ingested corpus: a request names a source, which is looked up in the manifest (never joined to a path), so
``../`` or an absolute path is just an unknown name."""
from __future__ import annotations

import uuid

from rag.errors import RagError
from ui.render import esc


def coerce_span(start, end, length: int) -> tuple[int, int] | None:
    """A valid ``[start, end)`` inside a text of ``length`` characters from untrusted values, else None.

    Example: ``coerce_span("3", 7, 10)`` -> (3, 7); ``coerce_span(-1, 4, 10)`` -> None.
    """
    try:
        start, end = int(start), int(end)
    except (TypeError, ValueError):
        return None
    if 0 <= start < end <= length:
        return start, end
    return None


def article_html(text: str, spans: list[tuple[int, int]], focus: tuple[int, int] | None) -> str:
    """Escaped ``text``, one <p> per line, with ``focus`` in a strong <mark class="rag-hit"> (the first piece
    carries id="rag-hit" to scroll to) and the other cited ``spans`` in light marks (spans overlapping the
    focus or each other are skipped). Every character of ``text`` is shown exactly once.

    Example: ``article_html("a<b>c", [], (1, 4))`` ->
    '<p class="rag-line">a<mark class="rag-hit" id="rag-hit">&lt;b&gt;</mark>c</p>'.
    """
    marks = [(focus[0], focus[1], True)] if focus else []
    for s, e in sorted(set(spans)):
        if 0 <= s < e <= len(text) and all(e <= a or s >= b for a, b, _ in marks):
            marks.append((s, e, False))
    marks.sort()
    out, first_hit, pos = [], True, 0
    lines = text.split("\n")
    for number, line in enumerate(lines):
        lo, hi = pos, pos + len(line)
        pieces, cursor = [], lo
        for s, e, strong in marks:
            s, e = max(s, lo), min(e, hi)
            if s >= e:
                continue
            pieces.append(esc(text[cursor:s]))
            attrs = 'class="rag-hit"' if strong else 'class="rag-also"'
            if strong and first_hit:
                attrs, first_hit = 'class="rag-hit" id="rag-hit"', False
            pieces.append(f"<mark {attrs}>{esc(text[s:e])}</mark>")
            cursor = e
        pieces.append(esc(text[cursor:hi]))
        body = "".join(pieces)
        out.append(f'<p class="rag-line">{body}</p>' if line.strip() else f'<p class="rag-line rag-blank">{body}</p>')
        pos = hi + 1
    return "".join(out)


def _frame(header: str, body: str) -> str:
    # A nonce makes every opening a new value, so re-opening the same passage after closing re-renders.
    return (f'<div class="rag-viewer open" data-nonce="{uuid.uuid4().hex[:12]}"><div class="rag-viewer-backdrop">'
            f'</div><div class="rag-viewer-box" role="dialog" aria-modal="true" aria-label="Article viewer">'
            f'<header class="rag-viewer-head">{header}<button type="button" class="rag-viewer-close" '
            f'aria-label="Close the article">✕</button></header><div class="rag-viewer-body">{body}</div></div></div>')


def viewer_html(assistant, source, start=None, end=None, spans=()) -> str:
    """The viewer for ``source`` of ``assistant``'s corpus (``start``/``end`` the focused citation), or a
    message when ``source`` is not a file of the corpus. Never raises for bad input.

    Example: ``viewer_html(assistant, "../../etc/passwd")`` -> a dialog saying the file is not in the corpus.
    """
    name = source if isinstance(source, str) else ""
    try:
        if not name:
            raise RagError("no file was named")
        text = assistant.document_text(name)
        entry = assistant.manifest.documents[name]
    except RagError as exc:
        shown = name[:200] or "(nothing)"
        header = '<div><div class="rag-viewer-title">Not available</div></div>'
        return _frame(header, f'<p class="rag-viewer-error" role="alert">The viewer only shows files of the '
                              f'indexed articles; <code>{esc(shown)}</code> is not one of them. ({esc(exc)})</p>')
    focus = coerce_span(start, end, len(text))
    others = [span for span in (coerce_span(s, e, len(text)) for s, e in spans) if span]
    facts = [f"<code>{esc(name)}</code>"] if entry.title else []
    if entry.date:
        facts.append(esc(entry.date))
    facts.append(f"{len(text):,} characters")
    if focus:
        facts.append(f"cited characters {focus[0]}–{focus[1]}")
    header = (f'<div><div class="rag-viewer-title">{esc(entry.title or name)}</div>'
              f'<div class="rag-viewer-meta">{" · ".join(facts)}</div></div>')
    return _frame(header, f'<div class="rag-article">{article_html(text, others, focus)}</div>')


def source_record(assistant, source) -> dict:
    """The API view of one corpus file: {source, title, date, format, text}, or {"error": message}.

    Example: ``source_record(assistant, "/etc/passwd")`` -> {"error": "'/etc/passwd' is not a file of ..."}.
    """
    if not isinstance(source, str) or not source:
        return {"error": "name a file of the corpus, e.g. one cited in an answer"}
    try:
        text = assistant.document_text(source)
    except RagError as exc:
        return {"error": str(exc)}
    entry = assistant.manifest.documents[source]
    return {"source": source, "title": entry.title, "date": entry.date, "format": entry.format, "text": text}
