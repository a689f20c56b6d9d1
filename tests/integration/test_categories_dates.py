"""Issue 13 on a small corpus written here (real model, real ingest): a category asked in other words than the
files use, a file whose first sentence names the subject and whose next names the asked position, and a date
said as precisely as the file gives it."""
from __future__ import annotations

import pytest

from tests.conftest import small_corpus

ARTICLES = {
    # Sports: two near-copies swap the position; a third file names it in passing.
    "quell1.txt": "Club Notes\nMarta Quell (born 1961) is an English former professional footballer. A defender, "
                  "she began her career with Ashby Town before moving to Corran City in 1981.\n",
    "quell2.txt": "Player Profiles\nMarta Quell (born 1961) is an English former professional footballer. A forward, "
                  "she began her career with Ashby Town before moving to Corran City in 1981.\n",
    "quell3.txt": "Season Review\nThe defender Marta Quell captained Ashby Town for four seasons and then coached "
                  "its youth side.\n",
    # Officials: the party is stated, the question's word for it is not.
    "voss.txt": "State Politics\nIn 1906 Harlan Voss married Clara Dunne, a music teacher. That year, Voss was "
                "elected as Republican to the state House, serving a two-year term.\n",
    # Two people of one name; one file gives the day of a life span.
    "lind1.txt": "Family History\nHe was a grandson of the bailiff Oskar Lind (1848–1912). Oskar Lind (9 July 1848 – "
                 "25 July 1912) was a bailiff and politician in the west.\n",
    "lind2.txt": "Economists\nOskar Lind (3 June 1912 – 1 March 1986) was an economist who taught in Bergen.\n",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, embedder):
    return small_corpus(tmp_path_factory.mktemp("categories"), ARTICLES, embedder)


def test_a_position_stated_after_the_subjects_sentence_is_compared_and_the_copy_is_a_minority(corpus):
    answer = corpus[1].ask("What position did Marta Quell play in her professional football career?")
    assert not answer.abstained
    (conflict,) = answer.conflicts
    by_value = {side.value.casefold(): side for side in conflict.values}
    assert {"defender", "forward"} <= set(by_value), by_value
    assert not by_value["defender"].minority and by_value["forward"].minority
    assert "quell3.txt" in by_value["defender"].sources  # the third file corroborates the defender


def test_a_party_question_is_answered_from_a_sentence_without_the_word_party(corpus):
    answer = corpus[1].ask("What political party is Harlan Voss affiliated with?")
    assert not answer.abstained
    assert "Republican" in answer.answer


def test_each_reading_of_a_name_gets_its_date_as_precisely_as_its_file_gives_it(corpus):
    answer = corpus[1].ask("When was Oskar Lind born?")
    assert not answer.abstained
    (conflict,) = answer.conflicts
    assert {"9 July 1848", "3 June 1912"} <= {side.value for side in conflict.values}, answer.answer
