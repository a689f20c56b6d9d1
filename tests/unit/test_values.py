"""Typed values on tiny texts from several domains: the kind asked for, values stated, normalised, compared."""
from rag.readers.differences import contradicting_values, differing_spans, near_copies, swapped_spans
from rag.readers.question_kind import asked_kind, category_noun
from rag.readers.values import (comparable, dates, money, name_key, names, quantities, same_name, same_value, shares,
                                values)


def test_kind_asked_for_across_domains():
    assert asked_kind("What share of the vote did the Greens win?") == "share"
    assert asked_kind("How much revenue did the bakery chain report?") == "money"
    assert asked_kind("When was the film first released?") == "date"
    assert asked_kind("In what year did the bridge open?") == "date"
    assert asked_kind("How many goals did the striker score this season?") == "number"
    assert asked_kind("What is the population of the village?") == "number"
    assert asked_kind("Who directed the film?") == "person"
    assert asked_kind("Where is the museum located?") == "place"
    assert asked_kind("Which company makes the engine?") == "organisation"
    assert asked_kind("What sport does the club play?") == "category"
    assert asked_kind("Why did the council change its mind?") is None
    assert asked_kind("How far do the new rules extend beyond banking?") is None  # extent, not a distance


def test_category_noun_reads_through_type_of():
    assert category_noun("What sport is Ann Lee associated with?") == "sport"
    assert category_noun("What is the type of institution Fontview is?") == "institution"
    assert category_noun("What kind of an engine powers the boat?") == "engine"
    assert category_noun("What is the genre of the album?") == "genre"


def test_money_scales_and_currencies_normalise():
    keys = [v.key for v in money("Sales reached 2.6 trillion yen, or 2,600 billion yen; costs were $4.5 billion.")]
    assert keys[0] == keys[1] == "jpy 2.6e+12"
    assert keys[2] == "usd 4.5e+09"
    assert money("The bakery earned €12 million")[0].key == money("The bakery earned 12,000,000 euros")[0].key


def test_shares_leave_out_the_old_value_of_a_change():
    assert [v.key for v in shares("Turnout fell from 71% to 64.5 percent")] == ["64.5"]
    assert [v.text for v in shares("The Greens won 12% of the vote")] == ["12%"]


def test_dates_in_several_forms_and_precisions():
    assert [v.key for v in dates("The film premiered on 2 July 1999 and opened widely in August 1999.")] == \
        ["1999-07-02", "1999-08"]
    assert [v.key for v in dates("Released March 5, 2004; remastered 2014-03-05.")] == ["2004-03-05", "2014-03-05"]
    assert [v.key for v in dates("The bridge opened in 1932.")] == ["1932"]
    assert same_value(dates("built in 1902")[0], dates("completed in May 1902")[0])
    assert not same_value(dates("built in 1902")[0], dates("built in 1885")[0])


def test_quantities_keep_their_unit_and_skip_years_and_shares():
    keys = [v.key for v in quantities("The town had 3,559 people in 2010; 12% are children; the bike has 996 cc.")]
    assert keys == ["3559 people", "996 cc"]
    assert [v.key for v in quantities("The striker scored 31 goals")] == ["31 goal"]


def test_names_leave_out_the_question_words_and_sentence_openers():
    found = [v.text for v in names("The film was directed by Frank Oz in London.", "Who directed the film?")]
    assert found == ["Frank Oz", "London"]
    officials = [v.text for v in names("Finance Minister Maria Lopez's plan", "Who is the finance minister?")]
    assert officials == ["Maria Lopez"]


def test_name_variants_are_one_value():
    assert name_key("William E. Parsons's") == "william parsons"
    assert same_name(name_key("Oz"), name_key("Frank Oz"))
    assert not same_name(name_key("Frank Oz"), name_key("Quentin Tarantino"))


def test_values_dispatch_by_kind():
    assert [v.text for v in values("The club won 3-1 on 4 May 2019.", "date")] == ["4 May 2019"]
    assert [v.key for v in values("Revenue hit $2.6 billion.", "money")] == ["usd 2.6e+09"]
    assert values("A calm day.", "category") == []


def test_differing_spans_find_the_swapped_value_and_ignore_typos():
    assert differing_spans("The club plays football in Oslo.", "The club plays basketball in Oslo.") == \
        ("football", "basketball")
    assert differing_spans("The hall was built in 1856, the present chuch in 1951.",
                           "The hall was built in 1900, the present church in 1951.") == ("1856", "1900")
    assert differing_spans("The club plays football in Oslo.", "A storm closed the airport on Friday.") is None


