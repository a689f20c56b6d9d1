"""Pure: conversation turns -> escaped HTML for the chat bubbles.

Every piece of text that comes from a document, an LLM or the user goes through ``esc`` before it meets
markup, so a passage containing ``<script>`` or ``<img onerror=...>`` is shown as text, never run. The chat
component sanitizes on top of that (second layer), but nothing here relies on it.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from rag.shape_layout import QUOTED, QUOTED_HEADING, Layout, date_words, layout, source_citation
from rag.types import Answer, Citation

PALETTE = 8  # marker colours cycle through rag-c0 .. rag-c7 (static/app.css)
_MARKER = re.compile(r"\[(\d+)\]")


@dataclass
class Turn:
    """One question of a conversation and what came back: a streamed draft, then an Answer or an error."""

    question: str
    answer: Answer | None = None
    error: str = ""
    draft: str = ""
    meta: dict = field(default_factory=dict)  # source -> (title, date) from the manifest, for display


def esc(text: str) -> str:
    """HTML-escape text, quotes included. Example: ``esc('<b a="1">')`` -> '&lt;b a=&quot;1&quot;&gt;'."""
    return html.escape(str(text), quote=True)


def squash(text: str) -> str:
    """Collapse runs of whitespace to one space. Example: ``squash(" a\\n  b ")`` -> 'a b'."""
    return re.sub(r"\s+", " ", text).strip()


def colour(marker: int) -> str:
    """The CSS class that gives a marker its colour. Example: ``colour(1)`` -> 'rag-c0'."""
    return f"rag-c{(max(marker, 1) - 1) % PALETTE}"


def display_title(citation: Citation, meta: dict | None = None) -> str:
    """A human title for a cited file: its title, else the manifest's, else the file name.

    Example: ``display_title(Citation(1, "a.txt", "/a.txt", 0, 1, "x"))`` -> 'a.txt'.
    """
    title = citation.title or ((meta or {}).get(citation.source) or ("", ""))[0]
    return squash(title) or citation.source


def display_date(citation: Citation, meta: dict | None = None) -> str:
    """The article date for a citation, from the citation or the manifest. Example: '' when neither has one."""
    return citation.date or ((meta or {}).get(citation.source) or ("", ""))[1]


def chip(c: Citation, turn: int, meta: dict | None = None) -> str:
    """An inline citation marker; hovering or clicking it reveals the quoted passage (static/app.js).

    Example: ``chip(c, 1)`` -> '<span class="rag-cite rag-c0 rag-t-1 rag-m-1" ...>1<span class="rag-pop">...'.
    """
    title = display_title(c, meta)
    file = c.source if title != c.source else ""  # shown once: as the title when there is no other
    where = " · ".join(x for x in (file, display_date(c, meta), f"characters {c.start}–{c.end}") if x)
    pop = (f'<span class="rag-pop"><span class="rag-pop-head"><span class="rag-key {colour(c.marker)}">{c.marker}'
           f'</span> {esc(title)}</span><span class="rag-pop-where">{esc(where)}</span>'
           f'<span class="rag-pop-quote">“{esc(squash(c.quote))}”</span>'
           f'<span class="rag-pop-hint">Click to pin it and show it in the sources panel</span></span>')
    # The chat's sanitizer drops data-* and aria-* attributes but keeps classes: turn and marker ride on classes.
    return (f'<span class="rag-cite {colour(c.marker)} rag-t-{turn} rag-m-{c.marker}" role="button" tabindex="0">'
            f'{c.marker}{pop}</span>')


def user_html(question: str) -> str:
    """The user's bubble. Example: ``user_html("<b>?")`` -> '<div class="rag-q">&lt;b&gt;?</div>'."""
    return f'<div class="rag-q">{esc(question)}</div>'


def draft_html(text: str) -> str:
    """A streamed, not yet checked answer: plain escaped text with a typing cursor.

    Example: ``draft_html("Hi [1]")`` -> '<div class="rag-answer rag-draft">Hi [1]<span class="rag-caret"></span></div>'.
    """
    return f'<div class="rag-answer rag-draft">{esc(text)}<span class="rag-caret"></span></div>'


def error_html(message: str) -> str:
    """A failure shown in the chat as one clear line. Example: ``error_html("down")`` contains 'down'."""
    return (f'<div class="rag-answer rag-error" role="alert"><span class="rag-badge rag-badge-error">Could not '
            f'answer</span> {esc(message)}</div>')


