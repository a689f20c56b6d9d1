"""The trace as text (rag.answering.trace) and per-item diffs between runs (bench.compare)."""
import json

from bench.compare import compare, item_key, item_score, main
from rag.answering.trace import explain_text


def test_explain_text_lists_stages_in_order_with_nested_rows():
    text = explain_text({"reading": {"kind": "date", "names": ["Ria Voss"]},
                         "candidates": [{"text": "She scored twice.", "score": 0.71}]})
    lines = text.splitlines()
    assert lines[0] == "reading" and "  kind: date" in lines
    assert lines.index("candidates") > lines.index("reading")
    assert any(line.strip().startswith("- text: She scored twice.") for line in lines)


def test_items_are_matched_by_id_and_turn_or_question():
    assert item_key({"id": "c2", "turn": 3}) == "c2#3"
    assert item_key({"query": "Who won?"}) == "Who won?"
    # One turn asked in context and as its rewrite: two items, never one dropped from the diff.
    assert item_key({"id": "c2#3", "turn": 3, "stage": "later"}) == "c2#3 (later)"
    old = [{"id": "c2#3", "turn": 3, "stage": s, "quality": 1.0, "answer": "x"} for s in ("later", "later_standalone")]
    new = [dict(old[0]), dict(old[1], answer="y")]
    assert len(compare(old, new)["changed"]) == 1 and compare(old, new)["same"] == 1
    assert compare([{"query": "Q", "answer": "a"}] * 2, [{"query": "Q", "answer": "a"}] * 2)["same"] == 2


def test_scores_read_the_first_measure_an_item_has():
    assert item_score({"quality": 0.5, "exact_match": True}) == 0.5
    assert item_score({"type": "null_query", "abstained": False}) == 0.0
    assert item_score({"exact_match": False}) == 0.0
    assert item_score({"answer": "x"}) is None


def test_compare_sorts_items_into_better_worse_changed_same():
    old = [{"id": 1, "quality": 0.2, "answer": "a"}, {"id": 2, "quality": 1.0, "answer": "b"},
           {"id": 3, "quality": 1.0, "answer": "c"}, {"id": 4, "quality": 1.0, "answer": "d"}]
    new = [{"id": 1, "quality": 0.9, "answer": "a2"}, {"id": 2, "quality": 0.0, "answer": "b2"},
           {"id": 3, "quality": 1.0, "answer": "c2"}, {"id": 5, "quality": 1.0, "answer": "e"}]
    result = compare(old, new)
    assert [r["key"] for r in result["better"]] == ["1"] and [r["key"] for r in result["worse"]] == ["2"]
    assert [r["key"] for r in result["changed"]] == ["3"]
    assert result["only_old"] == ["4"] and result["only_new"] == ["5"]


def test_the_command_prints_counts_and_refuses_unreadable_input(tmp_path, capsys):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps({"items": [{"question": "Q?", "exact_match": False, "answer": "x"}]}))
    b.write_text(json.dumps({"items": [{"question": "Q?", "exact_match": True, "answer": "y"}]}))
    assert main([str(a), str(b)]) == 0
    assert capsys.readouterr().out.startswith("1 better, 0 worse")
    (tmp_path / "bad.json").write_text("{not json")
    assert main([str(a), str(tmp_path / "bad.json")]) == 2
    assert "cannot read" in capsys.readouterr().err
