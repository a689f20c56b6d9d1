"""Pure: Answer -> Markdown for a memo, with footnotes that quote the files exactly."""
from __future__ import annotations

from rag.shape_layout import QUOTED, QUOTED_HEADING, Layout, date_words, layout, source_citation
from rag.textspans import MARKER
from rag.types import Answer


def _squash(text: str) -> str:
    """One line: a line break inside a list item or a heading would end it. Example: 'a\n b' -> 'a b'."""
    return " ".join(text.split())


def to_markdown(answer: Answer, heading: bool = True, offset: int = 0) -> str:
    """The answer with ``[^n]`` footnote markers and footnotes giving quote, file, title, date and range; a
    shaped answer keeps its shape (a dated list, a sub-heading per source, the verdict first). Footnotes are
    numbered from ``offset + 1`` (a memo of several answers keeps them unique).

    Example: ``to_markdown(answer).startswith("## ")``.
    """
    lines = [f"## {_squash(answer.question)}", ""] if heading else []
    if resolved(answer):
        lines += [f"*Understood as: {_squash(answer.standalone_question)}*", ""]
    shaped = layout(answer)
    if shaped is None:
        lines.append(MARKER.sub(lambda m: _note(int(m.group(1)), offset), answer.answer))
    else:
        lines += _shaped_lines(shaped, answer, offset)
    if answer.notice:
        lines += ["", f"*Note: {answer.notice}*"]
    unsupported = [s.text for s in answer.sentences if not s.supported]
    if unsupported:
        lines += ["", "*Not supported by the cited passages:* " + " / ".join(unsupported)]
    lines.append("")
    for c in answer.citations:
        meta = ", ".join(x for x in (f"*{_squash(c.title)}*" if c.title.strip() else "", c.date) if x)
        lines.append(f"{_note(c.marker, offset)}: \"{_squash(c.quote)}\" — `{c.source}`"
                     + (f", {meta}" if meta else "") + f", characters {c.start}–{c.end}.")
    if answer.abstained and answer.related:
        lines += ["", "Related passages (not support):", ""]
        for c in answer.related:
            lines.append(f"- \"{_squash(c.quote)}\" — `{c.source}`, characters {c.start}–{c.end}")
    return "\n".join(lines).rstrip() + "\n"


def _note(marker: int, offset: int) -> str:
    """A footnote marker. Example: ``_note(2, 3)`` -> '[^5]'."""
    return f"[^{marker + offset}]"


def _sentences(sentences, markers: set[int], offset: int) -> str:
    """Sentences as one paragraph, each followed by its footnote markers. Example: 'It rained.[^1]'."""
    return " ".join(_squash(s.text) + "".join(_note(m, offset) for m in s.citations if m in markers)
                    for s in sentences)


def _shaped_lines(shaped: Layout, answer: Answer, offset: int) -> list[str]:
    """A timeline as a dated list, a comparison as one sub-heading per source, a yes/no answer verdict first."""
    markers = {c.marker for c in answer.citations}
    lines = [_sentences(shaped.intro, markers, offset), ""] if shaped.intro else []
    if shaped.shape == "timeline":
        lines += [f"- **{date_words(g.label)}**: {_sentences(g.sentences, markers, offset)}" for g in shaped.groups]
        lines.append("")
    elif shaped.shape == QUOTED:
        lines += [f"**{QUOTED_HEADING}:**", ""]
        lines += [f"- {_sentences((s,), markers, offset)}" for g in shaped.groups for s in g.sentences]
        lines.append("")
    elif shaped.shape == "comparison":
        for g in shaped.groups:
            cited = source_citation(answer, g.label)
            title = _squash(cited.title if cited else "") or g.label
            head = ", ".join(x for x in (title, date_words(cited.date) if cited and cited.date else "") if x)
            lines += [f"### {head}" + (f" (`{g.label}`)" if title != g.label else ""), "",
                      _sentences(g.sentences, markers, offset), ""]
    else:
        # Bold around the text only: a footnote marker inside ** would not be read as one by every renderer.
        lines += [" ".join(f"**{_squash(s.text)}**" + "".join(_note(m, offset) for m in s.citations if m in markers)
                           for s in g.sentences) for g in shaped.groups]
        lines.append("")
    if shaped.outro:
        lines += [_sentences(shaped.outro, markers, offset), ""]
    return lines[:-1]  # the caller adds the blank line before what follows


def resolved(answer: Answer) -> bool:
    """Whether the question was resolved against the conversation into a different standalone question."""
    return bool(answer.standalone_question) and answer.standalone_question != answer.question


def conversation_markdown(answers: list[Answer]) -> str:
    """Several answers in one memo, footnotes renumbered so they stay unique. Example: two answers -> [^1]..[^n]."""
    parts, offset = [], 0
    for answer in answers:
        text = to_markdown(answer, offset=offset)
        offset += len(answer.citations)
        parts.append(text)
    return "\n".join(parts)
