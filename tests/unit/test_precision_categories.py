"""Dates said as precisely as their files state them, the file passage naming the asked category, and a category
question answered in other words than its own (tiny strings: sports, films, companies, officials)."""
from rag.answering.categories import names_asked_category
from rag.answering.conflicts import Passage, find_disagreement
from rag.answering.precision import _in_range
from rag.readers.values import dates


def table_similarity(table):
    """A stand-in for the model's word cosines: 0.9 for the words listed under the noun, 0.1 otherwise."""
    return lambda noun, words: [0.9 if w.casefold() in table.get(noun, ()) else 0.1 for w in words]


def sides(found):
    return [(s.value, s.sources, s.minority) for s in found.sides]


def test_a_year_side_takes_the_day_its_own_file_gives_in_a_life_span():
    question = "When was Tomas Brennick born?"
    found = find_disagreement(question, [
        Passage(0, "a.txt", "His grandfather, the goalkeeper Tomas Brennick (1848–1912), kept goal for Leith.", 0),
        Passage(1, "b.txt", "The striker Tomas Brennick was born in 1885 in Perth.", 1)],
        support=[Passage(2, "a.txt", "Tomas Brennick (9 July 1848 – 25 July 1912) was a Scottish goalkeeper.", 2)])
    values = {s.value: s for s in found.sides}
    assert "9 July 1848" in values and "1885" in values
    assert 2 in values["9 July 1848"].ids  # the passage giving the day is cited for it


def test_another_events_day_of_the_same_year_is_not_taken():
    question = "When did the chairman Ruth Okafor die?"
    found = find_disagreement(question, [
        Passage(0, "a.txt", "Ruth Okafor, chairman of Delta Mills, died in 1966.", 0),
        Passage(1, "b.txt", "Ruth Okafor, the chairman, died in 1971 in Lagos.", 1)],
        support=[Passage(2, "a.txt", "The mills closed in 1966 and the site was sold on 11 July 1966.", 2)])
    assert {s.value for s in found.sides} == {"1966", "1971"}


def test_two_different_days_of_the_side_year_leave_the_year():
    question = "When was the film Harbour Lights released?"
    found = find_disagreement(question, [
        Passage(0, "a.txt", "Harbour Lights was released in 1994 by a small studio.", 0),
        Passage(1, "b.txt", "Harbour Lights was released in 2001 on video.", 1)],
        support=[Passage(2, "a.txt", "It ran from 3 May 1994 – 9 June 1994 and again 1 August 1994 – 1995.", 2)])
    assert {s.value for s in found.sides} == {"1994", "2001"}


def test_in_range_reads_life_spans_and_terms_only():
    span = "Mayor Ana Ruiz (4 March 1950 – 2 May 2020) served two terms."
    first, second = dates(span)[:2]
    assert _in_range(span, first) and _in_range(span, second)
    buried = "He died in 1566 and was buried on 11 July 1566."
    assert not _in_range(buried, dates(buried)[-1])


def test_names_asked_category_in_other_words_than_the_question():
    sim = table_similarity({"party": {"republican"}, "sport": {"tennis"}, "medium": {"novel"}})
    assert names_asked_category("What political party is Jo Dailey affiliated with?",
                                ["That year Dailey was elected as Republican to the House."], sim)
    assert names_asked_category("What sport is Ann Berg associated with?", ["Ann Berg is a tennis coach."], sim)
    assert not names_asked_category("What sport is Ann Berg associated with?", ["Ann Berg lives in Oslo."], sim)
    # Not a category question, or no model: never.
    assert not names_asked_category("When was Acme Corp founded?", ["Acme Corp is a tennis maker."], sim)
    assert not names_asked_category("What medium is Blue Hour?", ["Blue Hour is a novel."], None)


def test_a_which_noun_question_asks_for_an_instance_of_the_noun():
    from rag.readers.question_kind import asked_kind, asked_noun

    assert asked_noun("Which line is Oak Street a station on?") == "line"  # transport
    assert asked_noun("What conflict was the Siege of Harlow part of?") == "conflict"  # history
    assert asked_noun("What was the rank of Admiral Vance in the navy?") == "rank"  # officials
    assert asked_noun("What league does the Riverside club play in?") == "league"  # sports
    assert asked_kind("Which line is Oak Street a station on?") == "category"
    # Plurals ask for lists, generic nouns say nothing, and the other kinds keep their own forms.
    assert asked_noun("What steps did Acme take after the recall?") is None
    assert asked_noun("What is the name of the film's director?") is None
    assert asked_kind("Which individual founded the studio?") == "person"
    assert asked_kind("Which company bought the brewery?") == "organisation"
    assert asked_kind("What triggered the sell-off?") is None


