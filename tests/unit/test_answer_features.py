"""The answer scorer's named features and the abstention model's, on tiny invented texts (sports, films,
companies, science, cities)."""
from __future__ import annotations

import re

import numpy as np

from rag import abstain_features as af
from rag import answer_features as f
from rag.answering.extractive import Candidate, score_candidates, select
from rag.types import Chunk


def _candidates(text: str, source: str = "a.txt", rank: int = 0) -> list[Candidate]:
    """One Candidate per sentence of one paragraph."""
    chunk = Chunk(f"{source}-c", source, f"/{source}", 0, len(text), text)
    out, start = [], 0
    for part in re.split(r"(?<=[.?])\s+", text):
        at = text.index(part, start)
        out.append(Candidate(chunk, at, at + len(part), part, rank))
        start = at + len(part)
    return out


def _row(x: np.ndarray, i: int, name: str) -> float:
    return float(x[i, f.FEATURES.index(name)])


def test_the_question_is_read_once_for_its_kind_speaker_period_and_list():
    cues = f.read_question("What did coach Ann Vik say about the derby the season before?", {"derby": 2.0})
    assert cues.speaker == ("Ann", "Vik") and cues.periods == {"before season"}
    assert f.read_question("How much did the studio pay for the script?", {}).kind == "money"
    assert f.read_question("Which films did the studio release?", {}).several
    assert not f.read_question("Why did the bridge close?", {}).several


def test_coverage_is_the_share_of_the_questions_idf_mass():
    assert f.coverage({"port"}, {"port": 3.0, "ship": 1.0}) == 0.75
    assert f.coverage(set(), {"port": 3.0}) == 0.0
    assert f.coverage({"x"}, {}) == 0.0


def test_a_value_of_the_asked_kind_is_stated_or_not():
    assert f.kind_stated("The merger was valued at $2.4 billion.", "money")
    assert not f.kind_stated("The merger was widely praised.", "money")
    assert f.kind_stated("The comet returned in 1986.", "date")
    assert f.kind_stated("The striker joined Porto.", "organisation", "Which club did the striker join?")
    assert not f.kind_stated("The comet returned in 1986.", None)  # an explanation asked: no kind


def test_the_scorer_marks_questions_and_headlines_as_never_answers():
    page = "Storm Closes Harbour\n\nWhy did the ferry stop? The harbour closed at noon.\n"
    chunk = Chunk("p-c", "p.txt", "/p.txt", 0, len(page), page)
    spans = [(0, page.index("\n")), (page.index("Why"), page.index("?") + 1),
             (page.index("The harbour"), page.rindex(".") + 1)]
    cands = [Candidate(chunk, a, b, page[a:b], 0) for a, b in spans]
    vectors = np.eye(3)[[0, 1, 2]] * 0.5 + 0.5
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    score_candidates("When did the harbour close?", vectors[2], cands, vectors, {"harbour": 2.0, "close": 1.0})
    assert [c.never for c in cands] == [True, True, False]
    assert all(c.features is not None and len(c.features) == len(f.FEATURES) for c in cands)
    assert all(c.score >= 0.001 for c in cands) and cands[2].relevance > 0


def test_quoted_sentences_are_compared_squashed():
    assert f.squashed("Sales  rose [3]\n5%") == "Sales rose (3) 5%"


def test_corroboration_is_the_best_cosine_with_another_file():
    vectors = np.array([[1.0, 0.0], [0.8, 0.6], [1.0, 0.0]])
    assert f.corroboration(vectors, ["a", "a", "b"]).tolist() == [1.0, 0.8, 1.0]
    assert f.corroboration(vectors[:2], ["a", "a"]).tolist() == [0.0, 0.0]


def test_the_feature_rows_carry_the_cues_of_the_question():
    text = ('The studio released the sequel in May 2021. "It is a love letter to the first film," Docter said. '
            "Last season the league fined the club, docked points and banned two players.")
    cands = _candidates(text)
    for c in cands:
        c.cosine, c.vector = 0.5, None
    speech = f.feature_matrix(f.read_question("What did Docter say of the sequel?", {"docter": 1.0, "sequel": 1.0}),
                              cands, {})
    assert _row(speech, 1, "speech_cue") == 1.0 and _row(speech, 0, "speech_cue") == 0.0
    assert _row(speech, 0, "coverage") == 0.5 and _row(speech, 1, "coverage") == 0.5
    listing = f.feature_matrix(f.read_question("What other measures did the league take the season before?",
                                               {"league": 1.0}), cands, {})
    assert _row(listing, 2, "period_cue") == 1.0 and _row(listing, 2, "list_cue") == 1.0
    assert _row(listing, 0, "list_cue") == 0.0
    when = f.feature_matrix(f.read_question("When was the sequel released?", {"sequel": 1.0}), cands, {})
    assert _row(when, 0, "kind_stated") == 1.0 and _row(when, 2, "kind_missing") == 1.0


