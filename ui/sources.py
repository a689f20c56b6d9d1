"""Pure: the sources panel beside the chat. Each cited file with its title and date, and each cited passage
highlighted inside its surrounding paragraph (computed from the document text around the citation offsets).
All document text is escaped."""
from __future__ import annotations

from typing import Callable, Mapping

from rag.textspans import paragraph_spans, sentence_spans
from rag.types import Citation
from ui.render import Turn, colour, display_date, display_title, esc, squash

CONTEXT_CHARS = 320  # context shown on each side of a quote when its paragraph is long


def paragraph_window(text: str, start: int, end: int, context: int = CONTEXT_CHARS) -> tuple[int, int]:
    """The span to show around ``text[start:end]``: its whole paragraph (line), or when that is long, whole
    sentences of it within ``context`` characters on each side of the quote.

    Example: ``paragraph_window("A b.\\nC d. E f.\\nG.", 5, 9)`` -> (5, 14).
    """
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    lo, hi = start, end
    for para in paragraph_spans(text):
        if para.start <= start < para.end or para.start < end <= para.end:
            lo, hi = min(lo, para.start), max(hi, para.end)
    if hi - lo <= (end - start) + 2 * context:
        return lo, hi
    left, right = start, end
    for sent in sentence_spans(text, lo, hi):
        if sent.end <= start and start - sent.start <= context:
            left = min(left, sent.start)
        if sent.start >= end and sent.end - end <= context:
            right = max(right, sent.end)
    return left, right


def highlight(text: str, start: int, end: int, lo: int, hi: int) -> str:
    """Escaped ``text[lo:hi]`` with ``[start:end]`` in a <mark>, and an ellipsis where the paragraph was cut.

    Example: ``highlight("a <b> c", 2, 5, 0, 7)`` -> 'a <mark>&lt;b&gt;</mark> c'.
    """
    before = ("… " if lo > 0 and text[lo - 1] not in "\n" else "") + text[lo:start]
    after = text[end:hi] + (" …" if hi < len(text) and text[hi] not in "\n" else "")
    return f"{esc(squash_keep(before))}<mark>{esc(text[start:end])}</mark>{esc(squash_keep(after))}"


def squash_keep(text: str) -> str:
    """Collapse whitespace runs but keep a leading/trailing space. Example: ``squash_keep(" a\\n b ")`` -> ' a b '."""
    if not text:
        return text
    inner = squash(text)
    return (" " if text[0].isspace() else "") + inner + (" " if text[-1].isspace() and inner else "")


def _passage(c: Citation, turn: int, text: str | None) -> str:
    if text is not None and text[c.start:c.end] == c.quote:
        lo, hi = paragraph_window(text, c.start, c.end)
        body = highlight(text, c.start, c.end, lo, hi)
    else:  # the index changed since the answer: show the quote alone
        body = f"<mark>{esc(squash(c.quote))}</mark>"
    return (f'<div class="rag-passage" data-turn="{turn}" data-marker="{c.marker}">'
            f'<span class="rag-key {colour(c.marker)}">{c.marker}</span>'
            f'<div class="rag-passage-body"><p class="rag-para">{body}</p>'
            f'<button type="button" class="rag-open" data-turn="{turn}" data-marker="{c.marker}" '
            f'data-source="{esc(c.source)}" data-start="{c.start}" data-end="{c.end}">Open in article</button>'
            f'</div></div>')


def _files(citations, turn: int, text_of: Callable[[str], str | None], meta: Mapping | None) -> str:
    groups: dict[str, list[Citation]] = {}
    for c in citations:
        groups.setdefault(c.source, []).append(c)
    cards = []
    for source, cites in groups.items():
        title, date = display_title(cites[0], meta), display_date(cites[0], meta)
        text = text_of(source)
        facts = [f'<code>{esc(source)}</code>'] if title != source else []
        if date:
            facts.append(f'<span>{esc(date)}</span>')
        facts.append(f'<span>{len(cites)} passage{"s" if len(cites) != 1 else ""}</span>')
        cards.append(f'<article class="rag-file"><header class="rag-file-head"><div class="rag-file-title">'
                     f'{esc(title)}</div><div class="rag-file-meta">{" · ".join(facts)}</div></header>'
                     + "".join(_passage(c, turn, text) for c in cites) + "</article>")
    return "".join(cards)


def _section(turn: Turn, number: int, active: bool, text_of, ) -> str:
    answer = turn.answer
    head = (f'<div class="rag-turn-head"><span class="rag-qnum">Q{number}</span> '
            f'<span class="rag-turn-q">{esc(squash(turn.question))}</span></div>')
    if answer is None:
        body = '<div class="rag-empty">No sources for this question.</div>'
    elif answer.citations:
        body = _files(answer.citations, number, text_of, turn.meta)
    elif answer.related:
        body = ('<div class="rag-related-note">No passage answers this question. The closest passages are '
                'shown as related reading, <b>not as support</b>.</div>'
                + _files(answer.related, number, text_of, turn.meta))
    else:
        body = '<div class="rag-empty">No passages were found.</div>'
    cls = "rag-turn active" if active else "rag-turn"
    return f'<section class="{cls}" data-turn="{number}">{head}{body}</section>'


def sources_html(turns: list[Turn], text_of: Callable[[str], str | None] | None = None) -> str:
    """The whole panel: one section per answered turn (the latest shown; the others one click away).

    ``text_of(source)`` returns the document text (or None); it supplies the paragraphs around quotes.
    Example: ``sources_html([])`` -> the empty-state panel.
    """
    text_of = text_of or (lambda source: None)
    shown = [(n, t) for n, t in enumerate(turns, 1) if t.answer is not None]
    if not shown:
        return ('<div class="rag-panel rag-panel-empty"><div class="rag-empty-title">Sources</div>'
                '<p>Ask a question: every passage the answer cites appears here, highlighted inside its '
                'paragraph, with the file it comes from. Hover or click a numbered marker in the answer to see '
                'its quote.</p></div>')
    last = shown[-1][0]
    nav = ""
    if len(shown) > 1:
        nav = ('<nav class="rag-turn-nav" aria-label="Questions">' + "".join(
            f'<button type="button" class="rag-turn-btn{" active" if n == last else ""}" data-turn="{n}" '
            f'title="{esc(squash(t.question))}">Q{n}</button>' for n, t in shown) + "</nav>")
    sections = "".join(_section(t, n, n == last, text_of) for n, t in shown)
    return f'<div class="rag-panel">{nav}{sections}</div>'
