"""Pure: whose words a sentence is. A report names a speaker once and then quotes them over several sentences,
even paragraphs: 'The mayor spoke after the vote. “We will rebuild the dam. It comes first.”' or 'The club said in
a statement:' followed by the statement's own paragraph. A sentence inside such a quotation names no speaker;
the words naming one come before the quotation opened. ``speaker_context`` returns those words, so a reader can
ask whether the sentence is the asked actor's speech (rag.answering.shaped.reaction).
"""
from __future__ import annotations

from rag.textspans import QUOTE_MARK
from rag.tuning import TUNING

_OPENING = "“«"
_CLOSING = "”»"


def _open_quotation(before: str) -> int:
    """Where a quotation still open at the end of ``before`` (one paragraph's text) opened, or -1.
    Curly and angle marks pair by direction; straight double quotes by their parity."""
    depth, opened = 0, -1
    for i, ch in enumerate(before):
        if ch in _OPENING:
            if depth == 0:
                opened = i
            depth += 1
        elif ch in _CLOSING:
            depth = max(0, depth - 1)
    if depth:
        return opened
    straight = [i for i, ch in enumerate(before) if ch == '"']
    return straight[-1] if len(straight) % 2 else -1


def _paragraph_start(text: str, start: int) -> int:
    """Where the paragraph holding ``start`` begins: after a blank line, or after a line break that ends a
    sentence (many files write one paragraph a line). A line break inside a sentence is a wrapped line, not a
    paragraph's end. A quotation left open at a paragraph's end does not run on into the next one: a quotation
    that does goes on with its own opening mark (the next paragraph then opens with one).

    Example: ``_paragraph_start("He said: “Go.\\nRain fell.", 15)`` -> 14.
    """
    cut = start
    while True:
        brk = text.rfind("\n", 0, cut)
        if brk < 0:
            return 0
        before = text[:brk].rstrip(" \t\r")
        if not before or before[-1] == "\n" or before[-1] in _SENTENCE_END:
            return brk + 1
        cut = brk


_SENTENCE_END = ".!?:;" + _CLOSING + "\"’)"


def speaker_context(text: str, start: int, end: int, reach: int = TUNING.speech_reach) -> str:
    """For the sentence ``text[start:end]``: when it is quoted speech, the text before it where its speaker is
    named (from at most ``reach`` characters before its quotation opened, cut to whole sentences, up to the
    sentence); "" when it is not quoted.
    Quoted speech: the sentence opens with a quotation mark, a quotation opened earlier in its paragraph is still
    open, or the text before it ends with a colon (a statement introduced on the line before).

    Example: in 'Ann Lee spoke first. “We won. The rest is noise.”' the sentence 'The rest is noise.”' -> 'Ann
    Lee spoke first. “We won. '; the sentence 'Ann Lee spoke first.' -> ''.
    """
    sentence = text[start:end]
    paragraph_start = _paragraph_start(text, start)
    opened = _open_quotation(text[paragraph_start:start])
    if sentence.lstrip()[:1] and QUOTE_MARK.match(sentence.lstrip()[:1]):
        opened_at = start + len(sentence) - len(sentence.lstrip())
    elif opened >= 0:
        opened_at = paragraph_start + opened
    elif text[max(0, start - reach):start].rstrip()[-1:] in (":", "："):
        opened_at = start
    else:
        return ""
    begin = max(0, opened_at - reach)
    window = text[begin:start]
    if begin > 0:  # cut to whole sentences
        ends = [i for i in (window.find(mark) for mark in (". ", ".\n", "? ", "! ")) if i >= 0]
        window = window[min(ends) + 2:] if ends else window
    return window
