"""The offline follow-up resolver on tiny conversations from several domains."""
from rag.conversation import Turn, as_turns, follow_up_reason, own_terms, resolve


def test_no_conversation_leaves_the_question_alone():
    r = resolve("How tall is the Eiffel Tower?", [])
    assert r.standalone == "How tall is the Eiffel Tower?" and not r.changed and r.carried == ()


def test_pronoun_carries_the_previous_subject():
    r = resolve("How tall is it?", ["When was the Eiffel Tower built?"])
    assert r.reason == "pronoun"
    assert "Eiffel" in r.carried and "Tower" in r.carried
    assert r.standalone.startswith("How tall is it")  # the new turn's own words come first


def test_person_pronoun_in_business_news():
    r = resolve("What did he say about layoffs?", ["Who is the chief executive of Northwind Traders?"])
    assert r.changed and "Northwind" in r.carried


def test_ellipsis_and_of_carries_the_measured_thing():
    r = resolve("And of reserves?", [Turn("What share of global copper production does Chile hold?")])
    assert r.reason == "continuation"
    assert "Chile" in r.carried and {"copper", "production"} & set(r.carried)


def test_what_about_a_new_name_carries_topic_words_before_old_names():
    r = resolve("What about Peru?", ["What share of global copper production does Chile hold?"])
    assert r.changed
    assert r.carried.index("copper") < len(r.carried)
    assert "Chile" not in r.carried[:2]  # the new name replaces the old one


def test_since_when_is_resolved_from_a_short_question():
    r = resolve("Since when?", ["Who coaches the Springfield Isotopes?"])
    assert r.reason in ("short", "continuation") and "Springfield" in r.carried


def test_subject_only_in_previous_turn():
    r = resolve("What were the symptoms?", ["What did the measles outbreak in Lagos cause?"])
    assert r.reason == "short"
    assert "Lagos" in r.carried and {"measles", "outbreak"} & set(r.carried)


def test_year_before_shifts_the_year_of_the_previous_turn():
    r = resolve("And the year before?", [Turn("How much wheat did Egypt import in 2023?")])
    assert "2022" in r.carried and "2023" not in r.carried
    assert "wheat" in r.carried and "Egypt" in r.carried


def test_year_after_reads_the_year_from_the_cited_answer():
    turn = Turn("When did the bridge open?", answer="It opened in 1998.", cited=("The bridge opened in 1998.",))
    r = resolve("What happened the following year?", [turn])
    assert "1999" in r.carried


def test_a_short_question_with_a_name_or_two_words_of_its_own_stands_alone():
    # Measured on MTRAG: treating two-word questions as follow-ups cost nDCG@10 (most were self-contained).
    for question in ("How many teams are in the NFL?", "Which symptoms were reported?"):
        assert resolve(question, ["Where do the Arizona Cardinals play?"]).standalone == question


def test_topic_switch_is_left_alone():
    for question in ("Who won the 2018 World Cup in Russia?",
                     "How many moons does Jupiter have according to NASA?",
                     "Is it true that the Chicago Cardinals moved to Arizona?"):
        r = resolve(question, ["How many teams are in the NFL?", "When was the league founded?"])
        assert r.standalone == question and not r.reason, question


def test_carried_terms_are_capped_so_the_new_turn_leads():
    earlier = ["What were the quarterly revenue, operating margin, headcount and debt of Contoso Pharmaceuticals "
               "in Basel according to its annual filing?"]
    r = resolve("Why did it fall?", earlier)
    assert 0 < len(r.carried) <= 5


def test_weight_ranks_which_terms_are_carried():
    earlier = ["Which river floods the Mekong delta villages every monsoon?"]
    rare = {"mekong": 5.0, "delta": 3.0, "monsoon": 4.0}
    r = resolve("How often does that happen?", earlier, weight=lambda t: rare.get(t, 0.1))
    assert set(r.carried[:3]) >= {"Mekong", "monsoon"} or {"Mekong", "monsoon"} <= set(r.carried)
    zero = resolve("How often does that happen?", earlier, weight=lambda t: 0.0)
    assert zero.carried == () and zero.standalone == "How often does that happen?"


def test_only_recent_turns_matter_most():
    turns = ["Who designed the Sydney Opera House?", "How much did the Panama Canal expansion cost?"]
    r = resolve("When was it finished?", turns)
    assert "Panama" in r.carried
    assert r.carried.index("Panama") < (r.carried.index("Sydney") if "Sydney" in r.carried else 99)


def test_chained_follow_ups_use_the_earlier_resolution():
    first = Turn("Which vessel drilled the seabed core?")
    second = Turn("How deep was it?", standalone="How deep was it (vessel drilled seabed core)?")
    r = resolve("Which island?", [first, second])
    assert "vessel" in r.carried or "seabed" in r.carried


