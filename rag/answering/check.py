"""The check stage: every answer, from any answerer, passes here before anyone sees it, and it can fail.

For each sentence of an answer:
- every citation must quote its file exactly (``quote == text[start:end]``): a citation that does not is an
  index out of step with its files (IndexCorrupt), never shown;
- the sentence must be answer material: not a question, not a headline or menu line, not a restatement of the
  question that adds no word of its own (``not_an_answer``); such a sentence is marked unsupported and named in
  the trace (the candidates stage already keeps them out of extractive answers: this is the guarantee);
- its support is rag.support's learned score of the sentence against its cited passages; a yes/no verdict's is
  what the checks of its claims found (rag.answering.shaped.yesno.verdict_support), since its words ("Yes: the
  articles state it.") state nothing a quote could.

Example: ``not_an_answer("What did the club decide?", "What did the club decide?")`` -> 'a question'.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from typing import Callable

from rag.answering.grounding import plain
from rag.answering.shapes import _WH_CLAUSE as WH_QUESTION  # a question opening with a wh-word: .match
from rag.errors import IndexCorrupt
from rag.shape_layout import VERDICT
from rag.support import check as support_check
from rag.textspans import LETTER_WORD, content_terms, has_digit
from rag.types import Answer, Sentence, field_values

_CLOSERS = "\"'”’»)]"
# How the composers (rag.answering.compose, shaped.comparison) open a sentence reporting the sources in their own
# words; is_report recognises exactly these.
SOURCES_DIFFER = "The sources differ"
ONE_SOURCE_SAYS = "One source says"
MINORITY_SAY = "A minority of sources say"
_QUOTED = re.compile(r"[“\"](.+)[”\"]\s*$", re.S)
# A restatement is no answer to a wh-question; to a yes/no question ("Did the club move?") it may be the answer.


def is_report(text: str) -> bool:
    """Whether an answer sentence reports the sources' disagreement in the answerer's own words rather than
    quoting. Example: ``is_report("One source says: 12 ferries.")`` -> True."""
    return text.startswith((SOURCES_DIFFER, ONE_SOURCE_SAYS, MINORITY_SAY))


def not_an_answer(sentence: str, question: str) -> str:
    """Why ``sentence`` cannot answer ``question`` ("a question", "a headline", "no words", "restates the
    question"), or "".

    Examples: ``not_an_answer("Rail Strike Ends", "Why did the strike end?")`` -> 'a headline';
    ``not_an_answer("The strike ended on Monday.", "When did the strike end?")`` -> ''.
    """
    text = " ".join(sentence.split())
    problem, has_words = _form_problem(text)
    if problem:
        return problem
    own = set(content_terms(text)) - set(content_terms(question))
    if has_words and not own and not has_digit(text) and WH_QUESTION.match(question):
        return "restates the question"
    return ""


@functools.lru_cache(maxsize=8192)  # every question reads its candidates' form again
def _form_problem(text: str) -> tuple[str, bool]:
    # What the sentence's form alone says (empty, a question, a headline), and whether it has words.
    if not text:
        return "empty", False
    if text.rstrip(_CLOSERS).endswith("?"):
        return "a question", False
    words = LETTER_WORD.findall(text)
    if not words:  # a date line, a bare figure or a rule ("2024-05-02", "1,200", "***") says nothing by itself
        return "no words", False
    ends = text.rstrip(_CLOSERS)[-1:] in ".!;:"
    if not ends and words:
        capitalised = sum(1 for w in words if w[0].isupper())
        # A line without a full stop whose words are mostly capitalised is a title, a menu or a byline; a
        # lowercase list item ("wheat, barley and oats") without one still states something.
        if capitalised / len(words) >= 0.6 or "|" in text:
            return "a headline", True
    return "", bool(words)


@dataclass(frozen=True)
class SentenceCheck:
    """What the check found for one sentence: its support, and why it is not an answer ("" when it is)."""

    text: str
    support: float
    supported: bool
    problem: str = ""

    def to_json(self) -> dict:
        return field_values(self)


def check_answer(answer: Answer, document_text: Callable[[str], str], threshold: float,
                 embedder=None) -> tuple[Answer, list[SentenceCheck]]:
    """The answer with each sentence's support and ``supported`` recomputed here, and what was found.

    ``document_text(source)`` gives the exact text citations index into. Raises IndexCorrupt when a quote is
    not its file's text at its offsets.
    """
    if answer.abstained:
        return answer, []
    by_marker = {}
    for citation in answer.citations:
        text = document_text(citation.source)
        if text[citation.start:citation.end] != citation.quote:
            raise IndexCorrupt(f"a citation of {citation.source} does not match the file at "
                               f"{citation.start}-{citation.end}; run `rag ingest` again")
        by_marker[citation.marker] = citation.quote
    sentences, found = [], []
    for sentence in answer.sentences:
        result = _check_sentence(sentence, answer.standalone_question or answer.question, by_marker, threshold,
                                 embedder)
        found.append(result)
        sentences.append(replace(sentence, support=result.support, supported=result.supported))
    return replace(answer, sentences=tuple(sentences)), found


def _check_sentence(sentence: Sentence, question: str, quotes: dict[int, str], threshold: float,
                    embedder) -> SentenceCheck:
    if is_report(sentence.text) and not _QUOTED.search(sentence.text):
        # The disagreement opening names values, not a claim: compose computed the share of its values that
        # really are in a passage cited for them, and that share is its support.
        return SentenceCheck(sentence.text, sentence.support, sentence.supported)
    if sentence.label == VERDICT:
        # A yes/no verdict ("Yes: the articles state it.") is a judgement over its claims, each already checked
        # by rag.support against the passages (rag.answering.shaped.yesno.verdict_support): its own words state
        # nothing a quote could, so reading them against the quotes would measure nothing (0.02 for a verdict
        # every claim of which was supported).
        return SentenceCheck(sentence.text, sentence.support, sentence.support >= threshold and
                             bool(sentence.citations), "" if sentence.citations else "cites nothing")
    claim = _claim_of(sentence.text)
    problem = not_an_answer(claim, question) if not is_report(sentence.text) else ""
    # What the check reads has its symbols as spaces (grounding.plain: "▲tin" is one unknown word-piece token).
    evidence = [plain(quotes[m]) for m in sentence.citations if m in quotes]
    if not evidence:
        return SentenceCheck(sentence.text, 0.0, False, problem or "cites nothing")
    # The cited passages first, then the answer's other passages: a written sentence often names its subject
    # from a neighbouring passage ("Its shares rose 8%" cited, "Acme" stated in another). A verbatim quote is
    # checked against itself (support.check knows its measures without the model).
    others = [plain(q) for m, q in quotes.items() if m not in sentence.citations]
    claim = plain(claim)
    result = support_check(claim, evidence, embedder, threshold)
    if not result.supported and others:
        result = max(result, support_check(claim, evidence + others, embedder, threshold), key=lambda r: r.score)
    return SentenceCheck(sentence.text, result.score, result.supported and not problem, problem)


def _claim_of(text: str) -> str:
    """The claim a sentence makes: a minority report's quotation is its claim."""
    match = _QUOTED.search(text) if is_report(text) else None
    return match.group(1) if match else text
