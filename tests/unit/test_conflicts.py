"""Disagreements on tiny strings in several domains: typed values per file, near-copies that swap a value,
majority and minority, the relevance bar, and when the model is not asked."""
from rag.answering.conflicts import Passage, answering_value, find_conflict, find_disagreement


class CountingRelevance:
    """Scores clauses by a table (default 1.0) and records every call, as the Assistant's model-backed one would."""

    def __init__(self, table=None):
        self.table = table or {}
        self.calls: list[list[str]] = []

    def __call__(self, clauses):
        self.calls.append(list(clauses))
        return [next((v for k, v in self.table.items() if k in c), 1.0) for c in clauses]


def sides(found):
    return [(s.value, s.sources, s.minority) for s in found.sides]


def test_two_files_with_different_shares_disagree_with_each_side_cited():
    found = find_conflict("What share of the vote did the Greens win?",
                          [(1, "a.txt", "The Greens won 12% of the vote."), (2, "b.txt", "The Greens won 15% of the vote.")])
    assert found == ("share", [("12%", [1]), ("15%", [2])])


def test_one_file_against_several_is_a_minority_report():
    question = "When was the stadium opened?"
    found = find_disagreement(question, [Passage(1, "a.txt", "The stadium opened in 1923.", 0),
                                         Passage(2, "b.txt", "Built in 1923, the stadium seats 40,000.", 1),
                                         Passage(3, "c.txt", "The stadium was opened in 1931 by the mayor.", 2)])
    assert sides(found) == [("1923", ["a.txt", "b.txt"], False), ("1931", ["c.txt"], True)]


def test_near_copies_that_swap_a_word_contradict_and_the_better_ranked_one_is_adopted():
    question = "What sport is the Riverside club associated with?"
    found = find_disagreement(question, [
        Passage(1, "a.txt", "The Riverside club is a football club founded by dock workers.", 0, 0.9),
        Passage(2, "b.txt", "The Riverside club is a basketball club founded by dock workers.", 1, 0.9)])
    assert found.contradiction
    assert sides(found) == [("football", ["a.txt"], False), ("basketball", ["b.txt"], True)]


def test_different_passages_with_different_directors_are_readings_not_a_minority():
    question = "Who directed the film Night Train?"
    found = find_disagreement(question, [
        Passage(1, "a.txt", "Night Train is a 1959 thriller directed by Jerzy Kawalerowicz.", 0, 0.8),
        Passage(2, "b.txt", "The 1999 remake of Night Train was directed by John Lynch in Dublin.", 1, 0.78)])
    assert not found.contradiction
    assert sides(found) == [("Jerzy Kawalerowicz", ["a.txt"], False), ("John Lynch", ["b.txt"], False)]


def test_a_low_ranked_file_alone_is_a_minority():
    question = "Who directed the film Night Train?"
    found = find_disagreement(question, [
        Passage(1, "a.txt", "Night Train is a 1959 thriller directed by Jerzy Kawalerowicz.", 0, 0.8),
        Passage(2, "b.txt", "Critics said John Lynch directed a Night Train tribute.", 1, 0.5)])
    assert sides(found)[1] == ("John Lynch", ["b.txt"], True)


def test_name_variants_agree_and_the_fullest_form_is_kept():
    question = "Who coaches the national team?"
    assert find_disagreement(question, [Passage(1, "a.txt", "The team is coached by Lopez.", 0),
                                        Passage(2, "b.txt", "Coach Maria Lopez named her squad.", 1)]) is None


def test_company_revenues_in_different_units_agree():
    question = "How much revenue did Fernhill Foods report?"
    assert find_disagreement(question, [Passage(1, "a.txt", "Fernhill Foods reported revenue of $2.6 billion.", 0),
                                        Passage(2, "b.txt", "Revenue came to $2,600 million, Fernhill said.", 1)]) is None


def test_answering_value_takes_the_clause_about_the_question():
    assert answering_value("Sales fell 3% in May; exports are 40% of sales.", "share",
                           "What share of sales are exports?").text == "40%"
    relevance = CountingRelevance({"reserves": 0.2})
    assert answering_value("It holds 40% of reserves and 67% of production.", "share",
                           "What proportion of world output does it account for?", relevance).text == "67%"


