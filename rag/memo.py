"""Pure: Answer -> Markdown for a memo, with footnotes that quote the files exactly."""
from __future__ import annotations

import re

from rag.types import Answer


def _quote_block(text: str) -> str:
    return " ".join(text.split())


def to_markdown(answer: Answer, heading: bool = True) -> str:
    """The answer with ``[^n]`` footnote markers and footnotes giving quote, file, title, date and range.

    Example: ``to_markdown(answer).startswith("## ")``.
    """
    lines = [f"## {answer.question}", ""] if heading else []
    if resolved(answer):
        lines += [f"*Understood as: {answer.standalone_question}*", ""]
    body = re.sub(r"\[(\d+)\]", r"[^\1]", answer.answer)
    lines.append(body)
    if answer.notice:
        lines += ["", f"*Note: {answer.notice}*"]
    unsupported = [s.text for s in answer.sentences if not s.supported]
    if unsupported:
        lines += ["", "*Not supported by the cited passages:* " + " / ".join(unsupported)]
    lines.append("")
    for c in answer.citations:
        meta = ", ".join(x for x in (f"*{c.title}*" if c.title else "", c.date) if x)
        lines.append(f"[^{c.marker}]: \"{_quote_block(c.quote)}\" — `{c.source}`"
                     + (f", {meta}" if meta else "") + f", characters {c.start}–{c.end}.")
    if answer.abstained and answer.related:
        lines += ["", "Related passages (not support):", ""]
        for c in answer.related:
            lines.append(f"- \"{_quote_block(c.quote)}\" — `{c.source}`, characters {c.start}–{c.end}")
    return "\n".join(lines).rstrip() + "\n"


def resolved(answer: Answer) -> bool:
    """Whether the question was resolved against the conversation into a different standalone question."""
    return bool(answer.standalone_question) and answer.standalone_question != answer.question


def conversation_markdown(answers: list[Answer]) -> str:
    """Several answers in one memo, footnotes renumbered so they stay unique. Example: two answers -> [^1]..[^n]."""
    parts, offset = [], 0
    for answer in answers:
        text = to_markdown(answer)
        text = re.sub(r"\[\^(\d+)\]", lambda m: f"[^{int(m.group(1)) + offset}]", text)
        offset += len(answer.citations)
        parts.append(text)
    return "\n".join(parts)