def _sentence(text: str, marks: str, supported: bool, support: float | None) -> str:
    if supported:
        return f'<span class="rag-sent">{esc(text)}</span>{marks} '
    why = "No cited passage supports this sentence" if support is None else (
        f"The cited passages do not support this sentence (support {support:.2f})")
    return (f'<span class="rag-sent rag-unsupported" title="{esc(why)}">{esc(text)}</span>{marks}'
            f'<span class="rag-flag" title="{esc(why)}">unsupported</span> ')


def _sentences(sentences, by_marker: dict, turn: int, meta: dict | None) -> str:
    """Each sentence escaped, followed by its chips (and flagged when nothing cited supports it)."""
    out = []
    for s in sentences:
        marks = "".join(chip(by_marker[m], turn, meta) for m in s.citations if m in by_marker)
        out.append(_sentence(s.text, marks, s.supported and bool(marks), s.support if s.citations else None))
    return "".join(out)


def _shaped_html(shaped: Layout, answer: Answer, by_marker: dict, turn: int, meta: dict | None) -> str:
    """A timeline as a dated list, a comparison as one block per source, a yes/no answer verdict first.
    Markers, popovers and "unsupported" flags are the same sentence markup as in running text."""
    def para(sentences, cls: str) -> str:
        return f'<p class="{cls}">{_sentences(sentences, by_marker, turn, meta)}</p>' if sentences else ""

    parts = [f'<div class="rag-text rag-shape rag-shape-{esc(shaped.shape)}">', para(shaped.intro, "rag-intro")]
    if shaped.shape == "timeline":
        items = "".join(f'<li class="rag-event"><span class="rag-event-date">{esc(date_words(g.label))}</span> '
                        f'<span class="rag-event-text">{_sentences(g.sentences, by_marker, turn, meta)}</span></li>'
                        for g in shaped.groups)
        parts.append(f'<ol class="rag-timeline" aria-label="Events in order">{items}</ol>')
    elif shaped.shape == "comparison":
        for g in shaped.groups:
            parts.append(f'<div class="rag-block" role="group">{_block_head(answer, g.label, meta)}'
                         f'{para(g.sentences, "rag-block-text")}</div>')
    elif shaped.shape == QUOTED:
        items = "".join(f'<li>{_sentences((s,), by_marker, turn, meta)}</li>' for g in shaped.groups
                        for s in g.sentences)
        parts.append(f'<div class="rag-quoted" role="group"><div class="rag-block-head">{esc(QUOTED_HEADING)}'
                     f'</div><ul class="rag-quotes">{items}</ul></div>')
    else:
        for g in shaped.groups:
            parts.append(f'<p class="rag-verdict"><b>{_sentences(g.sentences, by_marker, turn, meta)}</b></p>')
    parts.append(para(shaped.outro, "rag-evidence" if shaped.shape == "yesno" else "rag-outro"))
    parts.append("</div>")
    return "".join(parts)


def _block_head(answer: Answer, source: str, meta: dict | None) -> str:
    """A comparison block's heading: the file's title and date (from its citation, else the manifest)."""
    cited = source_citation(answer, source) or Citation(0, source, "", 0, 0, "")
    title, when = display_title(cited, meta), display_date(cited, meta)
    file = f' <span class="rag-muted">{esc(source)}</span>' if title != source else ""
    date = f' <span class="rag-block-date">{esc(date_words(when))}</span>' if when else ""
    return f'<div class="rag-block-head"><span class="rag-block-title">{esc(title)}</span>{date}{file}</div>'


def _marked_text(text: str, by_marker: dict, turn: int, meta: dict | None) -> str:
    """Escaped text whose [n] markers become chips (for answers without sentence records)."""
    out, pos = [], 0
    for m in _MARKER.finditer(text):
        out.append(esc(text[pos:m.start()]))
        c = by_marker.get(int(m.group(1)))
        out.append(chip(c, turn, meta) if c else esc(m.group(0)))
        pos = m.end()
    out.append(esc(text[pos:]))
    return "".join(out)


# Kinds of value (rag.readers.question_kind.KINDS) as the banner names them.
_TOPIC_LABELS = {"share": "the share", "money": "the amount", "date": "the date", "number": "the figure",
                 "person": "who it is", "organisation": "which organisation", "place": "the place",
                 "category": "what it is"}


