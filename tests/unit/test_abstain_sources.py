"""Pure abstention signal on tiny questions in several domains: a source the question attributes a statement to,
which no file connects with the question's subject, means the corpus does not hold that report."""
from rag.answering.abstain import attributed_sources, sources_silent_on_subject


def test_sources_are_told_apart_from_the_subject_by_how_english_attributes():
    assert attributed_sources("Did a Herald article on Acme say Bolt sued?") == (["Herald"], ["Acme", "Bolt"])
    assert attributed_sources("What did Wilson score, according to the Daily Post and a Gazette report?") == \
        (["Daily Post", "Gazette"], ["Wilson"])
    # Coordinated mastheads ("in Ledger and Courier articles") are both sources.
    assert attributed_sources("Which film, featured in Ledger and Courier articles, won?") == \
        (["Ledger", "Courier"], [])


def test_a_question_is_declined_only_when_every_source_is_silent_on_its_subject():
    files = {"Herald": frozenset({"h1", "h2"}), "Gazette": frozenset({"g1"}), "Acme": frozenset({"a1", "h2"}),
             "Wilson": frozenset({"w1"})}.get
    # The Herald wrote about Acme (h2): answerable, even if the Gazette covered another part of the question.
    assert sources_silent_on_subject("What did a Herald report and a Gazette piece say about Acme?", files) == []
    # Neither newspaper's files name the footballer: that report is not in the corpus.
    assert sources_silent_on_subject("How many goals did Wilson score, according to a Herald report and a "
                                     "Gazette piece?", files) == ["Herald", "Gazette"]
    # A source no file names at all is left to the missing-entity signal; no subject, nothing to connect.
    assert sources_silent_on_subject("What did a Tribune story say about Wilson?", files) == []
    assert sources_silent_on_subject("What did a Herald report say about prices?", files) == []
