"""rag.answering.shaped.dating: the date a sentence places its event on, relative forms resolved against the
article's own date, undated articles handled without guessing (invented sentences, several domains)."""
import pytest

from rag.answering.shaped.dating import event_date, latest_full_date


@pytest.mark.parametrize("sentence, anchor, key", [
    ("On Tuesday the club sold its captain.", "2024-05-02", "2024-04-30"),  # 2 May 2024 was a Thursday
    ("Earlier, on Apr. 4 last year, the council passed the budget.", "2026-01-07", "2025-04-04"),
    ("Last April the mayor resigned over the budget.", "2026-06-01", "2026-04"),
    ("Last April the mayor resigned over the budget.", "2026-02-01", "2025-04"),
    ("The band split in late Oct. last year after a tour.", "2026-01-07", "2025-10"),
    ("The observatory opened on 12 March 1998 near the coast.", "2026-01-01", "1998-03-12"),
    ("Yesterday the ferry service was suspended.", "2023-08-10", "2023-08-09"),
    ("By the end of 2021 the mine had closed for good.", "2026-01-01", "2021-12"),
])
def test_relative_dates_are_resolved_against_the_article_date(sentence, anchor, key):
    assert event_date(sentence, anchor)[0] == key


def test_an_undated_sentence_has_no_date():
    assert event_date("The striker scored twice in the second half.", "2024-05-02") is None


def test_a_date_late_in_a_long_sentence_dates_something_else():
    sentence = ("The ministry said it would review the licences of the exporters, the smelters and the traders "
                "whose permits were first listed in the register that was published on March 3, 2019.")
    assert event_date(sentence, "2024-05-02") is None


def test_an_undated_article_resolves_only_a_day_and_month_from_its_latest_full_date():
    anchor = latest_full_date("The plant was licensed on June 2, 2023. It opened in 2024.")
    assert anchor == "2023-06-02"
    assert event_date("On January 6th the plant shut down.", anchor, estimated=True)[0] == "2024-01-06"
    # Without the article's own date, "on Tuesday" is not guessed.
    assert event_date("On Tuesday the plant shut down.", anchor, estimated=True) is None
    # No date at all to start from: only absolute dates.
    assert event_date("On Tuesday the plant shut down.", "", estimated=True) is None
    assert event_date("In 2010 the plant shut down.", "", estimated=True)[0] == "2010"
