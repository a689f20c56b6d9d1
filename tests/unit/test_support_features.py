"""The claim-support measures (rag.support_features) on tiny strings, and rag.support.check with the real model
in several domains: a claim its evidence states is supported, one with a different number or name is not."""
from __future__ import annotations

import numpy as np
import pytest

from rag import support_weights
from rag.support import check
from rag.support_features import (FEATURES, TokenMatches, best_matches, capped, clean_claim, content_tokens,
                                  features, probability)


def test_clean_claim_drops_citation_markers():
    assert clean_claim("Sales rose 5% [1][2].") == "Sales rose 5%."
    assert clean_claim("The club won 3-1 [2, 3] at home.") == "The club won 3-1 at home."


def test_content_tokens_skip_function_words_and_punctuation():
    offsets = np.array([[0, 3], [4, 7], [8, 11], [11, 12]])
    assert content_tokens("The fox ran.", offsets).tolist() == [1, 2]
    # a word split in pieces keeps every piece; "the" inside no word is dropped
    assert content_tokens("Kestrel", np.array([[0, 3], [3, 7]])).tolist() == [0, 1]


def test_token_recall_is_the_mean_best_match():
    def recall(claim, evidence):
        return TokenMatches(np.zeros((len(claim), 2)), best_matches(claim, evidence)).recall

    assert recall(np.eye(2), [np.eye(2)[:1]]) == pytest.approx(0.5)
    assert recall(np.eye(2), [np.eye(2)]) == pytest.approx(1.0)
    assert recall(np.zeros((0, 2)), [np.eye(2)]) == 0.0
    assert recall(np.eye(2), []) == 0.0


@pytest.mark.parametrize("claim, evidence, missing_numbers, missing_names", [
    ("The Harriers beat Rovers 3-1 on Sunday.", "On Sunday the Harriers beat Rovers 3-1 at home.", 0.0, 0.0),
    ("The Harriers beat Rovers 4-1 on Sunday.", "On Sunday the Harriers beat Rovers 3-1 at home.", 0.5, 0.0),
    ("The film was released in 1994 by Paramount.", "The film came out in 1994 through Miramax.", 0.0, 1.0),
    ("Revenue reached 12 billion dollars.", "Revenue reached twelve billion dollars.", 0.0, 0.0),
])
def test_features_count_missing_numbers_and_names(claim, evidence, missing_numbers, missing_names):
    x = features(claim, [evidence], [0.9], evidence, 0.9, 0.9)
    assert len(x) == len(FEATURES)
    assert x[FEATURES.index("missing_numbers")] == pytest.approx(missing_numbers)
    assert x[FEATURES.index("missing_names")] == pytest.approx(missing_names)


def test_coverage_features_fall_when_the_evidence_says_less():
    full = features("Sales rose sharply in May.", ["Sales rose sharply in May."], [1.0], "Sales rose sharply in May.",
                    1.0, 1.0)
    half = features("Sales rose sharply in May.", ["Sales fell."], [0.5], "Sales fell.", 0.5, 0.5)
    for name in ("span_coverage", "whole_coverage", "pair_coverage"):
        i = FEATURES.index(name)
        assert full[i] == 1.0 and half[i] < 0.5


def test_probability_is_monotone_in_each_support_measure_and_capped_by_a_missing_number():
    assert support_weights.FEATURES == FEATURES
    x = np.array(support_weights.MEANS, dtype=float)
    x[FEATURES.index("missing_numbers")] = 0.0
    i = FEATURES.index("token_recall")
    higher = x.copy()
    higher[i] += 0.2
    assert probability(higher) > probability(x)
    wrong_number = x.copy()
    wrong_number[FEATURES.index("missing_numbers")] = 1.0
    assert capped(0.9, wrong_number) < 0.5 and capped(0.9, x) == 0.9


@pytest.mark.parametrize("stated, wrong, unrelated, evidence", [
    ("The Harriers beat Rovers 3-1 on Sunday.", "The Harriers beat Rovers 4-1 on Sunday.",
     "The striker retired to open a bakery.",
     "On Sunday the Harriers beat Rovers 3-1 at home. The winning goal came late."),
    ("Marigold Weather was released in 1994.", "Marigold Weather was released in 2001.",
     "The director grew up on a sheep farm.",
     "Marigold Weather, a drama, was released in 1994 and won two awards."),
    ("Northwind's revenue was 4.2 billion dollars in 2024.", "Northwind's revenue was 5.8 billion dollars in 2024.",
     "Northwind plans to open a shop on the moon.",
     "Northwind reported revenue of 4.2 billion dollars for 2024, up from 3.9 billion."),
])
def test_check_supports_a_stated_claim_and_not_a_changed_or_unrelated_one(embedder, stated, wrong, unrelated,
                                                                         evidence):
    good = check(stated, [evidence], embedder)
    assert good.supported and good.quote and evidence[good.start:good.end] == good.quote
    changed = check(wrong, [evidence], embedder)
    assert not changed.supported and changed.status == "contradicted"
    other = check(unrelated, [evidence], embedder)
    assert not other.supported and other.score < good.score


def test_check_of_a_name_the_evidence_gives_differently_is_not_supported(embedder):
    evidence = ["The city's mayor, Ines Carvalho, opened the bridge in 1932."]
    assert check("Mayor Ines Carvalho opened the bridge [1].", evidence, embedder).supported
    assert not check("Mayor Tomas Brandt opened the bridge.", evidence, embedder).supported


def test_check_without_evidence_or_claim_is_unsupported(embedder):
    assert check("Anything at all.", [], embedder).status == "unsupported"
    assert check("[1]", ["Some evidence."], embedder).score == 0.0


def test_token_vectors_are_normalised_and_point_into_the_text(embedder):
    text = "Northwind's revenue rose."
    (vectors, offsets), = embedder.token_vectors([text])
    assert len(vectors) == len(offsets) > 3
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert text[offsets[0][0]:offsets[0][1]].lower() == "northwind"[:offsets[0][1] - offsets[0][0]]
    assert all(0 <= a < b <= len(text) for a, b in offsets.tolist())
    assert embedder.token_vectors([]) == []


def test_verbatim_features_equal_the_full_measures_of_a_quote_that_is_the_claim():
    from rag.support_features import verbatim_features

    quotes = ["The ferry to Holm Island left at 7:40 with 212 passengers.",
              "Dr. Ines Varga said the trial enrolled  1,200\npatients in Lisbon and Porto.",
              "Rain.", "It was over.", "Wheat, barley and oats rose 3 per cent after the  harvest report.",
              "Kessler & Moore's chief, Ana Ruiz, quit on 4 March 2031 ", "  \u2014 42 \u2014  "]
    for quote in quotes:
        claim = clean_claim(" ".join(quote.split()))
        expected = features(claim, [quote], [1.0], quote, 1.0, 1.0)
        assert np.allclose(verbatim_features(claim, quote), expected), quote