def test_a_noun_read_off_what_which_needs_a_closer_instance_than_a_named_category():
    from rag.answering.categories import category_value
    from rag.tuning import TUNING
    CATEGORY_BAR, GENERIC_NOUN_BAR = TUNING.category_bar, TUNING.generic_noun_bar

    between = (CATEGORY_BAR + GENERIC_NOUN_BAR) / 2
    sim = lambda noun, words: [between if w == "tennis" or w == "Red" else 0.1 for w in words]  # noqa: E731
    # "sport" is a named category: a word at the looser bar names it.
    assert category_value("Ann Berg is a tennis coach.", "What sport is Ann Berg associated with?", sim).text == "tennis"
    # "line" is read off "Which N": the same closeness is not enough ("control" for "role" is that close).
    assert category_value("Oak Street is a stop on the Red route.", "Which line is Oak Street a station on?", sim) is None
    closer = lambda noun, words: [GENERIC_NOUN_BAR + 0.1 if w == "Red" else 0.1 for w in words]  # noqa: E731
    assert category_value("Oak Street is a stop on the Red route.", "Which line is Oak Street a station on?",
                          closer).text == "Red"


def test_role_is_a_loose_noun_like_any_read_off_what_n():
    """"What role do X play" asks a part in a film or a band as often as a function in a process ("they slow the
    reaction"): a word only as close as a named category's instance must be does not name it."""
    from rag.answering.categories import category_value
    from rag.tuning import TUNING
    CATEGORY_BAR, GENERIC_NOUN_BAR = TUNING.category_bar, TUNING.generic_noun_bar

    between = (CATEGORY_BAR + GENERIC_NOUN_BAR) / 2
    sim = lambda noun, words: [between if w in ("control", "lead") else 0.1 for w in words]  # noqa: E731
    assert category_value("Boron rods control the reaction.", "What role do the rods play in the reactor?", sim) is None
    assert category_value("Ann Berg had the lead in Blue Skies.", "What role did Ann Berg play in Blue Skies?",
                          sim) is None
    closer = lambda noun, words: [GENERIC_NOUN_BAR + 0.1 if w == "lead" else 0.1 for w in words]  # noqa: E731
    assert category_value("Ann Berg had the lead in Blue Skies.", "What role did Ann Berg play in Blue Skies?",
                          closer).text == "lead"


def test_name_around_takes_the_whole_capitalised_name_a_word_ends():
    from rag.answering.categories import name_around

    def around(text, word):
        start = text.index(word)
        return name_around(text, start, start + len(word))[0]

    assert around("The ferry crossed during the North-South Relay.", "Relay") == "North-South Relay"
    assert around("It closed the season of Harbour Cup III in the spring.", "Cup") == "Harbour Cup III"
    assert around("The 12th Coastal Survey Squadron is inactive.", "Squadron") == "Coastal Survey Squadron"
    assert around("She sings for the Elm Valley Choral Society.", "Choral") == "Elm Valley Choral Society"
    assert around("The Bombardment Group was formed in 1942.", "Group") == "Bombardment Group"  # "The" left out
    assert around("Ann Berg is a tennis coach.", "tennis") == "tennis"  # a lower-case word stays itself
    assert around("Drama is its genre.", "Drama") == "Drama"


def test_a_category_instance_is_the_whole_name_it_belongs_to():
    from rag.answering.categories import category_value

    sim = table_similarity({"conflict": {"war"}, "unit": {"squadron"}})
    found = category_value("The Battle of Tarn was a naval battle during the Salt-Coast War.",
                           "What conflict is the Battle of Tarn associated with?", sim)
    assert found.text == "Salt-Coast War"
    found = category_value("The 12th Coastal Survey Squadron is an inactive unit.",
                           "12th refers to which type of unit?", sim)
    assert found.text == "Coastal Survey Squadron"
