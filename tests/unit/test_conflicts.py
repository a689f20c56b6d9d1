"""Conflict detection on tiny strings: values, clauses, the relevance bar, and when the model is not asked."""
from rag.answering.conflicts import clause_around, find_conflict, leader_names, percentages, topic_of


class CountingRelevance:
    """Scores clauses by a table (default 1.0) and records every call, as the Assistant's model-backed one would."""

    def __init__(self, table=None):
        self.table = table or {}
        self.calls: list[list[str]] = []

    def __call__(self, clauses):
        self.calls.append(list(clauses))
        return [self.table.get(c, 1.0) for c in clauses]


def test_percentages_skip_the_old_value_of_a_change():
    assert [v for v, _ in percentages("fell from 90% to 60 percent, about 5% of the rest")] == ["60%", "5%"]


def test_leader_names_by_title_and_by_cabinet():
    names = [n for n, _ in leader_names("Prime Minister Sanae Takaichi met the Koizumi Masahiko cabinet")]
    assert names == ["Sanae Takaichi", "Koizumi Masahiko"]


def test_clause_around_stops_at_clause_breaks():
    assert clause_around("imports fell to 60%, but it remains 100% reliant", 38) == "it remains 100% reliant"


def test_topic_of_questions():
    assert topic_of("Who is Japan's prime minister?") == "leader"
    assert topic_of("What share of imports come from China?") == "share"
    assert topic_of("When did the ban start?") is None


def test_two_files_with_different_values_disagree_with_each_side_cited():
    relevance = CountingRelevance()
    found = find_conflict("What share of imports come from China?",
                          [(1, "a.txt", "About 60% come from China."), (2, "b.txt", "About 58% come from China.")],
                          relevance)
    assert found == ("share", [("60%", [1]), ("58%", [2])])
    assert len(relevance.calls) == 1  # every clause scored in one call (one model pass for the new ones)


def test_a_value_whose_clause_answers_something_else_is_not_compared():
    question = "What share of imports come from China?"
    passages = [(1, "a.txt", "Dependence fell to 58%, but it remains 100% reliant for dysprosium."),
                (2, "b.txt", "About 60% of imports come from China.")]
    unfiltered = find_conflict(question, passages, CountingRelevance())
    assert [value for value, _ in unfiltered[1]] == ["58%", "100%", "60%"]
    off_topic = CountingRelevance({"it remains 100% reliant for dysprosium.": 0.2})
    assert find_conflict(question, passages, off_topic) == ("share", [("58%", [1]), ("60%", [2])])


def test_the_model_is_not_asked_when_no_two_files_could_disagree():
    relevance = CountingRelevance()
    one_file = [(1, "a.txt", "About 60% come from China."), (2, "a.txt", "Exports fell 12%.")]
    assert find_conflict("What share of imports come from China?", one_file, relevance) is None
    same_value = [(1, "a.txt", "About 60% come from China."), (2, "b.txt", "Some 60% are Chinese.")]
    assert find_conflict("What share of imports come from China?", same_value, relevance) is None
    assert relevance.calls == []


def test_values_one_file_states_together_are_not_a_disagreement():
    passages = [(1, "a.txt", "One estimate is 58%; another is 60%."), (2, "b.txt", "About 60% come from China.")]
    assert find_conflict("What share of imports come from China?", passages, CountingRelevance()) is None
