"""Conversation gold items in `rag eval`: parsing into turns, stages, and floors on a stage's metric (pure)."""
import json

import pytest

from eval.gold import load_gold, stage_of
from eval.runner import build_report, check_floors, parse_floors
from rag.errors import BadArgument


def _write(tmp_path, *objs):
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(o) for o in objs) + "\n", encoding="utf-8")
    return path


def test_conversation_lines_become_ordered_turn_items_beside_single_questions(tmp_path):
    path = _write(tmp_path, {"id": "q1", "question": "Who?", "facts": ["A"]},
                  {"id": "c1", "turns": [{"question": "Who runs Acme?", "facts": ["Jane"], "sources": ["a.txt"]},
                                         {"question": "Since when?", "facts": ["1990"], "standalone": "Since when "
                                          "does Jane run Acme?"},
                                         {"question": "Her salary?", "unanswerable": True}]})
    items = load_gold(path)
    assert [i["id"] for i in items] == ["q1", "c1#1", "c1#2", "c1#3"]
    assert [stage_of(i) for i in items] == ["single", "first", "later", "later"]
    assert items[2]["standalone"] == "Since when does Jane run Acme?" and items[2]["conversation"] == "c1"
    assert items[3]["type"] == "unanswerable" and items[1]["sources"] == ["a.txt"]


@pytest.mark.parametrize("bad, message", [
    ({"id": "c", "turns": []}, "non-empty list"),
    ({"id": "c", "turns": ["Who?"]}, "turn 1: expected a JSON object"),
    ({"id": "c", "turns": [{"question": ""}]}, "turn 1: \"question\" must be a non-empty string"),
    ({"id": "c", "turns": [{"question": "Q?", "standalone": 3}]}, "\"standalone\" must be a string"),
    ({"id": "c", "turns": [{"question": "Q?", "unanswerable": "yes"}]}, "must be true or false"),
])
def test_bad_conversation_lines_are_one_clear_error(tmp_path, bad, message):
    with pytest.raises(BadArgument, match=message):
        load_gold(_write(tmp_path, bad))


def _row(stage, recall):
    return {"id": stage, "type": "single", "stage": stage, "fact_recall": recall, "latency_ms": 1.0}


def test_report_by_stage_and_stage_floors():
    report = build_report([_row("first", 1.0), _row("later", 0.5), _row("later_standalone", 1.0)])
    assert report["n"] == 2  # the standalone re-asks are reported by stage only
    assert report["by_stage"]["later"]["fact_recall"] == 0.5
    assert report["by_stage"]["later_standalone"]["fact_recall"] == 1.0
    floors = parse_floors(["later.fact_recall=0.6", "later_standalone.fact_recall=0.9", "fact_recall=0.7"])
    failures = check_floors(report["metrics"], floors, report["by_stage"])
    assert failures == ["later.fact_recall 0.5000 is below the floor 0.6"]
    with pytest.raises(BadArgument, match="unknown metric"):
        parse_floors(["later.nope=1"])
    assert "by_stage" not in build_report([_row("single", 1.0)])
