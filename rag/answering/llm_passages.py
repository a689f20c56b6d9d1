"""What a small local model reads: the best few SENTENCES of the retrieved passages, numbered, not whole chunks.

A 1.5B model on two CPU cores reads about 30-45 prompt tokens a second, so every sentence in the prompt costs the
user waiting time before the first token (bench.llm measures it). The sentences are the extractive answerer's
best-scored candidates (``Evidence.sentences``) or, without them, the hit sentences ranked by cosine with the
question; they are kept in score order up to a token budget, then shown grouped by article, in reading order.
The budget counts the article headers too (a title in a script of wide characters costs a token a character: a
seeds title alone cost 30 tokens, unbudgeted, before 2026-12-08). Each numbered sentence is an exact span of its
document, so a citation of [n] is that span, offsets and all.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import groupby

from rag.answering.shapes import is_yes_no
from rag.prompts import defused
from rag.textspans import sentence_spans
from rag.token_weights import FEATURES, WEIGHTS
from rag.types import Chunk

_COMPARE = re.compile(r"\b(?:compare[ds]?|comparison|differ(?:s|ence|ences)?|versus|vs\.?|whereas|both)\b"
                      r"|\b(?:more|less|fewer|higher|lower|larger|smaller|earlier|later)\b.*\bthan\b", re.IGNORECASE)
_TITLE_TOKENS = 12  # a title names the article; its first dozen tokens do that as well as all of it
MIN_PASSAGES = 2  # even a tiny budget shows two sentences: one cannot be compared with anything
_WIDE = "\u2e80"  # from here on (CJK and beyond) a BPE vocabulary spends about a token per character


@dataclass(frozen=True)
class Passage:
    """One numbered sentence of the prompt: ``text == document[start:end]`` of ``chunk.source``."""

    chunk: Chunk
    start: int
    end: int
    text: str
    score: float = 0.0


def tokens(text: str) -> int:
    """An estimate of a text's tokens for a byte-pair vocabulary: runs of character classes (ASCII words and their
    letters, other letters, digits, punctuation, other symbols, wide characters) weighed by rag/token_weights.py,
    fitted on the test model's tokenizer, which spends a token per digit (bench.token_fit, 4,500 sentences of three
    corpora: 1.01 times the real count at the median, 0.83-1.21 from the 5th to the 95th percentile; 0.81-1.31
    leave-one-corpus-out).
    Example: ``tokens("The bridge opened in 1932.")`` -> 9."""
    features = token_features(text)
    return max(1, round(sum(w * features[f] for f, w in zip(FEATURES, WEIGHTS))))


def token_features(text: str) -> dict[str, int]:
    """Counts of character-class runs. Example: ``token_features("Ann, 42")`` -> words 1, letters 3, digits 2,
    puncts 1 (and the constant 1)."""
    counts = dict.fromkeys(FEATURES, 0)
    counts["one"] = 1
    for kind, run in groupby(text, _char_class):
        n = len(list(run))
        if kind == "word":
            counts["words"] += 1
            counts["letters"] += n
        elif kind == "other_word":
            counts["other_words"] += 1
            counts["other_letters"] += n
        elif kind != "space":
            counts[kind] += n
    return counts


def _char_class(ch: str) -> str:
    if ch.isspace():
        return "space"
    if ch >= _WIDE:
        return "wide"
    if ch.isdigit():
        return "digits"
    if ch.isalpha():
        return "word" if ch.isascii() else "other_word"
    return "puncts" if ch.isascii() else "symbols"


def choose(candidates, budget: int, limit: int = 12) -> list[Passage]:
    """The highest-scored candidates (objects with chunk, start, end, text, score) whose estimated tokens, with
    their article's header line, fit in ``budget`` (at most ``limit``), each span once, in score order. The best
    always; below MIN_PASSAGES when nothing else fits, the cheapest of the next three.
    Example: ``choose([a, b, c], 40)`` -> [the best, the next that fits]."""
    picked, used, seen, headed, passed = [], 0, set(), set(), []
    for cand in sorted(candidates, key=lambda c: -float(c.score)):
        key = (cand.chunk.source, cand.start, cand.end)
        if key in seen or not cand.text.strip():
            continue
        seen.add(key)
        cost = _cost(cand, headed)
        if picked and used + cost > budget:
            passed.append((cost, len(passed), cand))  # a shorter sentence further down may still fit
            continue
        picked.append(Passage(cand.chunk, cand.start, cand.end, cand.text, float(cand.score)))
        headed.add(cand.chunk.source)
        used += cost
        if len(picked) >= limit:
            return picked
    if len(picked) < MIN_PASSAGES and passed:
        # Over budget rather than one sentence alone, but the least over: the cheapest of the next three.
        cand = min(passed[:3])[2]
        picked.append(Passage(cand.chunk, cand.start, cand.end, cand.text, float(cand.score)))
    return picked


def _cost(cand, headed: set) -> int:
    """A numbered line's tokens, and its article's header if it is the first line from that article."""
    line = tokens(cand.text) + 2
    return line if cand.chunk.source in headed else line + tokens(header(cand.chunk))


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
    if is_yes_no(question):
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
            lines.append(header(p.chunk))
        lines.append(f"[{n}] {_clean(p.text)}")
    return "\n".join(lines)


def header(chunk: Chunk) -> str:
    """The line naming an article above its sentences: its title (the first dozen tokens) and date.
    Example: a chunk titled "Harbour dredging resumes after storm" dated 2023-11-02
    -> 'Article "Harbour dredging resumes after storm" (2023-11-02):'."""
    title = _short(_clean(chunk.title))
    return "Article" + (f' "{title}"' if title else "") + (f" ({chunk.date})" if chunk.date else "") + ":"


def _short(title: str) -> str:
    if tokens(title) <= _TITLE_TOKENS:
        return title
    cut = title
    while cut and tokens(cut + "...") > _TITLE_TOKENS:
        cut = cut[:-1]
    space = cut.rfind(" ")
    return (cut[:space] if space > len(cut) // 2 else cut).rstrip(" ,;:-") + "..."


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
