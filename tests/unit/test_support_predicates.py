"""A claim that shares its passage's words but states a predicate, a name or a number the passage does not is not
supported (rag.support_features: unstated_words, unstated_verb, unmatched_name, and the caps in ``cut``), while a
faithful paraphrase of the same passage still is. Tiny invented texts in several domains."""
from __future__ import annotations

import numpy as np
import pytest

from rag import support_weights
from rag.support import check
from rag.support_features import FEATURES, TokenMatches, capped, cut, unstated
from rag.tuning import TUNING

CASES = [  # (passage, faithful paraphrases, claims the passage does not state)
    ("The Lindholm crew won the river final on Sunday after a close race.",
     ["The Lindholm crew won the river final on Sunday.", "The river final was won by the Lindholm crew."],
     ["The Lindholm crew sang after the river final.",
      "The Lindholm crew won the river final under coach Mara Tevik.",
      "The Lindholm crew won the river final by 3 seconds."]),
    ("The council approved the budget for the new library at its March meeting.",
     ["The council approved the new library's budget in March."],
     ["The council rejected the budget for the new library."]),
    ("Researchers at the Osterby lab measured a rise in soil nitrogen after the flood.",
     ["After the flood, researchers at the Osterby lab measured a rise in soil nitrogen."],
     ["Researchers at the Osterby lab prevented a rise in soil nitrogen after the flood."]),
    ("Harlow Foods said quarterly profit doubled as sales of frozen meals grew.",
     ["Harlow Foods said its quarterly profit doubled on growing frozen-meal sales."],
     ["Harlow Foods said quarterly profit halved as sales of frozen meals grew.",
      "Harlow Foods blamed frozen meals for its quarterly profit."]),
    ("The tribunal dismissed the appeal brought by the former harbour master in May.",
     ["The appeal brought by the former harbour master was dismissed by the tribunal.",
      "The former harbour master's appeal was rejected by the tribunal."],  # a verb close in context is spared
     ["The tribunal delayed the appeal brought by the former harbour master.",
      "The tribunal heard the appeal brought by the former harbour master in May."]),
    ("The appeals court upheld the fraud conviction of the former mayor on Tuesday.",
     ["On Tuesday the appeals court upheld the former mayor's fraud conviction.",
      "The appeals court confirmed the fraud conviction of the former mayor."],
     ["The appeals court reduced the fraud conviction of the former mayor."]),
]
# Not caught, and not claimed here: an opposite verb that the model's context puts close to the passage's own
# ("lost" for "won" 0.49, "overturned" for "upheld" 0.68, "welcomed" for "dismissed"), and a new common noun
# ("bribery" for "fraud"), which only the learned unstated_words weighs.


@pytest.mark.parametrize("passage, faithful, unstated_claims", CASES)
def test_a_predicate_the_passage_does_not_state_is_not_supported(embedder, passage, faithful, unstated_claims):
    for claim in faithful:
        assert check(claim, [passage], embedder).supported, claim
    for claim in unstated_claims:
        result = check(claim, [passage], embedder)
        assert not result.supported, (claim, result.score)


def test_unstated_reads_lower_case_words_verbs_and_names_the_evidence_lacks():
    evidence = "The Lindholm crew won the river final."
    share, verb, name = unstated("The Lindholm crew sang after the river final.", evidence, None)
    assert share == pytest.approx(1 / 4) and verb == 0.0 and name == 1.0  # crew, sang, river, final: sang is new
    assert unstated("The river final was won by the Lindholm crew.", evidence, None) == (0.0, 1.0, 1.0)
    # a new name is read apart from the lower-case words; its match comes from the claim's tokens
    offsets = np.array([[4, 8], [9, 12], [19, 24], [25, 29], [30, 35]])  # crew won coach Mara Tevik
    matches = TokenMatches(offsets, np.array([0.9, 0.95, 0.4, 0.15, 0.2]))
    share, verb, name = unstated("The crew won under coach Mara Tevik.", "The crew won.", matches)
    assert verb == 1.0 and name == pytest.approx(0.175)
    assert share == pytest.approx((1 - 0.4) / 3)  # crew, won, coach: "coach" is new, its closest token at 0.4


def test_a_close_contextual_match_spares_a_new_word():
    claim, evidence = "The council passed the budget.", "The council approved the budget."
    offsets = np.array([[4, 11], [12, 18], [23, 29]])
    close = TokenMatches(offsets, np.array([0.98, 0.9, 0.97]))
    far = TokenMatches(offsets, np.array([0.98, 0.2, 0.97]))
    assert unstated(claim, evidence, close)[1] == pytest.approx(0.9)
    assert unstated(claim, evidence, far)[1] == pytest.approx(0.2)
    assert unstated(claim, evidence, close)[0] < unstated(claim, evidence, far)[0]


def test_cut_caps_an_unstated_verb_or_name_below_its_floor():
    x = np.array(support_weights.MEANS, dtype=float)
    x[FEATURES.index("missing_numbers")] = 0.0
    x[FEATURES.index("unstated_verb")] = x[FEATURES.index("unmatched_name")] = 1.0
    assert not cut(x) and capped(0.9, x) == 0.9
    verb = x.copy()
    verb[FEATURES.index("unstated_verb")] = TUNING.unstated_verb_match - 0.01
    name = x.copy()
    name[FEATURES.index("unmatched_name")] = TUNING.unmatched_name_match - 0.01
    for row in (verb, name):
        assert cut(row) and capped(0.9, row) < 0.5
    assert cut(np.stack([x, verb, name])).tolist() == [False, True, True]
