"""Pure: Answer -> escaped HTML for the chat (markers) and the sources panel. Document text is always
escaped: a passage containing <script> or <img onerror> is shown as text, never run."""
from __future__ import annotations

import html
import re

from rag.types import Answer, Citation


def esc(text: str) -> str:
    """HTML-escape text, quotes included. Example: ``esc("<b>")`` -> '&lt;b&gt;'."""
    return html.escape(text, quote=True)


def answer_html(answer: Answer) -> str:
    """The answer text with each [n] marker as a citation chip carrying the quote as a tooltip."""
    by_marker = {c.marker: c for c in answer.citations}
    parts = []
    if answer.notice:
        parts.append(f'<div class="rag-notice">{esc(answer.notice)}</div>')
    if answer.abstained:
        parts.append(f'<div class="rag-abstain">{esc(answer.answer)}</div>')
        return "".join(parts)
    for sentence in answer.sentences:
        marks = "".join(_chip(by_marker[m]) for m in sentence.citations if m in by_marker)
        cls = "rag-sent" if sentence.supported else "rag-sent rag-unsupported"
        flag = "" if sentence.supported else ' <span class="rag-flag">unsupported</span>'
        parts.append(f'<span class="{cls}">{esc(sentence.text)}</span>{marks}{flag} ')
    return "".join(parts).strip()


def _chip(c: Citation) -> str:
    return (f'<sup class="rag-cite" data-marker="{c.marker}" title="{esc(c.source)}: {esc(_squash(c.quote))}">'
            f'[{c.marker}]</sup>')


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def sources_html(answer: Answer | None) -> str:
    """The sources panel: each cited (or, when abstaining, related) passage with file, title and date."""
    if answer is None:
        return '<div class="rag-sources-empty">Cited passages appear here.</div>'
    items = answer.citations or answer.related
    heading = "Sources" if answer.citations else "Related passages (not support)"
    rows = [f'<div class="rag-sources"><h3>{esc(heading)}</h3>']
    for c in items:
        meta = " · ".join(x for x in (c.title, c.date) if x)
        rows.append(
            f'<div class="rag-source" id="rag-source-{c.marker}"><div class="rag-source-head">'
            f'<b>[{c.marker}]</b> <code>{esc(c.source)}</code> <span class="rag-range">chars {c.start}–{c.end}</span>'
            f'</div>' + (f'<div class="rag-meta">{esc(meta)}</div>' if meta else "")
            + f'<blockquote>{esc(_squash(c.quote))}</blockquote></div>')
    rows.append("</div>")
    return "".join(rows)