def _conflict_html(answer: Answer, by_marker: dict, turn: int, meta: dict | None) -> str:
    rows = []
    for conflict in answer.conflicts:
        sides = []
        for side in conflict.values:
            chips = "".join(chip(by_marker[m], turn, meta) for m in side.citations if m in by_marker)
            files = sorted({by_marker[m].source for m in side.citations if m in by_marker})
            tag = ' <span class="rag-muted">(minority report)</span>' if side.minority else ""
            sides.append(f'<li><b>{esc(side.value)}</b>{chips}{tag} <span class="rag-muted">in '
                         f'{esc(", ".join(files))}</span></li>')
        rows.append(f'<div class="rag-conflict" role="note"><span class="rag-badge rag-badge-warn">Sources '
                    f'disagree</span> on {esc(_TOPIC_LABELS.get(conflict.topic, "the value asked for"))}:'
                    f'<ul>{"".join(sides)}</ul></div>')
    return "".join(rows)


def answer_html(answer: Answer, turn: int, meta: dict | None = None) -> str:
    """The assistant's bubble: banners (notice, disagreement, abstention), then each sentence with its chips,
    laid out by the answer's shape (a timeline, per-source blocks, a verdict first) when it has one.

    Example: ``answer_html(Answer("q?", "It is.[1]", False, (c,), (Sentence("It is.", (1,), 1.0, True),)), 1)``.
    """
    by_marker = {c.marker: c for c in answer.citations}
    parts = [f'<div class="rag-answer" data-turn="{turn}">']
    if answer.standalone_question and answer.standalone_question != answer.question:
        # A follow-up read in the context of the conversation: say how it was understood.
        parts.append(f'<div class="rag-understood" role="note">Understood as: '
                     f'{esc(answer.standalone_question)}</div>')
    if answer.notice:
        parts.append(f'<div class="rag-notice" role="note">{esc(answer.notice)}</div>')
    if answer.abstained:
        parts.append(f'<div class="rag-abstain"><span class="rag-badge rag-badge-muted">Not in the articles'
                     f'</span> {esc(answer.answer)}</div>')
        if answer.related:
            parts.append(f'<div class="rag-hint">{len(answer.related)} related passage'
                         f'{"s" if len(answer.related) != 1 else ""} (not support) are listed in the sources '
                         f'panel.</div>')
        parts.append("</div>")
        return "".join(parts)
    parts.append(_conflict_html(answer, by_marker, turn, meta))
    shaped = layout(answer)
    if shaped is not None:
        parts.append(_shaped_html(shaped, answer, by_marker, turn, meta))
    else:
        parts.append('<p class="rag-text">')
        if answer.sentences:
            parts.append(_sentences(answer.sentences, by_marker, turn, meta))
        else:
            parts.append(_marked_text(answer.answer, by_marker, turn, meta))
        parts.append("</p>")
    if any(not s.supported or not s.citations for s in answer.sentences):
        parts.append('<div class="rag-hint"><span class="rag-flag">unsupported</span> marks a sentence that the '
                     'passages it cites do not back up: check it before relying on it.</div>')
    if answer.citations:
        parts.append(_legend(answer, turn, meta))
    parts.append("</div>")
    return "".join(parts)


def _legend(answer: Answer, turn: int, meta: dict | None) -> str:
    """One line per cited file under the answer: which markers point into which file."""
    files: dict[str, list[Citation]] = {}
    for c in answer.citations:
        files.setdefault(c.source, []).append(c)
    rows = []
    for source, cites in files.items():
        keys = "".join(f'<span class="rag-key {colour(c.marker)}">{c.marker}</span>' for c in cites)
        title = display_title(cites[0], meta)
        name = f' <span class="rag-muted">{esc(source)}</span>' if title != source else ""
        rows.append(f'<li data-turn="{turn}">{keys} <span class="rag-legend-title">{esc(title)}</span>{name}</li>')
    return f'<ul class="rag-legend" aria-label="Cited files">{"".join(rows)}</ul>'


def chat_messages(turns: list[Turn]) -> list[dict]:
    """The Chatbot value for a conversation: a user and an assistant message per turn (1-based turn numbers)."""
    messages = []
    for number, turn in enumerate(turns, 1):
        messages.append({"role": "user", "content": user_html(turn.question)})
        if turn.error:
            body = error_html(turn.error)
        elif turn.answer is not None:
            body = answer_html(turn.answer, number, turn.meta)
        else:
            body = draft_html(turn.draft or "Searching the articles…")
        messages.append({"role": "assistant", "content": body})
    return messages
