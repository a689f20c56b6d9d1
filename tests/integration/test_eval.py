"""Issue 6: `rag eval` over the seeds index with the shared Assistant, and its exit codes."""
from __future__ import annotations

import json
from argparse import Namespace
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_rag

GOLD = ROOT / "eval" / "gold_qa.jsonl"


@pytest.fixture(scope="module")
def report(assistant):
    from eval.gold import load_gold
    from eval.runner import evaluate

    return evaluate(assistant, load_gold(GOLD))


def test_report_shape_and_quotes(report):
    from eval.report import METRICS, SHAPE_METRICS

    gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert report["n"] == len(gold) == len(report["items"])
    assert list(report["metrics"]) == [name for name, _ in METRICS]
    assert set(report["by_type"]) == {g["type"] for g in gold}
    assert report["metrics"]["quote_validity"] == 1.0  # every quote is the file text at its offsets
    for name, value in report["metrics"].items():
        if name in SHAPE_METRICS and not any("shape" in g for g in gold):
            assert value is None, name  # a set without shaped items has no shape figures
            continue
        assert value is not None, name
        assert value >= 0 and (name.startswith("latency") or value <= 1), (name, value)
    item = report["items"][0]
    assert {"id", "question", "type", "answer", "abstained", "cited", "retrieved", "latency_ms",
            "retrieval_recall@5", "fact_recall"} <= set(item)
    assert [i["id"] for i in report["items"]] == [g["id"] for g in gold]


def test_report_finds_the_right_files(report):
    m = report["metrics"]
    # retrieval is the stable part: the gold file is almost always among the first five
    assert m["retrieval_recall@5"] >= 0.8 and m["mrr"] >= 0.8
    answered = [i for i in report["items"] if i["type"] != "unanswerable" and not i["abstained"]]
    assert answered and all(i["cited"] for i in answered)


def test_run_cli_writes_json_markdown_and_enforces_floors(assistant, seeds_index, tmp_path, capsys):
    from eval.runner import run_cli

    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(GOLD.read_text(encoding="utf-8").splitlines()[:4]) + "\n", encoding="utf-8")
    args = Namespace(gold=gold, json_out=tmp_path / "out" / "r.json", markdown=tmp_path / "r.md",
                     min=["quote_validity=1", "mrr=0"])
    assert run_cli(seeds_index, args, assistant) == 0
    data = json.loads(args.json_out.read_text(encoding="utf-8"))
    assert data["n"] == 4 and {"n", "metrics", "by_type", "items"} <= set(data)
    assert "| metric | all (4) |" in args.markdown.read_text(encoding="utf-8")
    out = capsys.readouterr().out
    assert "retrieval_recall@5" in out and "worst 5 items" in out
    # an impossible floor fails with exit 1 and says which metric
    args.min = ["mrr=1.01"]
    assert run_cli(seeds_index, args, assistant) == 1
    assert "mrr" in capsys.readouterr().err


@pytest.mark.parametrize(("args", "needle"), [
    (["--gold", "does/not/exist.jsonl"], "does not exist"),
    (["--min", "bogus=1"], "unknown metric 'bogus'"),
])
def test_cli_bad_input_is_one_line_exit_2(seeds_index, args, needle):
    result = run_rag("eval", "--db", str(seeds_index.db_dir), *args)
    assert result.returncode == 2, result.stderr
    assert needle in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_cli_malformed_gold_is_one_line_exit_2(seeds_index, tmp_path: Path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"question": "ok?"}\n{"question": \n', encoding="utf-8")
    result = run_rag("eval", "--db", str(seeds_index.db_dir), "--gold", str(bad))
    assert result.returncode == 2
    assert f"{bad}:2: not valid JSON" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_bench_embedding_cache_survives_a_restart(embedder, tmp_path):
    import numpy as np

    from bench.common import CachedEmbedder

    texts = ["Rare earth magnets.", "Seabed mud near Minamitorishima.", "Rare earth magnets."]
    first = CachedEmbedder(embedder, tmp_path)
    vectors = first.encode(texts)
    assert first.misses == 2 and first.hits == 1 and vectors.shape == (3, 384)
    again = CachedEmbedder(embedder, tmp_path)  # a new process would see the same shards
    assert len(again) == 2 and again.name == embedder.name
    assert np.allclose(again.encode(texts), vectors) and again.misses == 0
    chunk_vectors, sentences = again.encode_with_sentences(texts[:1], [[(0, 19)]])
    assert np.allclose(chunk_vectors, vectors[:1]) and sentences[0].shape == (0, 384)
    assert np.allclose(embedder.encode(texts[1:2]), vectors[1:2], atol=1e-5)  # the cache returns the model's vectors
