"""The RAMDocs scoring (bench.ramdocs.score_item) on tiny answers: what counts as repeated, as minority, as found."""
from __future__ import annotations

from bench.ramdocs import contains, score_item


def _answer(text: str, conflicts=(), abstained=False) -> dict:
    return {"answer": text, "abstained": abstained, "conflicts": list(conflicts),
            "sentences": [{"text": s.strip()} for s in text.split("\n") if s.strip()]}


ITEM = {"question": "When did the Oak Bridge open?", "gold_answers": ["1921"], "wrong_answers": ["1950"],
        "documents": [{"type": "correct", "text": "The Oak Bridge opened in 1921.", "answer": "1921"},
                      {"type": "misinfo", "text": "The Oak Bridge opened in 1950.", "answer": "1950"}]}


def test_contains_reads_numbers_and_case_loosely():
    assert contains("It has 3,559 People.", "3559 people") and not contains("It has 13559 people.", "3559 people")


def test_a_wrong_value_named_only_as_a_minority_report_is_not_repeated():
    minority = _answer("The Oak Bridge opened in 1921.[1]\nOne source says: \u201copened in 1950\u201d[2]",
                       [{"topic": "date", "values": [{"value": "1921", "minority": False},
                                                     {"value": "1950", "minority": True}]}])
    row = score_item(ITEM, minority)
    assert row["exact_match"] and row["wrong_repeated"] == 0 and not row["exact_match_paper"]
    adopted = score_item(ITEM, _answer("The sources differ: 1921 [1] vs 1950 [2]."))
    assert not adopted["exact_match"] and adopted["wrong_repeated"] == 1 and adopted["gold_found"] == 1


def test_a_wrong_value_a_correct_document_also_states_is_counted_apart():
    item = {**ITEM, "wrong_answers": ["1950", "Elm County"],
            "documents": ITEM["documents"] + [{"type": "correct", "answer": "1921",
                                                "text": "Built in 1921 for Elm County, the Oak Bridge..."}]}
    row = score_item(item, _answer("Built in 1921 for Elm County, the Oak Bridge...[1]"))
    assert row["wrong_repeated"] == 1 and row["wrong_in_correct_documents"] == 1
    assert row["wrong_repeated_in_correct_documents"] == 1
    assert score_item(item, _answer("It opened in 1921.[1]"))["wrong_repeated_in_correct_documents"] == 0
