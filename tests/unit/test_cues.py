"""rag.readers.cues on tiny strings from several domains: relative periods, questions asking for several
things, sentences that enumerate."""
from rag.readers.cues import asks_for_several, enumerates, relative_periods


def test_the_same_relative_period_in_other_words():
    asked = relative_periods("How many goals did the striker score the season before?")
    assert asked == {"before season"}
    assert asked & relative_periods("Last season he scored 31 goals.")
    assert relative_periods("What did the studio release in the preceding year?") == \
        relative_periods("A year earlier the studio released two films.") == {"before year"}
    assert relative_periods("Profits rose the following quarter.") == {"after quarter"}
    assert not relative_periods("The company was founded in 1999.")
    assert not {"before year"} & relative_periods("Next year the plant opens.")


def test_questions_asking_for_several_things():
    assert asks_for_several("What other measures did the league take?")
    assert asks_for_several("Which films did she direct?")
    assert asks_for_several("What steps has the club taken?")
    assert not asks_for_several("Which film won the award?")
    assert not asks_for_several("What happens next?")  # a verb, not a plural noun
    assert not asks_for_several("What is the status?")
    assert not asks_for_several("What does it cost?")


def test_sentences_that_enumerate():
    assert enumerates("The menu lists tea, coffee and cocoa.")
    assert enumerates("Acme, Globex, Initech, and Umbrella bid for the contract.")
    assert not enumerates("The menu lists tea and coffee.")
    assert not enumerates("The striker scored twice.")


def test_a_sentence_naming_the_asked_period_and_listing_outranks_a_plain_one():
    import numpy as np

    from rag.answering.extractive import Candidate, score_candidates
    from rag.types import Chunk

    texts = ["This season the league fined the club.",
             "Last season the league docked points, fined the owner and banned two players."]
    chunk = Chunk("c", "a.txt", "/a.txt", 0, 200, " ".join(texts))
    cands = [Candidate(chunk, 0, len(t), t, 0) for t in texts]
    vectors = np.array([[1.0, 0.0], [1.0, 0.0]])  # the same meaning: only the cues tell them apart
    score_candidates("What other measures had the league taken the season before?", np.array([1.0, 0.0]), cands,
                     vectors, {"measur": 1.0, "league": 1.0, "taken": 1.0, "season": 1.0})
    assert cands[1].score > cands[0].score + 0.05
