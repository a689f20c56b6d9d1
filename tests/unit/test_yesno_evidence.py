"""Evidence measures of a yes/no question read in the files of the sources it names
(rag.answering.shaped.evidence): wording coverage, the order of two events by their reporting files' dates,
agreement between two named sources; tiny invented articles with mastheads, the real embedding model and
support check."""
from __future__ import annotations

import pytest

from rag.answering.shaped.evidence import byline, coverage, files_of, named_sources, side_order, source_measure
from rag.answering.shaped.verdict import FEATURES, ClaimMeasure, features
from rag.answering.shaped.evidence import SourceMeasure
from rag.answering.shaped.yesno import ordered_sides
from rag.support import check
from rag.types import Chunk, Hit

# Two publications' files, each opening with its masthead (title, date, publication), in two domains.
FILES = {
    "w1.txt": ("Orchard Harvest Starts\n2024-08-02\nValley Weekly\n\nThe orchard began picking its pear crop on "
               "Thursday. Growers expect a larger harvest than last year.", "2024-08-02"),
    "h1.txt": ("Cider Fair Opens\n2024-09-14\nCounty Herald\n\nThe county cider fair opened with forty stalls. "
               "Growers said the pear crop was larger than last year.", "2024-09-14"),
    "w2.txt": ("Library Extends Hours\n2024-10-01\nValley Weekly\n\nThe town library now opens until nine on "
               "weekdays. The council paid for two extra staff.", "2024-10-01"),
    "h2.txt": ("Chess Club Wins\n2024-07-20\nCounty Herald\n\nThe school chess club won the regional final. Its "
               "captain drew the deciding game.", "2024-07-20"),
}


def _hits():
    out, texts = [], {}
    for rank, (name, (text, date)) in enumerate(FILES.items()):
        body = text.index("\n\n") + 2
        out.append(Hit(Chunk(name, name, f"/corpus/{name}", body, len(text), text[body:], date=date), 1.0 / (rank + 1)))
        texts[name] = text
    return out, texts


def _check(embedder):
    return lambda claim, evidence: check(claim, evidence, embedder)


def test_coverage_counts_the_claims_terms_a_text_holds():
    assert coverage("the library opens until nine", "The town library now opens until nine.") == 1.0
    assert coverage("the library closes at noon", "The chess club won the final.") == 0.0
    assert coverage("", "anything") == 0.0


def test_files_of_reads_the_masthead_only():
    hits, texts = _hits()
    assert {h.chunk.source for h in files_of("County Herald", hits, texts)} == {"h1.txt", "h2.txt"}
    assert files_of("Harbour Gazette", hits, texts) == []


@pytest.mark.parametrize("question, expected", [
    ("Did the Valley Weekly report the orchard picking pears before the County Herald covered the cider fair?", 1),
    ("Did the County Herald cover the cider fair before the Valley Weekly reported the library's longer hours?", 1),
    ("Did the Valley Weekly report the library's longer hours before the County Herald covered the chess final?", -1),
    # Both publications report the crop; the Herald's own (later) file dates its side, not the Weekly's.
    ("Did the County Herald report a larger pear crop before the Valley Weekly reported the orchard picking?", -1),
])
def test_side_order_reads_each_side_in_its_own_sources_files(embedder, question, expected):
    hits, texts = _hits()
    sides = ordered_sides(question.rstrip("?").split(" ", 1)[1])
    assert sides is not None
    assert side_order(sides, hits, texts, _check(embedder)) == expected


def test_source_measure_agreement_is_higher_for_sources_saying_the_same(embedder):
    hits, texts = _hits()
    same = source_measure("Did the Valley Weekly article and the County Herald article both report a larger pear crop?",
                          [("a larger pear crop than last year", "")], hits, texts, _check(embedder))
    assert same.sources == 2 and same.found == 1.0 and same.agreement > 0.5
    missing = source_measure("Did the Harbour Gazette article report a larger pear crop?",
                             [("a larger pear crop", "Harbour Gazette")], hits, texts, _check(embedder))
    assert missing.sources == 0 and missing.found == 0.0 and missing.agreement == 0.0  # no byline names it
    one = source_measure("Did the County Herald's coverage stay the same?", [("the coverage stayed the same", "")],
                         hits, texts, _check(embedder))
    assert one.sources == 1 and 0.0 < one.agreement  # its two files' best passages read against each other


def test_named_sources_are_names_heading_a_files_byline_not_its_title():
    hits, texts = _hits()
    assert named_sources("Did Valley Weekly, after the fair, say the Cider Fair opened?", hits, texts) == \
        ["Valley Weekly"]  # "Cider Fair" is in a title only
    assert byline("Title Line\n2024-01-01\nAnn Lee, Harbour Gazette\n\nBody.")[:3] == ["2024", "01", "01"]


def test_new_features_are_named_and_read_from_the_measures():
    measures = [ClaimMeasure(0.6, "unsupported", 0.5, file_coverage=0.8, passage_coverage=0.4),
                ClaimMeasure(0.3, "unsupported", 0.5, file_coverage=0.2, passage_coverage=0.1)]
    named = features("Were the two reports consistent on the crop?", measures, 0.5, SourceMeasure(2, 1.0, -1, 0.7))
    assert set(named) == set(FEATURES)
    assert named["coverage_file_min"] == 0.2 and named["coverage_passage_mean"] == pytest.approx(0.25)
    assert named["side_order"] == -1 and named["sources_named"] == 2 and named["agreement"] == 0.7
    assert named["agreement_same"] == 0.7 and named["agreement_difference"] == 0.0


def test_an_order_within_one_event_is_not_an_order_of_two_reports(embedder):
    hits, texts = _hits()
    sides = ordered_sides("the library opened later after the council paid for extra staff")
    assert sides is not None and side_order(sides, hits, texts, _check(embedder)) == 0


def test_source_measures_are_computed_only_when_the_weights_read_them():
    from types import SimpleNamespace

    from rag.answering.shaped.verdict import uses_source_measures

    assert uses_source_measures(SimpleNamespace(FEATURES=("support_min", "agreement")))
    assert not uses_source_measures(SimpleNamespace(FEATURES=("support_min", "coverage_file_min")))
