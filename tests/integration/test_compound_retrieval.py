"""A compound question naming two publications, on a small corpus written here and ingested for real: each
clause's own passage ranks above the articles' openings (which share the names and a little of every clause)."""
import pytest

from tests.conftest import small_corpus

ARTICLES = {
    "herald_ferry.txt": "Ferry strike in Port Anselm ends after talks\n2023-10-07\nMara Quint, Harbor Herald\n\n"
        "The ferry strike in Port Anselm ended on Friday after talks between the union and the operator of the "
        "ferries, the Harbor Herald has learned. Crews who had walked out over pay were back on the decks by noon "
        "and the first crossing left on time, to applause from the waiting passengers.\n\n"
        "Passengers queued at the terminal before dawn. Cafes near the pier stayed open late. Tourists asked about "
        "timetables at the kiosk, and the harbour master posted notices on the gate. Taxi drivers said trade had "
        "been slow for a week and hoped the crossings would bring visitors back before the autumn festival.\n\n"
        "Under the deal the operator raised deck crews' wages by six percent from next month.\n",
    "gazette_ferry.txt": "Ferries sail again from Port Anselm as strike ends\n2023-10-08\nTom Ridley, North Gazette\n\n"
        "Ferries sailed again from Port Anselm on Saturday as the strike by their crews came to an end, and the "
        "operator said every route would run to the normal timetable from Monday. The North Gazette saw the first "
        "boat leave the pier shortly after seven.\n\n"
        "Shops on the quay reported a busy morning. A bakery sold out of bread by nine, and a fishmonger said the "
        "strike had cost him customers from the islands, who could not cross to the market while the boats were "
        "tied up at the pier.\n\n"
        "Union leaders said the walkout had lasted nine days, the longest in the port's history.\n",
}
QUESTION = ("Did the Harbor Herald report that the operator raised wages by six percent, while the North Gazette "
            "reported that the strike lasted nine days?")


@pytest.fixture(scope="module")
def assistant(tmp_path_factory, embedder):
    return small_corpus(tmp_path_factory.mktemp("compound"), ARTICLES, embedder)[1]


def test_each_clause_finds_its_own_passage_first(assistant):
    from rag.filters import Filters

    hits = assistant._retrieve(QUESTION, 4, Filters())
    top_two = [h.chunk.text for h in hits[:2]]
    # Matched as a whole, the Herald's opening (title, masthead, a sentence on the strike) came second and the
    # wage passage third; each clause retrieved on its own puts the two answering passages first.
    assert any("six percent" in text for text in top_two), [h.chunk.text[:60] for h in hits]
    assert any("nine days" in text for text in top_two), [h.chunk.text[:60] for h in hits]
    assert not any(text.startswith(("Ferry strike in", "Ferries sail again")) for text in top_two)


def test_the_answer_cites_both_passages(assistant):
    answer = assistant.ask(QUESTION)
    assert not answer.abstained, answer.answer
    assert "six percent" in answer.answer