def test_answer_entities_carry_but_weakly():
    turn = Turn("Who bought the stadium?", answer="Globex Corporation bought it.",
                cited=("Globex Corporation bought the stadium in May.",))
    r = resolve("What did they pay?", [turn])
    assert "stadium" in r.carried
    name = next(w for w in r.carried if w in ("Globex", "Corporation"))  # a name only the answer gave
    assert r.carried.index("stadium") < r.carried.index(name)  # question terms before answer names


def test_follow_up_reasons():
    assert follow_up_reason("How long did it last?") == "pronoun"
    assert follow_up_reason("And in France?") == "continuation"
    assert follow_up_reason("What about the other one?") == "continuation"
    assert follow_up_reason("Was it higher than the year before?") in ("comparison", "pronoun")
    assert follow_up_reason("Why?") == "short"
    assert follow_up_reason("How many people live in Tokyo according to the census?") == ""


def test_own_terms_skip_question_words():
    assert own_terms("Since when?") == []
    assert own_terms("How tall is the Eiffel Tower?") == ["tall", "eiffel", "tower"]


def test_as_turns_accepts_what_callers_hold():
    turns = as_turns(["Q1?", {"question": "Q2?", "answer": "A2.", "cited": ["S2."], "standalone": "Q2 full?"},
                      Turn("Q3?"), "", {"answer": "no question"}])
    assert [t.question for t in turns] == ["Q1?", "Q2?", "Q3?"]
    assert turns[1].understood == "Q2 full?" and turns[1].cited == ("S2.",)


def test_condense_history_and_rewrite_cleaning():
    from rag.condense import clean_rewrite, history_text

    text = history_text([Turn("Who founded Acme?", answer="Jane Doe founded it </conversation> in 1990.")])
    assert text.startswith("User: Who founded Acme?\nAssistant: Jane Doe founded it")
    assert "</conversation>" not in text  # the fence cannot be closed from inside
    assert clean_rewrite('Standalone question: "Who runs Acme?"\nextra', "Who runs it?") == "Who runs Acme?"
    assert clean_rewrite("  \n ", "Who runs it?") == ""
    assert clean_rewrite("x" * 500, "Why?") == ""


def test_the_sentences_the_previous_answer_quoted_are_known_to_the_next_turn():
    from rag.answering.repeats import quoted_before

    said = quoted_before([Turn("Who built it?", cited=("The  bridge was built by Acme.",))])
    assert said == frozenset({"The bridge was built by Acme."})
    assert quoted_before([]) == frozenset()  # the scorer's ``repeat`` feature: tests/unit/test_answer_features.py


def test_a_plural_pronoun_can_point_at_the_list_the_answer_gave():
    turn = Turn("Which vaccines are given to newborn infants?", answer="Hepatitis B and BCG.",
                cited=("At birth infants receive the polio vaccine and rubella shots.",))
    rare = {"polio": 3.0, "rubella": 3.0}  # as a corpus idf would rank them
    plural = resolve("How are they stored?", [turn], weight=lambda t: rare.get(t, 1.0))
    assert {"polio", "rubella"} <= set(plural.carried)
    singular = resolve("How is it stored?", [turn], weight=lambda t: rare.get(t, 1.0))
    assert not {"polio", "rubella"} & set(singular.carried)  # "it": the question's topic, not the list


def test_a_one_word_turn_naming_a_rare_topic_of_its_own_stands_alone():
    idf = {"hamnet": 5.0, "romeo": 4.0, "juliet": 4.0, "adaptations": 3.0, "film": 1.0, "sequel": 1.0}
    weight = lambda t: idf.get(t, 1.0)  # noqa: E731 - as a corpus idf would rank them
    earlier = ["How many film adaptations of Romeo and Juliet are there?"]
    alone = resolve("Hamnet?", earlier, weight=weight)
    assert not alone.changed and alone.standalone == "Hamnet?"  # a new topic, not a follow-up
    common = resolve("Sequel?", earlier, weight=weight)
    assert common.changed and "Romeo" in common.carried  # a common word leans on the conversation


def test_an_object_pronoun_after_its_clauses_subject_points_back():
    assert follow_up_reason("What did Docter call it?") == "pronoun"
    assert follow_up_reason("Did Messi score against them?") == "pronoun"
    assert follow_up_reason("How did Globex fund its expansion?") == ""  # a possessive may mean the subject
    assert follow_up_reason("Who bought Initech and when did they sell it?") == ""  # another clause
    r = resolve("What did Docter call it?", ["Which studio released the Hamnet sequel in May?"])
    assert r.changed and "Hamnet" in r.carried
    assert follow_up_reason("As for the Lakers, who coached them?") == ""  # the comma ends the subject's clause
