"""Pure functions over text with exact character offsets: paragraphs, sentences, word tokens.

Shared by ingest (chunking) and the answerer (sentence selection), so a sentence is the same
span wherever it is computed.
"""
from __future__ import annotations

import functools
import re
import unicodedata

from rag.types import Span
from rag.language import ABBREVIATIONS as _ABBREVIATIONS, STEM_SUFFIXES as _STEM_SUFFIXES, STOPWORDS

_SENTENCE_END = re.compile(r"[.!?。！？]+[\"'”’)\]]*|(?:\s*\[\d+\])+")
# Bulleted digests ("Core Insights - ... [1][7] Group 1: ... - The seven ...") have no full stops: a spaced
# dash before a capital starts a new item (at a range's start too: the same item whether or not the range
# starts before the dash).
_BULLET = re.compile(r"(?:\s|^)[-–•▪]\s+(?=[A-Z])")
WORD = re.compile(r"\w+")  # a word token, wherever words are counted or matched
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([.,;:!?])")
# A quoted title is a name, not words of the question's form: "Who wrote "Why We Sleep"?".
QUOTED = re.compile(r'"[^"]*"|“[^”]*”')
LETTER_WORD = re.compile(r"[^\W\d_][\w'’-]*")  # a word opening with a letter ("rock-n-roll", "Ann's")
TOKEN = re.compile(r"[\w'-]+")  # a word or number with its hyphens and apostrophes ("19th-century", "5G")
QUOTE_MARK = re.compile(r"[\"“”«»]")
MARKER = re.compile(r"\[(\d+)\]")  # a citation marker "[2]", its number the group
LETTERS = re.compile(r"[^\W\d_]+")  # a run of letters: "rock-n-roll" is three, "5G" one
PUNCTUATION = re.compile(r"[,;:.!?]")  # a mark that ends a clause or a sentence


def paragraph_spans(text: str) -> list[Span]:
    """Non-blank lines as spans, whitespace-trimmed. Example: ``paragraph_spans("a\\n\\n b")`` -> [(0,1), (4,5)]."""
    spans: list[Span] = []
    pos = 0
    for line in text.split("\n"):  # a "\r" before the break is trimmed as whitespace
        span = _trim(text, pos, pos + len(line))
        if span:
            spans.append(span)
        pos += len(line) + 1
    return spans


def _trim(text: str, start: int, end: int) -> Span | None:
    # A byte-order mark (U+FEFF) at the start of a file is kept in the text, so offsets match the file decoded
    # as UTF-8, but it is no part of any sentence.
    while start < end and (text[start].isspace() or text[start] == "\ufeff"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == "\ufeff"):
        end -= 1
    return Span(start, end) if end > start else None


def sentence_spans(text: str, start: int = 0, end: int | None = None, most: int | None = None) -> list[Span]:
    """Sentences of ``text[start:end]`` as exact spans, never crossing a line break; the first ``most`` only when
    given (the same spans, without splitting the rest).

    Example: ``sentence_spans("Hi there. On Apr. 4 it rained.")`` -> [(0, 9), (10, 30)].
    """
    end = len(text) if end is None else end
    spans: list[Span] = []
    for para in paragraph_spans(text[start:end]):
        for p_start, p_end in _items(text, para.start + start, para.end + start):
            if _split_item(text, p_start, p_end, spans, most):
                return spans
    return spans


def _items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    items, cursor = [], start
    for match in _BULLET.finditer(text[start:end]):  # an item before a leading dash is empty: _trim drops it
        items.append((cursor, start + match.start()))
        cursor = start + match.end()
    items.append((cursor, end))
    return items


def _split_item(text: str, p_start: int, p_end: int, spans: list[Span], most: int | None = None) -> bool:
    # Appends the item's sentences; True once ``most`` spans are there.
    cursor = p_start
    for match in _SENTENCE_END.finditer(text, p_start, p_end):
        stop = match.end()
        if not _is_boundary(text, match.start(), stop, p_end):
            continue
        span = _trim(text, cursor, stop)
        if span:
            spans.append(span)
            if most is not None and len(spans) >= most:
                return True
        cursor = stop
    span = _trim(text, cursor, p_end)
    if span:
        spans.append(span)
    return most is not None and len(spans) >= most


