"""A list read against the kind of thing it asks for (rag.answering.shaped.listing) and a timeline read against
the period its question names (rag.answering.shaped.timeline), on invented questions and articles in several
domains; the composer tests use the real embedding model and candidate scoring."""
import pytest

from rag.answering.shaped import shaped_answer
from rag.answering.shaped.common import statements
from rag.answering.shaped.dating import event_date
from rag.answering.shaped.listing import kind_phrase, spans_files
from rag.answering.shaped.timeline import compose_timeline, in_period, question_period
from test_shapes_composers import build


@pytest.mark.parametrize("question, kind", [
    ("Which coastal towns were flooded?", "coastal towns"),
    ("Apart from the fine, what other penalties did the club face?", "penalties"),
    ("What other measures did the council take?", ""),  # a word naming no kind: its things never say "measure"
    ("List the bridges that closed for repairs.", "bridges"),
    ("Which players does the coach trust?", "players"),
    ("What else did the band release?", ""),  # no kind named
    ("Which film won the prize?", ""),  # one thing, not several
    ("What is the status of the bill?", ""),
    ("What about the reserves?", ""),
])
def test_kind_phrase(question, kind):
    assert kind_phrase(question) == kind


@pytest.mark.parametrize("question, spans", [
    ("Which crops would suffer from the drought, according to the reports?", True),
    ("Which crops do the articles say failed?", True),
    ("Which crops would suffer from the drought?", False),  # one report's passage usually answers it
    ("What about reserves?", False),
])
def test_spans_files(question, spans):
    assert spans_files(question) is spans


DROUGHT = {
    "a.txt": ("The drought in the valley has lasted four months, farmers said. Water in the reservoir fell to a "
              "record low. The drought could hurt the valley badly, the farmers union warned.", "", ""),
    "b.txt": ("Wheat, barley, maize and sunflowers are expected to yield far less this year. The harvest festival "
              "was cancelled.", "", ""),
}


def test_a_list_asked_of_the_articles_gathers_its_kind_from_another_file(embedder):
    question = "Which crops would suffer from the drought in the valley, according to the reports?"
    candidates, hits, texts = build(embedder, question, DROUGHT)
    answer = shaped_answer(question, candidates, hits, texts, None, tuple(DROUGHT), "", 0.5,
                           lambda text: build(embedder, text, DROUGHT)[0])
    assert answer.shape == "list"
    assert "b.txt" in {c.source for c in answer.citations}  # shares no word with the question but "crops" it lists
    assert all(texts[c.source][c.start:c.end] == c.quote for c in answer.citations)
    # Read only as asked, the list stays with the sentences that repeat the question's words.
    plain = shaped_answer(question, candidates, hits, texts, None, tuple(DROUGHT), "", 0.5)
    assert "b.txt" not in {c.source for c in plain.citations}


def test_a_list_not_asked_of_the_articles_keeps_to_the_files_the_question_finds(embedder):
    question = "Which crops would suffer from the drought in the valley?"
    candidates, hits, texts = build(embedder, question, DROUGHT)
    answer = shaped_answer(question, candidates, hits, texts, None, tuple(DROUGHT), "", 0.5,
                           lambda text: build(embedder, text, DROUGHT)[0])
    assert {c.source for c in answer.citations} == {"a.txt"}


@pytest.mark.parametrize("question, period", [
    ("What happened since April 2025, in order?", ("2025-04", "")),
    ("In what order did it unfold in early 2021?", ("2021", "2021")),
    ("What happened between March 3, 2021 and June 2022?", ("2021-03-03", "2022-06")),
    ("From 2019 to 2021, in what order did the mines close?", ("2019", "2021")),
    ("How did the strike unfold from May to June 2021?", ("", "2021-06")),
    ("What happened to the mill in 2020?", ("2020", "2020")),
    ("What happened after the vote on May 4, 2022?", ("2022-05-04", "")),
    ("Trace the club's history in the 1990s.", ("199", "199")),
    ("In what order did things happen?", ("", "")),
])
def test_question_period(question, period):
    assert question_period(question) == period


@pytest.mark.parametrize("key, low, high, inside", [
    ("2021-05-02", "2021", "2021", True),
    ("2019", "2020-03", "", False),
    ("2020", "2020-03", "", True),  # a year-only event may fall in the period
    ("1995-03", "199", "199", True),
    ("2001", "199", "199", False),
    ("2022-07-01", "", "2022-06", False),
])
def test_in_period(key, low, high, inside):
    assert in_period(key, low, high) is inside


def test_an_event_dated_in_the_asked_period_enters_the_timeline(embedder):
    files = {
        "port.txt": ("The harbour was dredged in 1987 to take larger ships. Dockers at the harbour walked out over "
                     "pay, halting the harbour for days. The harbour troubles worsened when the union blocked the "
                     "gates. Harbour managers blamed the troubles on old cranes. On 28 March a retired teacher was "
                     "sworn in as mayor.", "2023-04-02", ""),
        "trade.txt": ("Cargo volumes at the harbour rose by a fifth over the decade, and harbour troubles were rare. "
                      "Exports of grain through the harbour doubled in 2015. Harbour fees were raised twice.",
                      "2023-03-30", ""),
    }
    question = "In what order did the harbour's troubles unfold in 2023?"
    candidates, _, texts = build(embedder, question, files)
    pool = statements(candidates, texts)
    # Its words share little with the question: without the period it stays out ...
    assert "2023-03-28" not in [b.label for b in compose_timeline(pool, texts)]
    # ... dated in the asked year, it enters; the events before the period keep their files covered.
    labels = [b.label for b in compose_timeline(pool, texts, period=question_period(question))]
    assert labels == ["1987", "2015", "2023-03-28"]


@pytest.mark.parametrize("sentence, anchor, key", [
    ("On the 7th, the board approved the merger.", "2024-05-10", "2024-05-07"),
    ("On the 12th, the orchestra cancelled its tour.", "2024-05-10", "2024-04-12"),  # after the 10th: April's
])
def test_a_day_of_the_month_alone_is_resolved_against_the_article_date(sentence, anchor, key):
    assert event_date(sentence, anchor)[0] == key


def test_an_ordinal_that_is_no_date_and_an_undated_article_are_not_guessed():
    assert event_date("The office moved to the 7th floor of the tower.", "2024-05-10") is None
    assert event_date("On the 7th, the board approved the merger.", "2024-05-10", estimated=True) is None
    assert event_date("On the 31st, the board met.", "2024-03-10") is None  # February has no 31st


def test_a_dated_sentence_of_a_file_about_something_else_does_not_enter_a_timeline(embedder):
    files = {
        "league.txt": ("The chess league opened its season on 4 March with twelve clubs. The chess league final was "
                       "played on 9 June, and the league's youngest club won it.", "2024-06-10", ""),
        "club.txt": ("The riverside chess club joined the league after a vote of its members. Its captain said the "
                     "club had trained for the league since 2 January.", "2024-06-11", ""),
        "garden.txt": ("The flower show returned to the town park on 20 May, with roses judged in the morning.",
                       "2024-05-21", ""),
    }
    candidates, _, texts = build(embedder, "In what order did the chess league's season unfold?", files)
    pool = statements(candidates, texts)
    sources = [q.chunk.source for b in compose_timeline(pool, texts) for q in b.quotes]
    # Both files about the league give their dated events; the flower show's date does not make it an event of
    # the league's season.
    assert {"league.txt", "club.txt"} <= set(sources) and "garden.txt" not in sources