def test_a_figure_whose_clause_answers_something_else_is_not_compared():
    question = "What share of the league's goals did the champions score?"
    passages = [Passage(1, "a.txt", "The champions scored 18% of the league's goals.", 0),
                Passage(2, "b.txt", "Ticket prices rose 30% this season.", 1)]
    assert find_disagreement(question, passages, CountingRelevance({"Ticket": 0.3})) is None
    assert find_disagreement(question, passages, CountingRelevance()) is not None


def test_the_model_is_not_asked_when_no_two_files_could_disagree():
    relevance = CountingRelevance()
    same_value = [Passage(1, "a.txt", "The Greens won 12% of the vote."), Passage(2, "b.txt", "Some 12% voted Green.")]
    assert find_disagreement("What share of the vote did the Greens win?", same_value, relevance) is None
    assert relevance.calls == []


def test_values_one_file_states_together_are_not_a_disagreement():
    passages = [(1, "a.txt", "One poll gave 12%; another gave 15%."), (2, "a.txt", "Polls put them at 15%.")]
    assert find_conflict("What share of the vote did the Greens win?", passages) is None


def test_a_question_asking_for_an_explanation_has_no_value_to_compare():
    passages = [Passage(1, "a.txt", "Costs rose 5%."), Passage(2, "b.txt", "Costs rose 9%.")]
    assert find_disagreement("Why did the council change its mind?", passages) is None


def test_near_copies_that_change_several_stretches_still_contradict():
    question = "Where is the Harbour Museum located?"
    found = find_disagreement(question, [
        Passage(1, "a.txt", "The museum was located on Main Street in Portsmouth, in Hampshire County, by the quay.",
                0, 0.9),
        Passage(2, "b.txt", "The museum was located on Main Street in Dover, in Kent County, by the quay.", 1, 0.9)])
    assert found.contradiction
    assert [s.minority for s in found.sides] == [False, True]


def test_different_texts_about_two_films_are_not_near_copies():
    question = "When was Night Train released?"
    found = find_disagreement(question, [
        Passage(1, "a.txt", "Night Train, the thriller by Jerzy Kawalerowicz, was released in 1959.", 0, 0.9),
        Passage(2, "b.txt", "A remake shot in Dublin with a new cast came out in 1999 under the same title.", 1, 0.9)])
    assert not found.contradiction
    assert not any(s.minority for s in found.sides)


def test_other_passages_stating_a_value_count_their_files_and_outvote_a_single_file():
    # Sports score: each file's best passage gives one score; a third file states the first elsewhere.
    question = "What was the final score of the cup final?"
    passages = [Passage(1, "a.txt", "The cup final ended with a final score of 3 goals to one.", 0),
                Passage(2, "b.txt", "The cup final ended with a final score of 5 goals to one.", 1)]
    support = [Passage(3, "c.txt", "Rovers scored 3 goals in the cup final, a club record.", 2)]
    alone = find_disagreement(question, passages)
    found = find_disagreement(question, passages, support=support)
    assert alone.sides[1].sources == ["b.txt"]
    assert [(s.value, s.sources, s.minority) for s in found.sides] == [
        ("3 goals", ["a.txt", "c.txt"], False), ("5 goals", ["b.txt"], True)]


def test_corroboration_in_other_domains_film_years_revenues_and_officials():
    film = find_disagreement("When was the film Blue River released?", [
        Passage(1, "a.txt", "Blue River was released in 1994 to good reviews.", 0),
        Passage(2, "b.txt", "The film Blue River premiered at festivals and was released in 1997.", 1)],
        support=[Passage(3, "c.txt", "In 1994 the studio released Blue River nationwide.", 2),
                 Passage(4, "d.txt", "Blue River (1994) starred two newcomers.", 3)])
    assert [(s.value, len(s.sources), s.minority) for s in film.sides] == [("1994", 3, False), ("1997", 1, True)]
    revenue = find_disagreement("What was the revenue of Acme Corp in 2020?", [
        Passage(1, "a.txt", "Acme Corp reported revenue of $4.2 billion for 2020.", 0),
        Passage(2, "b.txt", "Acme Corp reported revenue of $9 billion for 2020.", 1)],
        support=[Passage(3, "c.txt", "Sales reached $4,200 million, the company said.", 2)])
    assert [(s.value, s.minority) for s in revenue.sides] == [("$4.2 billion", False), ("$9 billion", True)]
    # A passage naming only one word of a full name does not corroborate it; one stating both values counts for none.
    official = find_disagreement("Who is the mayor of Eastport?", [
        Passage(1, "a.txt", "The mayor of Eastport is Maria Gonzalez, elected in 2018.", 0),
        Passage(2, "b.txt", "The mayor of Eastport is Peter Novak, elected in 2018.", 1)],
        support=[Passage(3, "c.txt", "Maria spoke at the opening.", 2),
                 Passage(4, "d.txt", "Maria Gonzalez defeated Peter Novak in the race.", 3)])
    assert sorted(len(s.sources) for s in official.sides) == [1, 1]


