"""The fitted yes/no verdict (rag.answering.shaped.verdict): the question's form read from general cues, the
named features from what the support check measured, the decision by the shipped weights; and compose_yesno
on tiny invented articles in several domains with the real embedding model and support check."""
from __future__ import annotations

import pytest

from rag import yesno_weights
from rag.answering.shaped.common import statements
from rag.answering.shaped.verdict import FEATURES, ClaimMeasure, decide, features, probability, question_cues
from rag.answering.shaped.yesno import compose_yesno
from rag.support import check
from tests.unit.test_shapes_composers import build


@pytest.mark.parametrize("question, cues", [
    ("Did the orchestra's programme change between the spring and the autumn reviews?", {"asks_change"}),
    ("Has the museum's coverage remained consistent across both guides?", {"asks_same"}),
    ("Do the two match reports differ on who scored first?", {"asks_difference"}),
    ("Was there no shift in how the bakery column rated the bread?", {"asks_change", "negated", "change_negated"}),
    ("Does the review suggest the band played only acoustic sets?", set()),
    ("Did the ferry resume in May?", set()),
])
def test_question_cues_read_the_form_not_the_topic(question, cues):
    found = {name for name, value in question_cues(question).items() if value}
    assert found == cues, found


@pytest.mark.parametrize("question", ["Do the reviewers disagree on the menu?",
                                      "Was the tally inconsistent between the two reports?"])
def test_a_negated_same_word_reads_as_not_the_same_not_as_agreement(question):
    # "disagree" / "inconsistent" deny agreement: a claim that the reports fail to agree, not that they differ in
    # what they describe, and never a question whether they agree.
    cues = question_cues(question)
    assert cues["same_negated"] and cues["negated"] and not cues["asks_difference"]


def test_a_difference_word_without_a_same_word_inside_stays_a_difference():
    assert {n for n, v in question_cues("Do the two logs contradict each other?").items() if v} == {"asks_difference"}


def test_features_from_measures():
    measures = [ClaimMeasure(0.8, "supported", 0.9, named=True, found=True),
                ClaimMeasure(0.2, "contradicted", 0.4, named=True, found=False)]
    named = features("Did the Herald say the pier closed, while the Post said it reopened?", measures, 0.7)
    assert set(named) == set(FEATURES)
    assert named["claims"] == 2 and named["support_min"] == 0.2 and named["support_max"] == 0.8
    assert named["contradicted"] == 1 and named["contradicted_about"] == 0  # the quote is not about the claim
    assert named["source_missing"] == 1 and named["all_supported"] == 0 and named["about_min"] == 0.4


def test_shipped_weights_match_the_features():
    assert set(yesno_weights.FEATURES) <= set(FEATURES)
    assert len(yesno_weights.MEANS) == len(yesno_weights.SCALES) == len(yesno_weights.WEIGHTS) == len(yesno_weights.FEATURES)


def test_evidence_moves_the_verdict_the_right_way():
    question = "Did the council approve the new cycle lanes?"
    supported = features(question, [ClaimMeasure(0.9, "supported", 1.0)], 0.8)
    denied = features(question, [ClaimMeasure(0.05, "contradicted", 0.9)], 0.8)
    assert probability(supported) > probability(denied)
    assert decide(supported).word == "yes" and decide(supported).settled_by_evidence
    assert decide(denied).word == "no" and decide(denied).settled_by_evidence
    # A "supporting" quote holding under half the claim's terms does not settle it: the fitted chance decides.
    near = features(question, [ClaimMeasure(0.9, "supported", 0.4)], 0.8)
    assert not decide(near).settled_by_evidence


def test_a_named_source_not_read_leaves_it_unsettled_when_asked_to():
    named = features("Did the Gazette report that the mill closed?",
                     [ClaimMeasure(0.4, "unsupported", 0.6, named=True, found=False)], 0.5)
    assert decide(named, missing_unsettled=True).word == "unsettled"
    assert decide(named, margin=0.5).word == "unsettled"  # nothing is that far from even
    assert decide(named, missing_unsettled=False, margin=0.0).word in ("yes", "no")


DOMAINS = {
    "sport": ({"match.txt": ("The Rovers beat the Harriers 3-1 on Saturday. Their striker scored twice in the "
                             "second half. The attendance was 12,400.", "2024-03-02", "Rovers Win"),
               "league.txt": ("The league fined the Harriers for a late kick-off. The Rovers now sit second in "
                              "the table.", "2024-03-04", "League Notes")},
              ("Did the Rovers beat the Harriers 3-1?", "Yes"), ("Did the Rovers beat the Harriers 5-0?", "No")),
    "finance": ({"bank.txt": ("The regional bank raised its savings rate to 4.5% in June. Deposits grew by 8% over "
                              "the quarter. The bank opened two branches.", "2024-06-20", "Bank Raises Rate"),
                 "markets.txt": ("Analysts said the higher rate would draw deposits from rivals. Mortgage rates "
                                 "were unchanged.", "2024-06-21", "Markets")},
                ("Did the regional bank raise its savings rate to 4.5%?", "Yes"),
                ("Did the regional bank raise its savings rate to 7%?", "No")),
    # A claim ordering two events ("... before ...") whose first side the passage denies.
    "theatre": ({"stage.txt": ("The touring company was never offered a second season at the Lyric since its "
                               "director had said she would not extend the run. The final show sold out.",
                               "2024-09-12", "Curtain Falls"),
                 "review.txt": ("The company opened its autumn tour in Leeds to warm reviews. The autumn tour "
                                "opened in October.", "2024-10-03", "Autumn Tour")},
                ("Did the touring company open its autumn tour in Leeds?", "Yes"),
                ("Was the touring company offered a second season at the Lyric before its autumn tour opened?",
                 "No")),
}


@pytest.mark.parametrize("domain", sorted(DOMAINS))
def test_compose_yesno_verdicts_in_several_domains(embedder, domain):
    files, (yes_question, yes), (no_question, no) = DOMAINS[domain]
    for question, expected in ((yes_question, yes), (no_question, no)):
        candidates, hits, texts = build(embedder, question, files)
        blocks, openings = compose_yesno(question, hits, texts, lambda c, e: check(c, e, embedder),
                                         statements(candidates, texts))
        verdict = "".join(text for text, _ in openings[0].parts)
        assert verdict.startswith(expected), (question, verdict)
        assert openings[0].label == "verdict" and blocks  # the evidence is quoted
        assert all(texts[q.chunk.source][q.start:q.end] == q.text for b in blocks for q in b.quotes)


def test_a_verdict_sentence_is_as_supported_as_its_claims_checks_found():
    from rag.answering.shaped.verdict import Verdict
    from rag.answering.shaped.yesno import verdict_support

    supported = [ClaimMeasure(0.9, "supported"), ClaimMeasure(0.7, "supported")]
    assert verdict_support(Verdict("yes", 0.2, True), supported) == 0.7  # the model leaning "no" does not matter
    denied = [ClaimMeasure(0.3, "contradicted", about=0.75), ClaimMeasure(0.8, "supported")]
    assert verdict_support(Verdict("no", 0.9, True), denied) == 0.75
    assert verdict_support(Verdict("yes", 0.8, False), supported) == 0.0  # "on balance": no passage states it
    assert verdict_support(Verdict("yes", 0.8, True), []) == 0.0
