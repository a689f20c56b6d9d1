"""The layout shared by the chat and the memo: which sentences a shaped answer shows where, and dates in words."""
from __future__ import annotations

from rag.shape_layout import date_words, layout, source_citation
from rag.types import Answer, Citation, Sentence


def _s(text: str, label: str = "", marker: int = 1) -> Sentence:
    return Sentence(text, (marker,), 1.0, True, label)


def test_plain_shapes_and_unlabelled_answers_have_no_layout():
    sentences = (_s("The striker scored twice."), _s("The club won the cup."))
    assert layout(Answer("q?", "x", False, sentences=sentences)) is None  # shape "fact"
    for shape in ("list", "reason", "reaction", "summary"):
        assert layout(Answer("q?", "x", False, sentences=(_s("A.", "2024-01-02"),), shape=shape)) is None
    # an answerer that does not label its sentences: running text, whatever the shape says
    assert layout(Answer("q?", "x", False, sentences=sentences, shape="timeline")) is None
    assert layout(Answer("q?", "x", False, sentences=sentences, shape="yesno")) is None
    labelled = (_s("Filming began.", "2023-04"),)
    assert layout(Answer("q?", "x", True, sentences=labelled, shape="timeline")) is None  # abstained


def test_timeline_keeps_the_answer_order_and_merges_a_repeated_date_only_when_adjacent():
    sentences = (_s("The season at a glance."), _s("The team signed a new coach.", "2024-01-15"),
                 _s("The coach named a captain.", "2024-01-15"), _s("The opening race was won.", "2024-03"),
                 _s("A second signing followed.", "2024-01-15"), _s("Two events had no date."))
    shaped = layout(Answer("q?", "x", False, sentences=sentences, shape="timeline"))
    assert shaped.shape == "timeline"
    assert [s.text for s in shaped.intro] == ["The season at a glance."]
    assert [(g.label, len(g.sentences)) for g in shaped.groups] == [("2024-01-15", 2), ("2024-03", 1),
                                                                     ("2024-01-15", 1)]
    assert [s.text for s in shaped.outro] == ["Two events had no date."]


def test_comparison_groups_each_source_once_in_order_of_first_appearance():
    sentences = (_s("The premiere drew praise.", "review_b.txt"), _s("A critic called it slow.", "review_a.txt"),
                 _s("Another line on the score.", "review_b.txt"), _s("Both agree on the cast."))
    shaped = layout(Answer("q?", "x", False, sentences=sentences, shape="comparison"))
    assert [g.label for g in shaped.groups] == ["review_b.txt", "review_a.txt"]
    assert [s.text for s in shaped.groups[0].sentences] == ["The premiere drew praise.", "Another line on the score."]
    assert shaped.intro == () and [s.text for s in shaped.outro] == ["Both agree on the cast."]


def test_yes_no_puts_the_verdict_first_even_when_the_answerer_did_not():
    sentences = (_s("The telescope saw first light in May."), _s("Yes: both claims hold.", "verdict"),
                 _s("The merger closed in June."))
    shaped = layout(Answer("q?", "x", False, sentences=sentences, shape="yesno"))
    assert [g.label for g in shaped.groups] == ["verdict"]
    assert shaped.groups[0].sentences[0].text == "Yes: both claims hold."
    assert [s.text for s in shaped.outro] == ["The telescope saw first light in May.", "The merger closed in June."]


def test_date_words_reads_full_and_partial_iso_dates_and_leaves_anything_else():
    assert date_words("2024-05-07") == "7 May 2024"
    assert date_words("2024-12") == "December 2024"
    assert date_words("1998") == "1998"
    for other in ("2024-13", "2023-02-29", "spring 2024", "", "2024-5-7"):
        assert date_words(other) == other
    assert date_words("2024-02-29") == "29 February 2024"


def test_source_citation_is_the_first_citation_of_that_file():
    a = Citation(1, "a.txt", "/c/a.txt", 0, 3, "abc", "Alpha")
    b1, b2 = Citation(2, "b.txt", "/c/b.txt", 0, 3, "abc", "Beta", "2024-01-01"), Citation(3, "b.txt", "/c/b.txt", 4, 6, "de")
    answer = Answer("q?", "x", False, (a, b1, b2))
    assert source_citation(answer, "b.txt") is b1 and source_citation(answer, "c.txt") is None


def test_quotes_under_a_generated_answer_follow_it_under_their_own_heading_whatever_the_shape():
    sentences = (_s("The tram is to open in spring, two years late."), _s("Works began in 2021.", "quoted", 2),
                 _s("A second sentence the model wrote."), _s("Opening is now set for April.", "quoted", 3))
    for shape in ("fact", "timeline", "yesno"):
        shaped = layout(Answer("q?", "x", False, sentences=sentences, shape=shape))
        assert shaped.shape == "quoted"
        assert [s.text for s in shaped.intro] == ["The tram is to open in spring, two years late.",
                                                  "A second sentence the model wrote."]
        assert [s.text for s in shaped.groups[0].sentences] == ["Works began in 2021.", "Opening is now set for April."]
        assert shaped.outro == ()