def test_each_reading_of_the_question_has_its_own_relevance_bar():
    # Two buildings of one name: the second file's clause scores low on the question as asked (it does not
    # name the hall) but as high as the first on the question without its names.
    question = "When was Marston Hall built?"
    passages = [Passage(1, "a.txt", "Marston Hall was built in 1742 for a merchant.", 0),
                Passage(2, "b.txt", "The student block dates from 1968.", 1)]  # not "built": no event bar
    as_asked = CountingRelevance({"1742": 0.9, "1968": 0.4})
    without_names = CountingRelevance({"1742": 0.7, "1968": 0.68})
    assert find_disagreement(question, passages, as_asked) is None
    found = find_disagreement(question, passages, (as_asked, without_names))
    assert sorted(s.value for s in found.sides) == ["1742", "1968"]


def test_a_files_passage_is_the_one_saying_what_is_asked():
    from types import SimpleNamespace

    from rag.answering.file_conflicts import says_asked

    def cand(text, score):
        return SimpleNamespace(text=text, score=score, relevance=score)

    # Film: "directed" shares the stem of "director"; the higher-scoring sentence only names the cast.
    film = [cand("Blue River stars Ann Lee and Tom Hart.", 0.8), cand("Blue River was directed by Sam Ray.", 0.7)]
    assert max(film, key=says_asked("Who is the director of Blue River?")).text.endswith("Sam Ray.")
    # Newspaper: "published" against "founded".
    paper = [cand("The Courier was founded by Ida Wells.", 0.9), cand("The Courier is published in Dover.", 0.6)]
    assert max(paper, key=says_asked("Where is the Courier published?")).text.endswith("Dover.")
    # Company: with no asked word in either sentence, the better score wins.
    firm = [cand("Acme hired Jo Park in 2001.", 0.5), cand("Acme moved to Leeds.", 0.4)]
    assert max(firm, key=says_asked("Who founded Acme?")).score == 0.5


def test_a_clause_holds_its_whole_value_and_reads_up_to_it():
    from rag.answering.clauses import clause_around, clause_head
    from rag.readers.values import dates, money

    # Sports: a date with a comma inside is one value; the clause does not stop at that comma.
    final = "The final was played on May 4, 1996, before 80,000 fans."
    day = dates(final)[0]
    assert clause_around(final, day.start, day.end) == "The final was played on May 4, 1996"
    # Buildings: what follows the value is about something else; the head stops at the value.
    hall = "The present hall was built in 1928 as the third to stand on the same site."
    assert clause_head(hall, dates(hall)[0]) == "The present hall was built in 1928"
    # Companies: a value opening its clause has no words before it, so the head is the whole clause.
    firm = "Acme reported two figures; $4 million in revenue came from exports."
    assert clause_head(firm, money(firm)[0]) == " $4 million in revenue came from exports."
    # Films: a release date after the title.
    film = "Blue River, released on 2 July 1979 in Paris, was a hit."
    assert clause_head(film, dates(film)[0]) == "released on 2 July 1979"


