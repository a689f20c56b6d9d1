"""The quotes under a generated answer and the prompt order they give (rag.answering.llm_quotes), on tiny
invented answers: citations merged into one numbering, a quote the model already wrote (nearly word for word) left out, a shaped
answer's quoted sentences read first."""
from __future__ import annotations

from dataclasses import dataclass

from rag.answering.llm_quotes import quoted_first, quoted_sentences, restates
from rag.answering.citations import Numbering
from rag.types import Answer, Chunk, Citation, Sentence

TEXT = "The dam opened in 1931. Floods stopped the next spring. Farmers planted rice again."


def _cite(marker: int, quote: str, source: str = "dam.txt") -> Citation:
    start = TEXT.index(quote)
    return Citation(marker, source, f"/docs/{source}", start, start + len(quote), quote)


@dataclass
class _Cand:
    chunk: Chunk
    start: int
    end: int
    text: str
    score: float


def _cand(quote: str, score: float) -> _Cand:
    start = TEXT.index(quote)
    return _Cand(Chunk("c1", "dam.txt", "/docs/dam.txt", 0, len(TEXT), TEXT), start, start + len(quote), quote, score)


def test_quotes_join_the_generated_numbering_and_skip_what_was_said_and_the_verdict():
    opened, floods, rice = (_cite(1, "The dam opened in 1931."), _cite(2, "Floods stopped the next spring."),
                            _cite(3, "Farmers planted rice again."))
    reference = Answer("q?", "x", False, (opened, floods, rice),
                       (Sentence("Yes: both claims hold.", (1,), 1.0, True, "verdict"),
                        Sentence("The dam opened in 1931.", (1,), 1.0, True),
                        Sentence("Floods stopped the next spring.", (2,), 1.0, True),
                        Sentence("Farmers planted rice again.", (3,), 1.0, True)))
    generated = [Sentence("The dam opened in  1931.", (1,), 0.9, True)]
    numbering = Numbering([_cite(1, "Floods stopped the next spring.")])  # the model cited the floods as [1]
    quotes = quoted_sentences(reference, numbering, generated)
    assert [q.text for q in quotes] == ["Floods stopped the next spring.", "Farmers planted rice again."]
    assert [q.citations for q in quotes] == [(1,), (2,)] and all(q.label == "quoted" for q in quotes)
    assert [c.quote for c in numbering.citations] == ["Floods stopped the next spring.", "Farmers planted rice again."]


def test_a_declined_reference_gives_no_quotes():
    numbering = Numbering([])
    assert quoted_sentences(Answer("q?", "No.", True), numbering, []) == [] and numbering.citations == []
    assert quoted_sentences(None, numbering, []) == []


def test_the_reference_quotes_lead_the_ranking_in_its_order():
    ranked = [_cand("The dam opened in 1931.", 0.9), _cand("Floods stopped the next spring.", 0.5),
              _cand("Farmers planted rice again.", 0.1)]
    cites = (_cite(1, "Farmers planted rice again."), _cite(2, "Floods stopped the next spring."))
    reference = Answer("q?", "x", False, cites,
                       (Sentence("Farmers planted rice again.", (1,), 1.0, True),
                        Sentence("Floods stopped the next spring.", (2,), 1.0, True)))
    order = [r.text for r in quoted_first(ranked, reference)]
    assert order == ["Farmers planted rice again.", "Floods stopped the next spring.", "The dam opened in 1931."]


def test_a_copy_with_other_quote_marks_restates_the_quote():
    assert restates("The mayor said 'the bridge stays shut' until May.",
                    'The mayor said "the bridge stays shut" until May.')


def test_a_copy_missing_one_bracketed_word_restates_the_quote():
    assert restates("The league (NBL) fined the club for late wages, its statement said.",
                    "The league fined the club for late wages, its statement said.")


def test_a_sentence_on_the_same_subject_does_not_restate_it():
    assert not restates("The club was fined.", "The league fined the club for late wages, its statement said.")
    assert not restates("Harvests fell in the north.", "Rainfall in the north was half the usual, farmers said.")


def test_an_empty_quote_is_never_restated():
    assert not restates("Anything at all.", "")


def _answer_of(*texts: str) -> Answer:
    citations = tuple(Citation(i + 1, "a.txt", "/tmp/a.txt", 10 * i, 10 * i + len(t), t) for i, t in enumerate(texts))
    sentences = tuple(Sentence(t, (i + 1,), 1.0, True) for i, t in enumerate(texts))
    return Answer("x", " ".join(texts), False, citations, sentences)


def test_only_the_quotes_not_already_said_are_listed_under_the_answer():
    reference = _answer_of("Vaccination rates rose to 91% in the county last year.", "Two clinics opened in spring.")
    generated = [Sentence("Vaccination rates rose to 91 % in the county last year.", (1,), 1.0, True)]
    quotes = quoted_sentences(reference, Numbering(), generated)
    assert [q.text for q in quotes] == ["Two clinics opened in spring."]
    assert quotes[0].label == "quoted"
