"""rag.answering.shapes on questions from several domains: the shape read from the question's form (never its
topic), yes/no openings and choices, and the focus the answer's sentences should be about."""
import pytest

from rag.answering.shapes import focus, is_yes_no, read_shape


@pytest.mark.parametrize("question, shape", [
    ("Why did the orchestra cancel its winter tour?", "reason"),
    ("What prompted the airline to ground its fleet?", "reason"),
    ("On what grounds did the referee disallow the goal?", "reason"),
    ("What led the bakery's owners to sell the shop?", "reason"),
    ("What drove the ferry operator to raise its fares?", "reason"),
    ("List the band's albums in sequence, from the debut on.", "timeline"),
    ("How did the players' union respond to the salary cap?", "reaction"),
    ("How has the city council reacted to the flooding?", "reaction"),
    ("What was the studio's response to the leaked trailer?", "reaction"),
    ("Compare how the two newspapers covered the merger.", "comparison"),
    ("How do the reviews differ on the film's ending?", "comparison"),
    ("Summarize what the reports say about the vaccine trial.", "summary"),
    ("Give an overview of the stadium redevelopment.", "summary"),
    ("What is the sequence of events in the bank's collapse?", "timeline"),
    ("In what order did the startup raise its funding rounds?", "timeline"),
    ("Trace the comet's approach in chronological order.", "timeline"),
    ("How has the town's water supply changed over time?", "timeline"),
    ("How have bus fares shifted since the depot closed?", "timeline"),
    ("How did the strike change the timetable?", "fact"),  # a change, not a course over time
    ("Did the museum reopen in March?", "yesno"),
    ("Has the telescope found a second planet, and was it announced in May?", "yesno"),
    ("After the Herald's report in June, was there a change in the club's transfer policy?", "yesno"),
    ("Besides the fare rise, what other changes did the railway announce?", "list"),
    ("Which players did the coach drop?", "list"),
    ("Who founded the bakery?", "fact"),
    ("How many seats does the arena hold?", "fact"),
])
def test_the_shape_is_read_from_the_form_of_the_question(question, shape):
    reading = read_shape(question)
    assert reading.shape == shape, (question, reading)
    assert reading.reason


def test_a_choice_between_two_things_is_not_a_yes_no():
    assert not is_yes_no("Was the second quarter's profit larger or smaller than the first's?")
    assert not is_yes_no("Did the critics find the sequel faithful or unfaithful to the book?")
    assert not is_yes_no("Was the vote held before or after the strike?")
    assert is_yes_no("Is the bridge open to cyclists?")
    assert not is_yes_no("Where is the bridge?")
    # A framing phrase, then a wh-question: not a yes/no.
    assert not is_yes_no("Between the two reports on the harbour, which one named the new owner?")
    # "And" before the auxiliary (a follow-up turn) and a choice between "the X or the Y".
    assert is_yes_no("And did the ferry run on time?")
    assert not is_yes_no("Is the kiosk by the lake or the road?")


def test_the_yes_no_reason_names_the_opening_word():
    assert read_shape("Does the recipe use butter?").reason == 'asks yes or no (opens with "does")'


def test_focus_drops_the_words_that_only_shape_the_answer():
    assert focus("Summarize what the reports say about the harbour strike.") == "the harbour strike."
    assert focus("Compare how the sources describe the orchestra's new conductor.") == \
        "the orchestra's new conductor."
    assert "subsidies" not in focus("Besides the subsidies, what other steps did the ministry take?")
    assert focus("What is the sequence of the comet's sightings?") == "the comet's sightings?"
    # Nothing to drop, or too little left: the question itself.
    assert focus("Why did the ferry stop running?") == "Why did the ferry stop running?"
    assert focus("Summarize it.") == "Summarize it."


def test_a_statement_is_not_a_reaction_question():
    assert read_shape("The enzyme level rises in response to cold stress.").shape == "fact"
    assert read_shape("What did the regulator do in response to the outage?").shape == "reaction"


def test_a_quoted_title_does_not_shape_the_question():
    assert read_shape('Who is the author of "Why We Sleep"?').shape == "fact"
    assert read_shape("Which year was “How to Train Your Dragon” released?").shape == "fact"