def test_a_value_compared_by_its_clause_up_to_the_value():
    # The second file's clause goes on about something else after its year; read up to the year, it answers
    # the question as well as the first, so the two buildings' years are both given.
    question = "When was the Grand Arena built?"
    passages = [Passage(1, "a.txt", "The Grand Arena was built in 1874.", 0),
                Passage(2, "b.txt", "The present arena was built in 1928 as the third to stand on the old market "
                                    "site beside the river.", 1)]
    relevance = CountingRelevance({"market": 0.3})
    found = find_disagreement(question, passages, relevance)
    assert sorted(s.value for s in found.sides) == ["1874", "1928"]
    # A clause that says something else up to its year is still not compared.
    other = [passages[0], Passage(2, "b.txt", "Ticket sales doubled in 1928 at the market site.", 1)]
    assert find_disagreement(question, other, CountingRelevance({"Ticket": 0.3})) is None


def test_a_files_date_passage_is_the_one_saying_what_is_asked():
    from types import SimpleNamespace

    from rag.answering.file_conflicts import _picked

    def cand(text, score):
        return SimpleNamespace(text=text, score=score, relevance=score)

    # Buildings: the congregation's founding scores higher, the sentence about the building says "built".
    church = [cand("The congregation was organized in 1866 by settlers.", 0.74),
              cand("The present church was built in 1928 on the same site.", 0.53)]
    assert "1928" in _picked(church, "date", "When was the Swedish Church built?", None).text
    # Officials: "elected" against an earlier event of the same person's life.
    official = [cand("Ann Lee joined the council staff in 1950.", 0.8), cand("Lee was elected in 1962.", 0.6)]
    assert "1962" in _picked(official, "date", "When was Ann Lee elected?", None).text
    # Companies: with no asked word in either sentence, the better score wins.
    firm = [cand("Acme listed its shares in 1999.", 0.7), cand("Acme moved to Leeds in 2004.", 0.5)]
    assert "1999" in _picked(firm, "date", "When was Acme founded?", None).text


def test_a_dates_clause_stating_the_asked_event_answers_a_when_question():
    from rag.readers.verbs import closing_verb_terms

    # Transport: the station's opening, not its closing, in one sentence.
    station = "Originally opened by the Eastern Railway in 1876, the station was closed in 2006 by the city."
    assert answering_value(station, "date", "When did Hallam station open?").text == "1876"
    # Officials: the death, not the birth of a child.
    official = "Her son was born in 1690, and Ann Lee died in 1737 at home."
    assert answering_value(official, "date", "When did Ann Lee die?").text == "1737"
    # Companies: the founding, whatever year the sentence names first.
    firm = "Acme, listed in 1999, was founded in 1950 by Jo Park."
    assert answering_value(firm, "date", "When was Acme founded?").text == "1950"
    # A question closing on a name has no event word.
    assert closing_verb_terms("When did the film open in Paris?") == frozenset()


def test_a_date_stating_the_asked_event_is_compared_at_the_lower_bar():
    # Buildings: the second file's clause scores half the first's, but it says "built": another building's date.
    question = "When was the Grand Arena built?"
    built = [Passage(1, "a.txt", "The Grand Arena was built in 1874.", 0),
             Passage(2, "b.txt", "The present hall was built in 1928 beside the river.", 1)]
    found = find_disagreement(question, built, CountingRelevance({"1928": 0.5}))
    assert sorted(s.value for s in found.sides) == ["1874", "1928"]
    # Sports: a date at the same score that does not state the event stays out.
    sold = [built[0], Passage(2, "b.txt", "Season tickets sold out in 1928 beside the river.", 1)]
    assert find_disagreement(question, sold, CountingRelevance({"1928": 0.5})) is None
    # Officials: a death date far below the bar stays out even when it says "died".
    far = [Passage(1, "a.txt", "Ann Lee died in 1737.", 0), Passage(2, "b.txt", "Her clerk died in 1740.", 1)]
    assert find_disagreement("When did Ann Lee die?", far, CountingRelevance({"1740": 0.2})) is None


def test_a_clause_read_up_to_its_date_does_not_raise_the_bar_for_the_others():
    # Buildings of one name: the first file's clause read up to its year scores higher than the whole clause;
    # the bar stays the whole clauses' best, so the other building's year is still compared.
    question = "When was Marston Hall built?"
    passages = [Passage(1, "a.txt", "Marston Hall was built in 1742 for a wool merchant.", 0),
                Passage(2, "b.txt", "Work on the college block began in 1968.", 1)]
    relevance = CountingRelevance({"merchant": 0.75, "1742": 0.9, "1968": 0.7})
    found = find_disagreement(question, passages, relevance)
    assert sorted(s.value for s in found.sides) == ["1742", "1968"]


