"""Questions that name a source, a day or a company, on a small news corpus written here (real model, real
ingest): a named day's files are preferred, a report the corpus does not hold (no masthead of the source names
the subject, or no file is by that publication) is declined, and so is a company whose words never meet."""
from __future__ import annotations

import pytest

from tests.conftest import small_corpus

ARTICLES = {
    # Two papers on one strike: the Herald's on the 7th, the Gazette's on the 8th.
    "herald_strike.txt": "Crews back at work after pay deal\n2023-10-07\nMara Quint, Harbor Herald\n\n"
                         "The ferry crews of Port Anselm returned to work on Friday after the operator agreed to a "
                         "six percent pay rise, ending a strike that had lasted nine days.\n",
    "gazette_strike.txt": "Ferries sail again in Port Anselm\n2023-10-08\nTom Ridley, North Gazette\n\n"
                          "The ferry crews of Port Anselm went back to work after the operator agreed to a pay rise, "
                          "ending a strike of nine days, union leaders said.\n",
    # The Gazette on a violinist; the Herald never writes about her.
    "gazette_violin.txt": "A violinist's autumn tour\n2023-10-09\nTom Ridley, North Gazette\n\n"
                          "The violinist Tessaly Pemberton will tour the northern towns in the autumn, her agent "
                          "said.\n",
    # "Analytics" and "Anselm" occur, never together; the Lantern Times is quoted but heads no file.
    "herald_data.txt": "Council buys analytics software\n2023-10-10\nMara Quint, Harbor Herald\n\n"
                       "The council bought analytics software to plan bus routes, as the Lantern Times had "
                       "predicted.\n",
}


@pytest.fixture(scope="module")
def assistant(tmp_path_factory, embedder):
    return small_corpus(tmp_path_factory.mktemp("named_sources"), ARTICLES, embedder)[1]


def test_a_named_day_prefers_the_files_dated_that_day(assistant):
    from rag.filters import Filters
    from rag.tuning import TUNING

    def lead(question):  # how far the Herald's strike story (7 October) is ahead of the Gazette's (8 October)
        scores = {h.chunk.source: h.score for h in assistant._retrieve(question, 4, Filters())}
        return scores["herald_strike.txt"] - scores["gazette_strike.txt"]

    # The two questions differ only in the day: each lifts its own day's story.
    seventh = lead("Why did the ferry strike end, in the report published on October 7, 2023?")
    eighth = lead("Why did the ferry strike end, in the report published on October 8, 2023?")
    assert seventh - eighth > TUNING.date_boost
    # The masthead is the lines above the first blank line: the Gazette's pages never make it a Herald file.
    assert assistant.names.mastheads_mentioning("Harbor Herald") == frozenset({"herald_strike.txt",
                                                                               "herald_data.txt"})


def test_a_report_the_corpus_does_not_hold_is_declined_and_one_it_holds_is_answered(assistant):
    declined = assistant.ask("What did a Harbor Herald report say about Tessaly Pemberton's tour?")
    assert declined.abstained, declined.answer
    assert "Harbor Herald" in declined.answer
    answered = assistant.ask("What did a North Gazette report say about Tessaly Pemberton's tour?")
    assert not answered.abstained, answered.answer
    assert "gazette_violin.txt" in {c.source for c in answered.citations}


def test_a_company_whose_words_never_meet_is_declined(assistant):
    declined = assistant.ask("Who founded Anselm Analytics?")
    assert declined.abstained and "Anselm Analytics" in declined.answer, declined.answer


def test_an_article_by_a_publication_no_masthead_names_is_declined(assistant):
    # The Lantern Times is quoted in a Herald story but heads no file: the corpus holds none of its articles.
    declined = assistant.ask("Why did the ferry crews end their strike, according to a Lantern Times article?")
    assert declined.abstained and "Lantern Times" in declined.answer, declined.answer
    answered = assistant.ask("Why did the ferry crews end their strike, according to a North Gazette article?")
    assert not answered.abstained, answered.answer
