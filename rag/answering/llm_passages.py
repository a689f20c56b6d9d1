"""What a small local model reads: the best few SENTENCES of the retrieved passages, numbered, not whole chunks.

A 1.5B model on two CPU cores reads about 30-45 prompt tokens a second, so every sentence in the prompt costs the
user waiting time before the first token (bench.llm measures it). The sentences are the extractive answerer's
best-scored candidates (``Evidence.sentences``) or, without them, the hit sentences ranked by cosine with the
question; they are kept in score order up to a token budget, then shown grouped by article, in reading order.
Each numbered sentence is an exact span of its document, so a citation of [n] is that span, offsets and all.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from rag.prompts import defused
from rag.textspans import sentence_spans
from rag.types import Chunk

_YES_NO = re.compile(r"^\s*(?:is|are|was|were|do|does|did|has|have|had|can|could|will|would|should|may|might|must)"
                     r"\b(?!.*\b(?:or)\b.*\?\s*$)", re.IGNORECASE)
_COMPARE = re.compile(r"\b(?:compare[ds]?|comparison|differ(?:s|ence|ences)?|versus|vs\.?|whereas|both)\b"
                      r"|\b(?:more|less|fewer|higher|lower|larger|smaller|earlier|later)\b.*\bthan\b", re.IGNORECASE)
_TITLE_CHARS = 80
MIN_PASSAGES = 2  # even a tiny budget shows two sentences: one cannot be compared with anything


@dataclass(frozen=True)
class Passage:
    """One numbered sentence of the prompt: ``text == document[start:end]`` of ``chunk.source``."""

    chunk: Chunk
    start: int
    end: int
    text: str
    score: float = 0.0


def tokens(text: str) -> int:
    """A cheap estimate of a text's tokens for an English BPE vocabulary (about 4 characters each, words
    counting at least one). Example: ``tokens("The bridge opened in 1932.")`` -> 7."""
    return max(len(text) // 4, len(text.split())) + 1


def choose(candidates, budget: int, limit: int = 12) -> list[Passage]:
    """The highest-scored candidates (objects with chunk, start, end, text, score) whose estimated tokens fit in
    ``budget`` (at least MIN_PASSAGES, at most ``limit``), each span once, in score order.
    Example: ``choose([a, b, c], 40)`` -> [the best, the next that fits]."""
    picked, used, seen = [], 0, set()
    for cand in sorted(candidates, key=lambda c: -float(c.score)):
        key = (cand.chunk.source, cand.start, cand.end)
        if key in seen or not cand.text.strip():
            continue
        cost = tokens(cand.text) + 2
        if len(picked) >= MIN_PASSAGES and used + cost > budget:
            continue  # a shorter sentence further down may still fit
        picked.append(Passage(cand.chunk, cand.start, cand.end, cand.text, float(cand.score)))
        seen.add(key)
        used += cost
        if len(picked) >= limit:
            break
    return picked


def reading_order(passages: list[Passage]) -> list[Passage]:
    """Grouped by article (articles in order of their best sentence), each article's sentences in text order:
    a model reads a story better than a shuffled list. Example: [a:50, b:0, a:10] -> [a:10, a:50, b:0]."""
    first = {}
    for p in passages:
        first.setdefault(p.chunk.source, len(first))
    return sorted(passages, key=lambda p: (first[p.chunk.source], p.start))


def question_hint(question: str) -> str:
    """One line telling a small model the shape of answer a yes/no or comparison question wants ("" otherwise):
    said only when it applies, since a standing rule about yes/no made it answer "Yes." to everything.
    Example: ``question_hint("Did the bridge open in 1932?")``
    -> 'It is a yes or no question: begin with Yes or No.'."""
    if _COMPARE.search(question):
        return "It is a comparison: state each side, each with its own [number]."
    if _YES_NO.match(question):
        return "It is a yes or no question: begin with Yes or No."
    return ""


def format_passages(passages: list[Passage]) -> str:
    """The numbered sentences under one header per article; text that could close the fence or pose as a
    marker is defused. Example: one sentence of "Cup final" (2024-05-01)
    -> 'Article "Cup final" (2024-05-01):\\n[1] Ann scored twice.'."""
    lines, current = [], None
    for n, p in enumerate(passages, 1):
        if p.chunk.source != current:
            current = p.chunk.source
            title = _clean(p.chunk.title)[:_TITLE_CHARS]
            lines.append("Article" + (f' "{title}"' if title else "") + (f" ({p.chunk.date})" if p.chunk.date else "")
                         + ":")
        lines.append(f"[{n}] {_clean(p.text)}")
    return "\n".join(lines)


def _clean(text: str) -> str:
    # One line per sentence (a newline could fake a "[7]" line), no brackets that read as markers, no fence.
    text = " ".join(text.split()).replace("[", "(").replace("]", ")").replace('"', "'")
    return defused(text, "source")


def hit_sentences(hits, text_of, encode, question: str) -> list[Passage]:
    """Without the extractive answerer's scores: every sentence of the hit chunks, scored by cosine with the
    question (one batch), ties to the better-ranked hit."""
    spans = []
    for rank, hit in enumerate(hits):
        chunk = hit.chunk
        document = text_of(chunk)
        for span in sentence_spans(document, chunk.start, chunk.end):
            text = document[span.start:span.end]
            if any(ch.isalnum() for ch in text):
                spans.append((chunk, span.start, span.end, text, rank))
    if not spans:
        return []
    vectors = encode([question] + [s[3] for s in spans])
    cosines = vectors[1:] @ vectors[0]
    return [Passage(chunk, start, end, text, float(c) - 1e-4 * rank)
            for (chunk, start, end, text, rank), c in zip(spans, cosines)]
