"""rag.readers.polarity: a negation's scope, a quote's polarity against a claim, and whether a quote is about the
claim, on tiny invented sentences in several domains."""
from __future__ import annotations

import pytest

from rag.readers.polarity import about, about_share, clauses, negated_terms, polarity_differs


def test_clauses_cut_at_punctuation_and_before_a_clause_word():
    assert clauses("The bridge stayed shut, and the ferry did not run because the river froze") == \
        ["The bridge stayed shut", "and the ferry did not run", "because the river froze"]
    assert clauses("Rain fell") == ["Rain fell"]


@pytest.mark.parametrize("claim, quote, differs", [
    ("the report named the new owner", "The report did not name the new owner.", True),
    ("the report named the new owner", "The report named the new owner.", False),
    # Two negations in one clause assert: "no one can ... without X" says X is needed.
    ("the climb requires a guide", "No one can make the climb without a guide.", False),
    # A negation does not reach past its clause: the second one negates another clause, not the first again.
    ("the chef was offered a second restaurant", "The chef was never offered a second restaurant since the owners "
     "would not expand.", True),
    ("the orchestra signed a new conductor", "The orchestra has not signed a new conductor, though talks did not "
     "stop.", True),
    # ... and a claim that denies is denied back by a quote that asserts.
    ("the vaccine was not approved in spring", "The vaccine was approved in spring.", True),
])
def test_polarity_differs(claim, quote, differs):
    assert polarity_differs(claim, quote) is differs


def test_negated_terms_within_reach_of_their_negation():
    assert negated_terms("The league did not fine the club this season.") >= {"fine", "club"}
    assert "season" not in negated_terms("Nobody objected; the league did not fine the club after the long season.")
    assert negated_terms("The club paid the fine.") == set()


def test_about():
    assert about("the ferry resumed in May", "The ferry service resumed.")
    assert not about("the ferry resumed in May", "The bakery won an award.")
    assert about_share("the ferry resumed in June", "The ferry service resumed.") == pytest.approx(2 / 3)
    assert about_share("the ferry resumed in May", "The bakery won an award.") == 0.0