def test_a_sentence_quoted_before_is_a_repeat_and_its_neighbour_borrows_its_words():
    text = "Divers reached 40 metres below the surface. The survey mapped the reef. Lunch was served."
    cands = _candidates(text)
    for c in cands:
        c.cosine = 0.3
    previous = {id(cands[1]): cands[0], id(cands[2]): cands[1]}
    idf = {"depth": 2.0, "reef": 1.0, "survey": 1.0}
    said = frozenset({f.squashed("The survey mapped the reef.")})
    x = f.feature_matrix(f.read_question("From what depth?", idf), cands, previous, said)
    assert [_row(x, i, "repeat") for i in range(3)] == [0.0, 1.0, 0.0]
    assert _row(x, 0, "beside_repeat") == 0.5  # the quoted sentence's reef and survey: half the idf mass
    assert _row(x, 1, "beside_repeat") == 0.0  # the repeat itself borrows nothing
    plain = f.feature_matrix(f.read_question("From what depth?", idf), cands, previous)
    assert not plain[:, f.FEATURES.index("repeat")].any() and not plain[:, f.FEATURES.index("beside_repeat")].any()


def test_the_learned_score_is_kept_above_zero_on_the_blend_scale():
    assert f.logits(np.zeros((2, len(f.FEATURES)))).shape == (2,)
    assert f.on_blend_scale(np.array([-1e9]))[0] == 0.001
    assert f.on_blend_scale(np.array([1.0]))[0] > f.on_blend_scale(np.array([0.0]))[0]


def test_the_abstention_reads_names_years_and_what_is_asked():
    assert af.names_missing("Where did Ann Lee play?", ["Lee played in Oslo."]) == 0.0
    assert af.names_missing("What did Acme pay Borealis?", ["Acme paid a fee."]) == 0.5
    assert af.year_missing("Who won the marathon in 2019?", ["She won it in 2018."])
    assert not af.year_missing("Who won the marathon in 2019?", ["In 2019 she won it."])
    assert not af.year_missing("Who won the marathon?", [])
    assert af.predicate_coverage("When was the Oak Hall built?", ["The hall was built in 1901."]) == 1.0
    assert af.predicate_coverage("When was the Oak Hall built?", ["The hall is red."]) == 0.0
    empty = af.question_features("Who?", [], [], [], [], [])
    assert empty[0] == -10.0 and len(empty) == len(af.FEATURES)
    assert 0.0 <= af.probability(empty) <= 1.0


def test_a_bare_date_line_is_never_an_answer():
    page = "The quiet ferries we lost this year\n2024-05-02\n\nThe harbour closed its last ferry route in May.\n"
    chunk = Chunk("p-c", "p.txt", "/p.txt", 0, len(page), page, title="The quiet ferries we lost this year")
    spans = [(page.index("2024"), page.index("2024") + 10), (page.index("The harbour"), page.rindex(".") + 1)]
    cands = [Candidate(chunk, a, b, page[a:b], 0) for a, b in spans]
    vectors = np.full((2, 4), 0.5)
    score_candidates("When did the ferry route close?", vectors[0], cands, vectors, {"ferry": 2.0})
    assert [c.never for c in cands] == [True, False]


def test_a_question_line_scoring_best_is_never_quoted():
    cands = _candidates("Which city hosts the summit? The summit is held in Lisbon every June.")
    for c, score in zip(cands, (0.9, 0.6)):
        c.score, c.logit, c.cosine, c.lexical = score, 3.0, 0.8, 0.8
    cands[0].never = True
    chosen = select("Which city hosts the summit?", cands, abstain_below=0.0)
    assert not chosen.abstained and [g[0].text for g in chosen.sentences] == [cands[1].text]
    declined = select("Which city hosts the summit?", cands[:1], abstain_below=0.0)
    assert declined.abstained  # nothing but the question line: nothing to quote


def test_relevance_is_the_blend_the_abstention_bar_reads():
    row = np.zeros((1, len(f.FEATURES)))
    row[0, f.FEATURES.index("cosine")] = 0.5
    row[0, f.FEATURES.index("window_coverage")] = 0.5
    plain = f.relevance(row, None)[0]
    assert abs(plain - 0.5) < 1e-9  # 0.6 x 0.5 + 0.4 x 0.5
    row[0, f.FEATURES.index("kind_stated")] = 1.0
    assert f.relevance(row, "money")[0] > f.relevance(row, "person")[0] > plain
    assert f.relevance(row, None)[0] == plain  # no kind asked: a stated value earns nothing


def test_the_evidence_row_reads_the_best_sentences_own_features():
    best = np.arange(len(f.FEATURES), dtype=float)
    x = af.question_features("When did the museum reopen?", ["The museum reopened in March 2022.", "It is large."],
                             [2.0, 0.5], [0.7, 0.4], [0.6, 0.2], ["a.txt", "b.txt"], best)
    assert len(x) == len(af.FEATURES)
    assert x[af.FEATURES.index("top_cosine")] == best[f.FEATURES.index("cosine")]
    assert x[af.FEATURES.index("kind_stated_top")] == 1.0 and x[af.FEATURES.index("kind_missing_top")] == 0.0
    assert x[af.FEATURES.index("answer_shape")] == 1.0
    assert x[af.FEATURES.index("score_gap")] == 0.75  # the best over the median of 2.0 and 0.5
