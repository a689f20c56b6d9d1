"""The shaped-answer metrics (eval.shape_metrics) and the gold loader's alias facts, shape and verdict (eval.runner),
on tiny invented answers; and the shaped gold set's own consistency."""
import json

import pytest

from eval import metrics as m
from eval import shape_metrics as sm
from eval.gold import load_gold
from eval.report import format_table
from eval.runner import build_report, score_item
from rag.types import Answer, Citation
from tests.conftest import ROOT


def test_fact_coverage_counts_a_fact_covered_by_any_spelling():
    answer = "The Rovers won 3–1 at Elm Park on Saturday."
    assert sm.fact_coverage(answer, [["3-1", "three-one"], ["Elm Park"], ["May"]]) == pytest.approx(2 / 3)
    assert sm.fact_coverage(answer, ["Rovers", ["Saturday", "Sat."]]) == 1.0
    assert sm.fact_coverage(answer, []) is None and sm.fact_coverage(answer, [[""]]) is None


def test_files_spread_needs_every_expected_file():
    assert sm.files_spread(["a", "b", "x"], ["a", "b"]) == 1.0
    assert sm.files_spread(["a", "x", "y"], ["a", "b"]) == 0.0
    assert sm.files_spread([], []) is None


def test_verdicts():
    assert sm.verdict_of("No. The club moved in 1998 [1].") == "no"
    assert sm.verdict_of("“Yes: both say so.") == "yes"
    assert sm.verdict_of("Nobody knows.") is None and sm.verdict_of("The articles do not settle it.") is None
    assert sm.verdict_correct("Yes: both reports say so.", "Yes") == 1.0
    assert sm.verdict_correct("The articles do not settle it.", "no") == 0.0
    assert sm.verdict_correct("Yes.", "The harbour report does not say") is None


def test_gold_with_alias_facts_shape_and_verdict_scores_and_reports_by_shape(tmp_path):
    gold = tmp_path / "g.jsonl"
    gold.write_text(json.dumps({"id": "t1", "question": "Did the ferry resume in May?", "shape": "yesno",
                                "verdict": "yes", "facts": [["May", "05"], ["ferry"]], "sources": ["a.txt", "b.txt"],
                                "type": "shape"}) + "\n", encoding="utf-8")
    item, = load_gold(gold)
    assert item["shape"] == "yesno" and item["verdict"] == "yes"
    text = "The ferry resumed in May."
    cite = Citation(1, "a.txt", "/x/a.txt", 0, len(text), text)
    answer = Answer(item["question"], "Yes: the articles state it. The ferry resumed in May.[1]", False, (cite,),
                    shape="yesno", shape_reason="asks yes or no")
    scores = score_item(item, answer, {"/x/a.txt": text})
    assert scores["fact_recall"] == 1.0 and scores["verdict_accuracy"] == 1.0 and scores["shape_accuracy"] == 1.0
    assert scores["files_spread"] == 0.0  # b.txt was expected too
    row = {**scores, "id": "t1", "type": "shape", "question": item["question"], "answer": answer.answer,
           "missing_facts": [], "quality": 0.5, "latency_ms": 1.0, "retrieval_recall@5": None,
           "shape": "yesno", "gold_shape": "yesno", "abstained": False}
    report = build_report([row])
    assert report["by_shape"]["yesno"]["verdict_accuracy"] == 1.0
    assert "files_spread" in format_table(report)


def test_a_malformed_alias_fact_is_one_clear_error(tmp_path):
    from rag.errors import BadArgument

    gold = tmp_path / "g.jsonl"
    gold.write_text(json.dumps({"question": "Why?", "facts": [["ok"], [1]]}) + "\n", encoding="utf-8")
    with pytest.raises(BadArgument, match="facts"):
        load_gold(gold)


@pytest.mark.parametrize("name, least", [("gold_shapes.jsonl", 25), ("gold_shapes_blind.jsonl", 21)])
def test_the_shaped_gold_set_is_well_formed_and_grounded(name, least):
    items = load_gold(ROOT / "eval" / name)
    assert len(items) >= least
    assert {i["shape"] for i in items} == {"reason", "reaction", "comparison", "summary", "timeline", "yesno",
                                          "list"}
    for item in items:
        texts = {s: m.normalise((ROOT / "seeds" / s).read_text(encoding="utf-8")) for s in item["sources"]}
        # Every spelling is stated by some expected file, and every expected file states some fact.
        for fact in item["facts"]:
            for alias in fact:
                assert any(m.normalise(alias) in t for t in texts.values()), (item["id"], alias)
        for source, text in texts.items():
            assert any(m.normalise(a) in text for fact in item["facts"] for a in fact), (item["id"], source)
        assert (item["shape"] == "yesno") == ("verdict" in item)
