"""The question read once (rag.answering.reading): invented questions in several domains."""
from rag.answering.reading import read_question


def test_kind_and_names_of_a_sports_question():
    reading = read_question("How many goals did Ria Voss score for Harbor United last season?")
    assert reading.kind == "number"
    assert "Ria Voss" in reading.names and "Harbor United" in reading.names
    assert "last season" not in reading.predicate or reading.predicate != reading.text


def test_a_date_question_about_a_building_names_no_day():
    reading = read_question("When did the Larkspur Library open to the public?")
    assert reading.kind == "date" and reading.days == ()


def test_a_named_day_is_read_with_its_iso_key():
    reading = read_question("What did the city council decide on March 3, 2024?")
    assert reading.days and reading.days[0][0] == "2024-03-03"


def test_speaker_and_publication():
    reading = read_question("What did Mayor Ilse Brandt say in a Valley Herald report about the bridge?")
    assert reading.speaker and "Brandt" in " ".join(reading.speaker)
    assert reading.publications == ("Valley Herald",)


def test_a_why_question_asks_for_no_value_and_the_reading_is_plain_json():
    reading = read_question("Why did the orchestra cancel its winter tour?")
    assert reading.kind is None
    data = reading.to_json()
    assert data["text"] == reading.text and isinstance(data["periods"], list) and isinstance(data["days"], list)


def test_several_things_asked():
    assert read_question("What other measures did the hospital take besides closing the ward?").several
    assert not read_question("Who founded the bakery?").several