def test_swapped_spans_see_a_swap_followed_or_preceded_by_sentences_the_other_passage_lacks():
    # Music, sport, business, film: the planted copy carries one more sentence after or before the swapped one.
    assert swapped_spans("The EP is the debut release for Ann Lee.",
                         "The EP is the debut release for Bo Chan. It came out in May through Def Jam.") == \
        [("Ann Lee", "Bo Chan")]
    assert swapped_spans("In 2019 the club won the cup. The club plays football in Oslo.",
                         "The club plays basketball in Oslo.") == [("football", "basketball")]
    assert swapped_spans("Acme reported revenue of $4 million last year. Its shares rose.",
                         "Acme reported revenue of $9 million last year.") == [("4", "9")]
    assert swapped_spans("The film premiered in Cannes in 1999.", "The film premiered in Cannes in 2003.") == \
        [("1999", "2003")]
    # Different sentences, however long, are no swap.
    assert swapped_spans("The club plays football in Oslo.", "A storm closed the airport on Friday in Oslo.") == []
    assert swapped_spans("Sales rose.", "Sales fell.") == []


def test_swapped_spans_give_each_stretch_of_a_copy_that_changed_two():
    # A television listing and a transfer report, each planted copy changing two short stretches.
    assert swapped_spans("Blue Road (2017 TV series), a 2017 Indian Hindi-language series which aired on Star One "
                         "every week.",
                         "Blue Road (2017 TV series), a 2017 Indian Tamil-language series which aired on Sun TV "
                         "every week.") == [("Hindi-language", "Tamil-language"), ("Star One", "Sun TV")]
    assert swapped_spans("In June the striker joined Ajax from Porto on a free transfer after four seasons.",
                         "In June the striker joined Celtic from Porto on a free transfer after six seasons.") == \
        [("Ajax", "Celtic"), ("four", "six")]


def test_organisation_questions_with_describing_words_before_the_noun():
    assert asked_kind("The line is run by which private railway operator?") == "organisation"
    assert asked_kind("Which record label released the album?") == "organisation"
    assert asked_kind("What football club did the striker join?") == "organisation"
    assert asked_kind("What is the team's home ground?") != "organisation"


def test_contradicting_values_between_a_claim_and_its_passage():
    assert contradicting_values("Sales rose 12% in 2024.", "Sales rose 9% in 2024.") == [("12%", "9%")]
    assert contradicting_values("The album came out in 1999.", "The album was released in 1999.") == []


def test_near_copies_are_one_text_with_a_few_words_changed():
    assert near_copies("Revenue rose to $2 billion in 2023, the company said.",
                       "Revenue rose to $3 billion in 2021, the company said.")
    assert near_copies("The Lions beat the Bears 3-1 at home on Sunday.",
                       "The Lions beat the Hawks 2-0 at home on Sunday.")
    assert not near_copies("The Lions beat the Bears 3-1.", "Ticket prices rose for the new season of the league.")


def test_a_capitalised_run_is_cut_at_the_question_words_and_numbers():
    # Film: a listing line joins the director, a heading word and the question's title ("Director" shares
    # "directed"'s stem, so it is the question's word too).
    assert [v.text for v in names("Ann Lee Director Blue River Nights", "Who directed Blue River Nights?")] == \
        ["Ann Lee"]
    # Music: the title between the artist and a year.
    assert [v.text for v in names("Songs Quiet Hours 1998 by Cole Band", "Who recorded Quiet Hours?")] == \
        ["Songs", "Cole Band"]
    # Officials: the office named in the question, then the name.
    assert [v.text for v in names("Mayor of Eastport Maria Gonzalez spoke.", "Who is the mayor of Eastport?")] == \
        ["Maria Gonzalez"]
    # Companies: connecting words inside a name are kept when the question does not hold them.
    assert [v.text for v in names("The Bank of Avonlea cut its rate.", "Which lender cut rates?")] == ["Bank of Avonlea"]
    # Sports: a score between two team names splits them.
    assert [v.text for v in names("Riverside Rovers 3 Hill United", "Who won the final?")] == \
        ["Riverside Rovers", "Hill United"]


def test_asked_predicate_drops_the_names_a_question_is_about():
    from rag.readers.question_kind import asked_predicate

    assert asked_predicate("When was the Time-Life Building started?") == "When was the started?"
    assert asked_predicate('Who is the director of the film "Blue River"?') == "Who is the director of the film?"
    assert asked_predicate("What was Acme Corp's revenue in 2020?") == "What was revenue in?"
    assert asked_predicate("How many goals did Rovers score?") == "How many goals did score?"
    # Nothing asked once the names are gone: the question stays whole.
    assert asked_predicate("Who is Ann Lee?") == "Who is Ann Lee?"