def test_a_planted_copy_followed_by_another_sentence_still_contradicts():
    # Music: the copy swaps the artist and carries one more sentence the original passage lacks.
    question = "Who is the artist of the EP Blue Hour?"
    found = find_disagreement(question, [
        Passage(1, "a.txt", "Blue Hour is the debut release for Ann Lee.", 0, 0.9),
        Passage(2, "b.txt", "Blue Hour is the debut release for Bo Chan. It was released in May through Sun Records.",
                1, 0.9)])
    assert found.contradiction
    assert [(v.rstrip("."), f, m) for v, f, m in sides(found)] == [("Ann Lee", ["a.txt"], False),
                                                                  ("Bo Chan", ["b.txt"], True)]


def test_a_swapped_name_other_files_mention_is_still_a_side():
    # Business: the original names the founder that the third file mentions in passing; the copy swaps it.
    question = "Who founded the bakery chain Crumbs?"
    found = find_disagreement(question, [
        Passage(1, "a.txt", "The bakery chain Crumbs was founded in 1990 by Maria Vega in Leeds.", 0, 0.9),
        Passage(2, "b.txt", "The bakery chain Crumbs was founded in 1990 by Tom Hart in Leeds.", 1, 0.9),
        Passage(3, "c.txt", "The rival chain Loaf was founded by Sam Ode, once a baker for Maria Vega.", 2, 0.9)])
    assert found.contradiction
    assert ("Maria Vega", ["a.txt"], False) in sides(found)
    assert ("Tom Hart", ["b.txt"], True) in sides(found)


def test_near_copies_that_changed_two_stretches_swap_the_asked_one():
    # Television: the copy changes the language and the channel; the language is what is asked.
    question = "What is the language of the television series Blue Road?"
    found = find_disagreement(question, [
        Passage(1, "a.txt", "Blue Road (2017 TV series), a 2017 Indian Hindi-language series which aired on Star One "
                            "every week.", 0, 0.9),
        Passage(2, "b.txt", "Blue Road (2017 TV series), a 2017 Indian Tamil-language series which aired on Sun TV "
                            "every week.", 1, 0.9)])
    assert found.contradiction
    assert [(s.value, s.minority) for s in found.sides] == [("Hindi-language", False), ("Tamil-language", True)]


def test_counts_of_different_things_in_two_files_are_not_a_disagreement():
    # Two files answer two parts of one question with counts of different things: nothing to reconcile.
    question = "How many stalls opened, and how many flavours were sold?"
    found = find_disagreement(question, [Passage(1, "a.txt", "The fair opened 20 stalls on the square.", 0),
                                         Passage(2, "b.txt", "Vendors sold 7 flavours of ice cream.", 1)])
    assert found is None
    # ... but the same measure given differently still is one, beside a count of something else.
    found = find_disagreement(question, [Passage(1, "a.txt", "The fair opened 20 stalls on the square.", 0),
                                         Passage(2, "b.txt", "Vendors sold 7 flavours of ice cream.", 1),
                                         Passage(3, "c.txt", "The fair opened 24 stalls in all.", 2)])
    assert [s.value for s in found.sides] == ["20 stalls", "24 stalls"], sides(found)


def test_a_word_the_passages_write_in_lower_case_is_no_name_side():
    # "Meanwhile" opens a sentence; the other passage writes "meanwhile" in lower case: a common word, no name.
    question = "Who designed the bridge?"
    passages = [Passage(1, "a.txt", "The bridge was designed by Ilse Marr in 1931.", 0),
                Passage(2, "b.txt", "Meanwhile, the bridge, designed in 1931, was widened.", 1),
                Passage(3, "c.txt", "The town meanwhile built a second bridge designed by Ilse Marr.", 2)]
    assert find_disagreement(question, passages) is None
    assert answering_value(passages[1].text, "person", question, lowercase=frozenset({"meanwhile"})) is None
    assert answering_value(passages[1].text, "person", question).text == "Meanwhile"  # without the corpus's word
