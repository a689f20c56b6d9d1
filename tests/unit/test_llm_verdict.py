"""The checked verdict leads a generated yes/no answer (rag.answering.llm_verdict), on invented texts."""
from rag.answering.llm_verdict import disagreement_notice, opening_word, verdict_lead, without_opening_word
from rag.answering.citations import Numbering
from rag.types import Answer, Citation, Sentence


def test_the_opening_word_is_a_whole_yes_or_no():
    assert opening_word("Yes, the library reopened in March.") == "yes"
    assert opening_word("No. The orchard was sold.") == "no"
    assert opening_word("No: the vote was postponed.") == "no"
    assert opening_word("Nobody claimed the prize.") is None
    assert opening_word("Yesterday the ferry ran late.") is None
    assert opening_word("") is None


def test_the_opening_word_is_taken_off_and_the_rest_capitalised():
    assert without_opening_word("Yes, the library reopened in March.") == "The library reopened in March."
    assert without_opening_word("No. the orchard was sold.") == "The orchard was sold."
    assert without_opening_word("Yes.") == ""
    assert without_opening_word("The pier was rebuilt.") == "The pier was rebuilt."


def _cite(marker: int, source: str, start: int) -> Citation:
    return Citation(marker, source, f"/tmp/{source}", start, start + 10, "x" * 10)


def test_the_reference_verdict_is_cited_in_the_answers_numbering():
    reference = Answer("Did the mill close?", "", False,
                       citations=(_cite(1, "mill.txt", 0), _cite(2, "town.txt", 40)),
                       sentences=(Sentence("No: the articles state otherwise.", (2,), 0.8, True, "verdict"),
                                  Sentence("The mill hired staff.", (1,), 0.9, True)))
    numbering = Numbering([_cite(1, "mill.txt", 0)])
    lead, word = verdict_lead(reference, numbering)
    assert word == "no" and lead.label == "verdict" and lead.citations == (2,)
    assert [(c.source, c.marker) for c in numbering.citations] == [("mill.txt", 1), ("town.txt", 2)]
    unsettled = Answer("Did the mill close?", "", False, citations=(_cite(1, "mill.txt", 0),),
                       sentences=(Sentence("The articles do not settle whether the mill closed.", (), 0.0, True,
                                           "verdict"),))
    assert verdict_lead(unsettled, Numbering())[1] is None
    assert verdict_lead(Answer("q", "", True), Numbering()) == (None, None)
    assert verdict_lead(None, Numbering()) == (None, None)


def test_a_notice_only_when_the_model_said_otherwise():
    assert disagreement_notice("yes", "yes") == ""
    assert disagreement_notice(None, "no") == ""
    assert '"Yes"' in disagreement_notice("yes", "no") and '"No"' in disagreement_notice("yes", "no")
    assert "does not settle" in disagreement_notice("no", None)
