"""The check stage (rag.answering.check): what is no answer, and a check that can fail."""
import pytest

from rag.answering.check import check_answer, not_an_answer
from rag.errors import IndexCorrupt
from rag.types import Answer, Citation, Sentence

FILE = "Harbor Gazette\n\nThe ferry line reopened on Monday after repairs. Tickets cost 4 euros.\n"


@pytest.mark.parametrize("sentence, question, why", [
    ("Why did the ferry stop?", "When did the ferry reopen?", "a question"),
    ("“Can the team recover?”", "Who coaches the team?", "a question"),
    ("Ferry Line Reopens After Repairs", "When did the ferry reopen?", "a headline"),
    ("Home | Sport | Business | Weather", "Who won the match?", "a headline"),
    ("The ferry reopened.", "When did the ferry reopen?", "restates the question"),
    ("The ferry line reopened on Monday after repairs.", "When did the ferry reopen?", ""),
    ("Tickets cost 4 euros.", "How much do tickets cost?", ""),  # a figure is something of its own
    ("wheat, barley and oats", "Which crops did the farm grow?", ""),  # a list item states something
    ("The museum is closed.", "Is the museum closed?", ""),  # to a yes/no question a restatement may answer
    ("2024-05-02", "When did the pier reopen?", "no words"),  # a date line alone
    ("* * *", "What happened at the pier?", "no words"),  # a section rule
])
def test_not_an_answer(sentence, question, why):
    assert not_an_answer(sentence, question) == why


def _answer(sentence: str, quote_start: int, quote_end: int) -> Answer:
    quote = FILE[quote_start:quote_end]
    citation = Citation(1, "gazette.txt", "/x/gazette.txt", quote_start, quote_end, quote)
    return Answer("When did the ferry reopen?", sentence + "[1]", False, (citation,),
                  (Sentence(sentence, (1,), 1.0, True),))


def test_a_verbatim_quote_is_supported_by_the_learned_model():
    start = FILE.index("The ferry")
    end = FILE.index("repairs.") + len("repairs.")
    checked, found = check_answer(_answer(FILE[start:end], start, end), {"gazette.txt": FILE}.__getitem__, 0.5)
    assert checked.sentences[0].supported and 0.5 <= checked.sentences[0].support <= 1.0
    assert found[0].problem == ""


def test_a_headline_quoted_as_an_answer_fails_the_check():
    start, end = 0, len("Harbor Gazette")
    checked, found = check_answer(_answer("Harbor Gazette", start, end), {"gazette.txt": FILE}.__getitem__, 0.5)
    assert not checked.sentences[0].supported and found[0].problem == "a headline"


def test_a_quote_that_is_not_the_file_text_at_its_offsets_is_refused():
    start = FILE.index("Tickets")
    shifted = Citation(1, "gazette.txt", "/x/gazette.txt", start + 1, start + 22, "Tickets cost 4 euros.")
    answer = Answer("How much?", "Tickets cost 4 euros.[1]", False, (shifted,),
                    (Sentence("Tickets cost 4 euros.", (1,), 1.0, True),))
    with pytest.raises(IndexCorrupt):
        check_answer(answer, {"gazette.txt": FILE}.__getitem__, 0.5)


def test_an_abstention_passes_unchanged():
    declined = Answer("Who?", "The corpus does not say.", True)
    assert check_answer(declined, {}.__getitem__, 0.5) == (declined, [])


def _verdict_answer(text: str, support: float, cited: bool = True) -> Answer:
    start = FILE.index("The ferry")
    end = FILE.index("repairs.") + len("repairs.")
    citation = Citation(1, "gazette.txt", "/x/gazette.txt", start, end, FILE[start:end])
    verdict = Sentence(text, (1,) if cited else (), support, support >= 0.5, "verdict")
    quote = Sentence(FILE[start:end], (1,), 1.0, True)
    return Answer("Did the ferry line reopen?", f"{text} {FILE[start:end]}[1]", False, (citation,), (verdict, quote))


def test_a_verdict_keeps_the_support_its_claims_checks_found():
    # Read against the quote, "Yes: the articles state it." scores near 0 (its words state nothing); the check
    # keeps what the checks of its claims found instead, both ways, and a verdict citing nothing fails.
    texts = {"gazette.txt": FILE}.__getitem__
    checked, found = check_answer(_verdict_answer("Yes: the articles state it.", 0.83), texts, 0.5)
    assert checked.sentences[0].support == 0.83 and checked.sentences[0].supported and found[0].problem == ""
    assert checked.sentences[1].supported  # the quote is still checked as a quote
    checked, _ = check_answer(_verdict_answer("Yes, on balance: the articles do not state it outright.", 0.0),
                              texts, 0.5)
    assert not checked.sentences[0].supported
    checked, found = check_answer(_verdict_answer("The articles do not settle it.", 0.9, cited=False), texts, 0.5)
    assert not checked.sentences[0].supported and found[0].problem == "cites nothing"
