"""A source the question names is taken out of the query text (retrieval prefers that source's files instead),
tested on tiny questions in several domains."""
from rag.retrieval import without_names


def test_named_sources_leave_the_query_with_their_article_quotes_and_possessive():
    # Business.
    assert without_names("What did the Courier's story say about Acme?", ["Courier"]).split() == \
        ["What", "did", "story", "say", "about", "Acme?"]
    # Sport, a quoted masthead of two words.
    assert without_names("Does 'Daily Post' report that Wilson scored?", ["Daily Post"]).split() == \
        ["Does", "report", "that", "Wilson", "scored?"]
    # Film: a name the question does not attribute is kept, and so is a longer word containing the source's name.
    assert without_names("Which film did Reelnews and the Reelnewsletter review?", ["Reelnews"]).split() == \
        ["Which", "film", "did", "and", "the", "Reelnewsletter", "review?"]


def test_a_file_both_named_and_dated_by_the_question_gains_both_bonuses():
    from rag.retrieval import DATE_BOOST, SOURCE_BOOST, preference

    bonus = preference(frozenset({"herald-match.txt", "herald-budget.txt"}), frozenset({"herald-match.txt",
                                                                                      "gazette-film.txt"}))
    assert bonus == {"herald-match.txt": SOURCE_BOOST + DATE_BOOST, "herald-budget.txt": SOURCE_BOOST,
                     "gazette-film.txt": DATE_BOOST}
    assert preference(frozenset(), frozenset()) == {}