def test_rates_are_other_figures_than_counts():
    from rag.readers.values import counts_and_measures

    # Towns: a density does not answer a population question, but answers a density question.
    text = "The town had 3,559 people and a density of 90.4 people per square mile."
    assert [v.text for v in counts_and_measures(text, "What is the population of the town?")] == ["3,559 people"]
    assert "90.4 people" in [v.text for v in counts_and_measures(text, "What is the population density?")]
    # Sports: goals per game against goals scored.
    keys = [v.key for v in quantities("He scored 41 goals, 1.2 goals per game.")]
    assert keys == ["41 goal", "1.2 goal per"]
    # Companies: revenue per share is not the number of shares.
    assert [v.text for v in values("It issued 500 million shares; earnings were 3 dollars/share.", "number",
                                   "How many shares did it issue?")] == ["500 million shares"]


def test_category_noun_of_a_possessive_question():
    assert category_noun("What is Terry Vance's profession?") == "profession"  # officials, people
    assert category_noun("What is the club's sport?") == "sport"  # sports
    assert category_noun("What is Blue River's genre?") == "genre"  # films
    assert category_noun("What is Acme's function?") == "function"  # companies


def test_words_inside_the_subjects_own_name_are_not_a_value():
    # Places: the middle of "Haymarket Commercial Historic District" is the subject's name, its state the value.
    found = [v.text for v in names("The Haymarket Commercial Historic District is in Council Bluffs, Iowa.",
                                   "In which state is the Haymarket District located?")]
    assert "Commercial Historic" not in found and "Iowa" in found
    # Sports: a club named around the question's words; the coach after it is a value.
    found = [v.text for v in names("Leeds Rhinos United Club hired Sam Ray.", "Who coaches Leeds United Club?")]
    assert "Rhinos" not in found and "Sam Ray" in found
    # Films: a name that only starts with the question's word keeps the rest ("Blue River Pictures").
    found = [v.text for v in names("It was made by Blue River Pictures.", "Which studio made Blue?")]
    assert "River Pictures" in found
    # Companies: words after the question's word, not closed by another, stay ("Holdings"), and so does the officer.
    found = [v.text for v in names("Acme Holdings chief Ann Lee resigned.", "Who led Acme?")]
    assert found == ["Holdings", "Ann Lee"]


def test_a_name_running_into_the_next_sentence_ends_at_its_full_stop():
    from rag.readers.values import names

    assert [v.text for v in names("The EP is the debut release for Jay-Z. It sold well.")][-1] == "Jay-Z"
    assert [v.text for v in names("The album is by Symphony X. The band toured.")][-1] == "Symphony X"
    assert [v.text for v in names("She joined Acme Co. Ltd. In May she left.")][-1] == "Acme Co. Ltd"


def test_a_number_beside_a_months_name_is_its_day_not_a_count():
    # Markets, sport, weather: the day of a month written without a year is no count of anything.
    assert [v.key for v in quantities("On Apr. 4 last year the market had 12 stalls.")] == ["12 stall"]
    assert [v.key for v in quantities("By 9 March the club had signed 3 players.")] == ["3 player"]
    assert [v.key for v in quantities("Rain is due June 30 after 21 dry days.")] == ["21 dry"]
    # "may" the verb is not the month: the count before it stays.
    assert [v.key for v in quantities("Another 5 may follow.")] == ["5"]


def test_counts_of_different_things_are_not_comparable():
    # A count of one thing does not contradict a count of another; a bare number or a name after it says no unit.
    assert not comparable(quantities("7 flavours")[0], quantities("20 stalls")[0])
    assert not comparable(quantities("660 billion yen")[0],
                          quantities("5 years")[0])
    assert comparable(quantities("7 stalls")[0], quantities("20 stall")[0])
    assert comparable(quantities("the 7 were")[0], quantities("20 stalls")[0])
    assert comparable(quantities("20 Acme staff")[0], quantities("30 staff")[0])
    assert comparable(shares("12%")[0], shares("15%")[0])  # other kinds compare as before


def test_a_count_named_after_a_capitalised_word_is_a_count_of_the_next_word():
    # A proper adjective or a name says whose, the next word what: "20 Welsh choirs" counts choirs.
    assert [(v.key, v.text) for v in quantities("It hosted 20 Welsh choirs.")] == [("20 choir", "20 Welsh choirs")]
    assert same_value(quantities("20 Welsh choirs")[0], quantities("20 choirs")[0])
    assert [v.key for v in quantities("3 NATO members, and the 12 Acme")] == ["3 member", "12 acme"]