def _is_boundary(text: str, punct_start: int, stop: int, limit: int) -> bool:
    punct = text[punct_start]
    if punct.isspace() or punct == "[":  # reference markers "[5]" end a digest item before a capital or a bullet
        rest = text[stop:limit].lstrip()
        return not rest or rest[0].isupper() or rest[0] in "-–•"
    if punct in "。！？":
        return True
    if stop < limit and not text[stop].isspace():
        return False  # "3.5", "U.S.-Mexico", "toutiao.com/..."
    if punct == ".":
        word_match = re.search(r"([\w.]+)$", text[max(0, punct_start - 12):punct_start])
        word = word_match.group(1).lower() if word_match else ""
        if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            return False
        # "Apr. 4", "No. 5": an abbreviation-like token followed by a digit rarely ends a sentence.
    rest = text[stop:limit].lstrip()
    if rest and rest[0].islower():
        return False
    return True


_TRAILING_REFERENCES = re.compile(r"(?:\s*\[\d+\])+\s*$")


def without_references(text: str, span: Span) -> Span:
    """Drop a digest's trailing reference marks ("... turbines [3][5]") from a sentence span: quoted, they would
    read like citation markers. Example: ``without_references("Up 5% [3]", Span(0, 9))`` -> Span(0, 5)."""
    match = _TRAILING_REFERENCES.search(text, span.start, span.end)
    if match and match.start() > span.start:
        return Span(span.start, match.start())
    return span


def displayed(text: str) -> str:
    """A quote as it reads in an answer (and as a later turn compares what was quoted): whitespace collapsed, and
    bracketed numbers the article itself contains ("[5]") shown as "(5)" so they cannot pass for the answer's
    citation markers. Example: ``displayed("Up  5% [2]")`` -> 'Up 5% (2)'."""
    return " ".join(MARKER.sub(r"(\1)", text).split())


def words(text: str) -> list[str]:
    """Lower-cased word tokens, NFKC-normalised. Example: ``words("Ｕ.S. rare-earths")`` -> ['u', 's', 'rare', 'earths']."""
    return [w.casefold() for w in WORD.findall(unicodedata.normalize("NFKC", text))]


@functools.lru_cache(maxsize=1 << 16)  # the answerer stems the same words thousands of times per question
def stem(word: str) -> str:
    """A tiny suffix stripper good enough for lexical overlap. Example: ``stem("exports")`` -> 'export'."""
    for suffix in _STEM_SUFFIXES:
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)] + ("y" if suffix in ("ies", "ied") else "")
    return word


def content_terms(text: str) -> list[str]:
    """Stemmed words minus stopwords. Example: ``content_terms("Who is the finance minister?")`` -> ['finance', 'minister']."""
    return list(_content_terms(text))


@functools.lru_cache(maxsize=8192)  # a question scores each candidate sentence two or three times
def _content_terms(text: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in words(text) if w not in STOPWORDS and (len(w) > 1 or w.isdigit()))


def without_possessive(word: str) -> str:
    """Example: ``without_possessive("Acme's")`` -> 'Acme'; ``without_possessive("Jones'")`` -> 'Jones'."""
    for ending in ("'s", "’s", "'", "’"):
        if word.endswith(ending):
            return word[:-len(ending)]
    return word


def single_spaced(text: str) -> str:
    """Runs of spaces and tabs as one space, line breaks kept. Example: ``single_spaced("a  b\t c")`` -> 'a b c'."""
    return re.sub(r"[ \t]{2,}", " ", text)


def close_punctuation(text: str) -> str:
    """No space before punctuation. Example: ``close_punctuation("a b , c .")`` -> 'a b, c.'."""
    return _SPACE_BEFORE_PUNCTUATION.sub(r"\1", text)


def has_digit(text: str) -> bool:
    """Example: ``has_digit("in 2024")`` -> True."""
    return any(ch.isdecimal() for ch in text)


def has_words(text: str, n: int = 2) -> bool:
    """Whether ``text`` holds at least ``n`` words of three letters or more (what is left of a question after
    its frame or names are taken out is still a question). Example: ``has_words("the started?")`` -> True."""
    return sum(1 for run in LETTERS.findall(text) if len(run) >= 3) >= n
