"""rag.readers.verbs and the answerer's use of it: a verb asked in its bare form after do-support meets the
forms the articles state it in. Tiny strings from several domains."""
from rag.readers.verbs import asked_verb_forms, sentence_terms
from rag.readers.verbs import bare_verbs, inflections


def test_regular_verbs_get_their_forms():
    assert inflections("urge") == {"urge", "urges", "urged", "urging"}
    assert {"coached", "coaches", "coaching"} <= inflections("coach")
    assert {"tried", "tries", "trying"} <= inflections("try")
    assert {"stopped", "stopping", "stops"} <= inflections("stop")
    assert {"visited", "visiting"} <= inflections("visit") and "visitted" not in inflections("visit")


def test_irregular_verbs_get_their_forms():
    assert "said" in inflections("say")
    assert "sold" in inflections("sell")
    assert {"won", "winning"} <= inflections("Win")


def test_bare_verbs_follow_do_support_and_skip_the_subject():
    assert bare_verbs("What did the coach say about the injury?") == ["coach", "say", "injury"]
    assert bare_verbs("Which studio does Pixar Animation partner with?") == ["partner"]
    assert "urge" in bare_verbs("What did league spokesperson Ann Lee urge the clubs to do?")
    assert bare_verbs("How has the company tried to cut costs?") == []  # no do-support: forms left as asked


def test_a_sentence_stating_the_asked_verb_in_another_form_covers_it():
    question = "What did the director urge the studio to release?"
    forms = asked_verb_forms(question, {"director": 1.0, "urge": 2.0, "studio": 1.0, "release": 1.0})
    assert "urge" in sentence_terms("The director urged them to wait for the reviews.", forms)
    assert "urge" not in sentence_terms("The director asked them to wait for the reviews.", forms)
    sold = asked_verb_forms("How many shares did Acme sell?", {"share": 1.0, "sell": 1.0})
    assert "sell" in sentence_terms("Acme sold 3,000 shares on Monday.", sold)


def test_only_weighed_terms_are_expanded():
    assert asked_verb_forms("What did the striker score?", {}) == {}
    assert "score" not in sentence_terms("The striker scored twice.", {})


def test_the_speaker_of_a_question_about_what_someone_said():
    from rag.readers.verbs import asked_speaker

    assert asked_speaker("What did coach Ann Lee say about the draw?") == ("Ann", "Lee")
    assert asked_speaker("What did Pixar's Pete Docter call the sequel?") == ("Pixar", "Pete", "Docter")
    assert asked_speaker("What did the club sign?") == ()  # not a verb of saying
    assert asked_speaker("What did he urge the board to do?") == ()  # no name: nothing to attribute


def test_a_sentence_gives_the_speakers_words():
    from rag.readers.verbs import attributes_speech

    assert attributes_speech('"We were lucky," Lee said after the match.', ("Ann", "Lee"))
    assert attributes_speech("Docter called the sequel a love letter to the first film.", ("Pete", "Docter"))
    assert attributes_speech("Globex chief Mia Roth warned that margins would shrink.", ("Mia", "Roth"))
    assert not attributes_speech("Lee scored twice in the second half.", ("Ann", "Lee"))
    assert not attributes_speech('"Margins will shrink," the analyst said of Globex.', ("Mia", "Roth"))
    assert not attributes_speech("Anything at all.", ())


def test_the_speakers_sentence_outranks_one_only_about_the_topic():
    import numpy as np

    from rag.answering.extractive import Candidate, score_candidates
    from rag.types import Chunk

    texts = ["The studio released the sequel in May after a long delay.",
             '"It is a love letter to the first film," Docter said of the sequel.']
    chunk = Chunk("c", "a.txt", "/a.txt", 0, 200, " ".join(texts))
    cands = [Candidate(chunk, 0, len(t), t, 0) for t in texts]
    vectors = np.array([[1.0, 0.0], [1.0, 0.0]])  # the same meaning: only the attribution tells them apart
    score_candidates("What did Docter call the sequel?", np.array([1.0, 0.0]), cands, vectors,
                     {"docter": 1.0, "call": 1.0, "sequel": 1.0})
    assert cands[1].score > cands[0].score


def test_closing_verb_terms_read_the_event_a_when_question_asks_about():
    from rag.readers.verbs import closing_verb_terms
    from rag.textspans import content_terms

    assert "died" in closing_verb_terms("When did the minister Ann Lee die?")  # officials: a bare verb's forms
    assert closing_verb_terms("When was the Grand Arena built?") == {"built"}  # sports venues
    assert closing_verb_terms("When was the film Blue River released?") == set(content_terms("released"))  # films
    assert closing_verb_terms("When was Acme founded?") == {"found"}  # companies
    assert closing_verb_terms("When did the bank open in Leeds?") == frozenset()  # closes on a name
