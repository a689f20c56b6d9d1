"""The files a question prefers (named as its sources, or dated on a day it names) and their bonuses."""


def test_a_file_both_named_and_dated_by_the_question_gains_both_bonuses():
    from rag.retrieval import DATE_BOOST, SOURCE_BOOST, preference

    bonus = preference(frozenset({"herald-match.txt", "herald-budget.txt"}), frozenset({"herald-match.txt",
                                                                                      "gazette-film.txt"}))
    assert bonus == {"herald-match.txt": SOURCE_BOOST + DATE_BOOST, "herald-budget.txt": SOURCE_BOOST,
                     "gazette-film.txt": DATE_BOOST}
    assert preference(frozenset(), frozenset()) == {}
