"""Pure readers of claims: the numbers and names a text states, how well a passage's words support it, the
spans a quote may take, and the text without its citation markers (rag.answering.citations numbers them)."""
from __future__ import annotations

import functools
import re

from rag.names import name_runs
from rag.readers.llm_markers import BOXED
from rag.textspans import STOPWORDS, content_terms, sentence_spans, words
from rag.types import Span
from rag.tuning import TUNING
from rag.language import NUMBER_WORDS as _NUMBER_WORDS

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def strip_markers(text: str) -> str:
    """The text without its citation markers. Example: ``strip_markers("Sales rose 5% [1][2].")`` -> 'Sales rose 5%.'."""
    # A marker is what rag.readers.llm_markers reads as one ([1], [1, 2], [1;2], [1-3], [Source 2], [^2], ...);
    # the spaces before it go with it.
    kept, last = [], 0
    for marker in BOXED.finditer(text):
        kept.append(text[last:marker.start()].rstrip())
        last = marker.end()
    return "".join(kept) + text[last:]


def has_words(text: str) -> bool:
    """Whether a text has any letter or digit (a sentence, not a stray marker).

    Example: ``has_words(" .")`` -> False.
    """
    return any(ch.isalnum() for ch in text)


def numbers(text: str, spelled: bool = False) -> set[str]:
    """Numbers in a text, normalised (thousands commas and leading zeros dropped); with ``spelled``, also
    "two".."twelve" as digits.

    Example: ``numbers("58% and 2,600 on 2026-01-06")`` -> {'58', '2600', '2026', '1', '6'}.
    """
    return set(_numbers(text, spelled))


def _without_leading_zeros(number: str) -> str:
    """Example: ``_without_leading_zeros("007")`` -> '7'; "0.5" and "0" stay as they are."""
    stripped = number.lstrip("0")
    return stripped if stripped[:1].isdecimal() else "0" + stripped


@functools.lru_cache(maxsize=8192)  # the answerer checks each candidate sentence's numbers several times
def _numbers(text: str, spelled: bool) -> frozenset[str]:
    found = {_without_leading_zeros(n.replace(",", "")) for n in _NUMBER.findall(text)}
    if spelled:
        found |= {_NUMBER_WORDS[w] for w in words(text) if w in _NUMBER_WORDS}
    return frozenset(found)


def token_support(claim: str, passage: str) -> float:
    """Share of the claim's content words found in the passage.

    Example: ``token_support("red fox", "a red fox")`` -> 1.0.
    """
    claim_terms = set(content_terms(claim))
    if not claim_terms:
        return 0.0
    return len(claim_terms & set(content_terms(passage))) / len(claim_terms)


# A claim stating a number its passage lacks keeps at most TUNING.number_mismatch_factor (40%) of its score: even
# a perfect paraphrase (1.0) then lands below the default bar (0.5), so a wrong figure is never "supported".
NUMBER_MISMATCH_FACTOR = TUNING.number_mismatch_factor


def support_score(claim: str, passage: str, cosine: float) -> float:
    """How well ``passage`` supports ``claim``: half embedding cosine, half content-word containment, times
    NUMBER_MISMATCH_FACTOR when the claim states a number the passage does not contain (spelled-out numbers
    in the passage count: "seven" matches 7).

    Example: ``support_score("Sales rose 5%", "Sales rose 5% in May", 0.9)`` -> 0.95.
    """
    score = 0.5 * max(0.0, cosine) + 0.5 * token_support(claim, passage)
    if numbers(claim) - numbers(passage, spelled=True):
        score *= NUMBER_MISMATCH_FACTOR
    return score


def names(text: str) -> set[str]:
    """Runs of capitalised words after a text's first word (people, places, firms, acronyms), case-folded,
    possessive dropped.

    Example: ``names("The club's coach is Ann Berg, not the FIFA chief.")`` -> {'ann berg', 'fifa'}.
    """
    return set(_names_of(text))


@functools.lru_cache(maxsize=4096)  # the check reads each quoted sentence and its passage again per answer
def _names_of(text: str) -> frozenset[str]:
    found = set()
    for name, start, _ in name_runs(text, parts=True):
        run: list[str] = []
        for i, word in enumerate(name.split() + [""]):  # a stopword or the text's first word ends a name
            if word and word.casefold() not in STOPWORDS and (i > 0 or text[:start].strip()):
                run.append(word.casefold())
            elif run:
                found.add(" ".join(run))
                run = []
    return frozenset(found)


def missing_names(claim: str, passage: str) -> set[str]:
    """Names of the claim that the passage never mentions. A name is mentioned when any of its words is
    (Curie ~ Marie Curie), and a shared 4-letter prefix counts (Canada ~ Canadian).

    Example: ``missing_names("The coach is Tom Hale", "Head coach Ann Berg")``
    -> {'tom hale'}.
    """
    prefixes = {w[:4] for w in words(passage)}
    return {n for n in names(claim) if not any(w[:4] in prefixes for w in words(n))}


def claim_support(claim: str, passage: str, cosine: float) -> float:
    """``support_score`` for a generated claim, which may also get a name wrong: a claim naming someone or
    something the passage never mentions is cut by the same factor as a wrong number.

    Example: ``claim_support("The coach is Tom Hale", "Coach Tom Hale spoke", 0.8)`` -> 0.9.
    """
    score = support_score(claim, passage, cosine)
    if missing_names(claim, passage):
        score *= NUMBER_MISMATCH_FACTOR
    return score


def quote_spans(text: str, start: int, end: int) -> list[Span]:
    """Candidate quote spans inside ``text[start:end]``: each sentence, and each pair of adjacent sentences on
    the same line (a claim often joins a sentence and the one after it). Offsets are absolute.

    Example: ``quote_spans("Ann ran. Bob sat.\\nCal ate.", 0, 26)``
    -> [Span(0, 8), Span(9, 17), Span(18, 26), Span(0, 17)].
    """
    sentences = sentence_spans(text, start, end)
    pairs = [Span(a.start, b.end) for a, b in zip(sentences, sentences[1:]) if "\n" not in text[a.end:b.start]]
    return sentences + pairs or [Span(start, end)]
