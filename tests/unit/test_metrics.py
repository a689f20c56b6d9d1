"""Unit tests for eval.metrics and the schema/grounding of eval/gold_qa.jsonl."""

from __future__ import annotations

import json
import math
import re
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:  # make `eval` importable without packaging
    sys.path.insert(0, str(REPO_ROOT))

from eval.metrics import (  # noqa: E402
    abstention_scores,
    aggregate,
    citation_precision,
    citation_recall,
    fact_recall,
    mean,
    normalise,
    percentile,
    quote_validity,
    reciprocal_rank,
    retrieval_recall_at_k,
)

SEEDS_DIR = REPO_ROOT / "seeds"
GOLD_PATH = REPO_ROOT / "eval" / "gold_qa.jsonl"
TYPES = {"single", "multi", "numeric", "unanswerable", "conflict"}
UNANSWERABLE_ANSWER = "The corpus does not say."


# --------------------------------------------------------------------- normalise
class TestNormalise:
    def test_casefold_and_whitespace(self) -> None:
        assert normalise("  Rare\tEarth\n\nEXPORTS  ") == "rare earth exports"

    def test_full_width_letters_and_digits(self) -> None:
        assert normalise("Ｔａｋａｉｃｈｉ") == "takaichi"
        assert normalise("６６０ billion yen") == "660 billion yen"
        assert normalise("５８％") == "58%"

    def test_curly_quotes_and_dashes(self) -> None:
        assert normalise("China’s “dual-use” goods—materials") == 'china\'s "dual-use" goods-materials'
        assert normalise("2022–2024") == "2022-2024"

    def test_nbsp_and_empty(self) -> None:
        assert normalise("6,000\u00a0meters") == "6,000 meters"
        assert normalise("") == ""
        assert normalise(" \n\t ") == ""

    def test_casefold_not_just_lower(self) -> None:
        assert normalise("STRASSE") == normalise("straße")

    def test_idempotent_example(self) -> None:
        s = "  “Ｔａｋａｉｃｈｉ” — ６０％ "
        assert normalise(s) == '"takaichi" - 60%'
        assert normalise(normalise(s)) == normalise(s)


# ------------------------------------------------------------------ fact_recall
class TestFactRecall:
    def test_basic(self) -> None:
        assert fact_recall("Sanae Takaichi said...", ["takaichi", "58%"]) == 0.5

    def test_all_and_none(self) -> None:
        assert fact_recall("Dysprosium and terbium", ["dysprosium", "TERBIUM"]) == 1.0
        assert fact_recall("nothing relevant", ["dysprosium"]) == 0.0

    def test_no_facts_is_none(self) -> None:
        assert fact_recall("anything", []) is None
        assert fact_recall("anything", ["", "   "]) is None

    def test_unicode_normalised(self) -> None:
        assert fact_recall("Prime Minister Ｔａｋａｉｃｈｉ", ["Takaichi"]) == 1.0
        assert fact_recall("a loss of ６６０ billion yen", ["660 billion yen"]) == 1.0
        assert fact_recall("China’s “dual-use” list", ["china's \"dual-use\""]) == 1.0
        assert fact_recall("prices fell\u00a0a cumulative 31%", ["fell a cumulative"]) == 1.0

    def test_duplicate_facts_counted_once(self) -> None:
        assert fact_recall("60%", ["60%", "60%", "58%"]) == 0.5

    def test_empty_answer(self) -> None:
        assert fact_recall("", ["x"]) == 0.0


# -------------------------------------------------------------------- retrieval
class TestRetrievalRecallAtK:
    def test_distinct_sources_do_not_use_budget(self) -> None:
        assert retrieval_recall_at_k(["a", "a", "b", "c"], ["b", "d"], k=2) == 0.5
        assert retrieval_recall_at_k(["a", "a", "a", "b"], ["b"], k=2) == 1.0

    def test_cutoff(self) -> None:
        assert retrieval_recall_at_k(["a", "b", "c"], ["c"], k=2) == 0.0
        assert retrieval_recall_at_k(["a", "b", "c"], ["c"], k=3) == 1.0

    def test_default_k_is_five(self) -> None:
        retrieved = ["a", "b", "c", "d", "e", "f"]
        assert retrieval_recall_at_k(retrieved, ["e", "f"]) == 0.5

    def test_empty_inputs(self) -> None:
        assert retrieval_recall_at_k([], ["a"]) == 0.0
        assert retrieval_recall_at_k(["a"], []) is None
        assert retrieval_recall_at_k([], []) is None

    def test_duplicate_gold(self) -> None:
        assert retrieval_recall_at_k(["a"], ["a", "a", "b"], k=1) == 0.5

    def test_bad_k(self) -> None:
        with pytest.raises(ValueError):
            retrieval_recall_at_k(["a"], ["a"], k=0)


class TestReciprocalRank:
    def test_basic(self) -> None:
        assert reciprocal_rank(["a", "b", "c"], ["a"]) == 1.0
        assert reciprocal_rank(["a", "b", "c"], ["c", "b"]) == 0.5

    def test_duplicates_collapsed(self) -> None:
        assert reciprocal_rank(["a", "a", "a", "b"], ["b"]) == 0.5

    def test_missing_and_empty(self) -> None:
        assert reciprocal_rank(["a", "b"], ["z"]) == 0.0
        assert reciprocal_rank([], ["z"]) == 0.0
        assert reciprocal_rank(["a"], []) is None


# -------------------------------------------------------------------- citations
class TestCitationPrecisionRecall:
    def test_precision(self) -> None:
        assert citation_precision(["a", "a", "x"], ["a", "b"]) == 0.5
        assert citation_precision(["a", "b"], ["a", "b"]) == 1.0
        assert citation_precision(["x"], ["a"]) == 0.0

    def test_precision_none(self) -> None:
        assert citation_precision([], ["a"]) is None
        assert citation_precision(["a"], []) is None

    def test_recall(self) -> None:
        assert citation_recall(["a", "x"], ["a", "b"]) == 0.5
        assert citation_recall(["a", "a"], ["a", "a", "b"]) == 0.5
        assert citation_recall([], ["a"]) == 0.0
        assert citation_recall(["a"], []) is None


class TestQuoteValidity:
    TEXTS = {"s1": "Hello world", "s2": "China’s “dual-use” goods"}

    def test_all_valid(self) -> None:
        cits = [("s1", 0, 5, "Hello"), ("s1", 6, 11, "world"), ("s2", 0, 7, "China’s")]
        assert quote_validity(cits, self.TEXTS) == 1.0

    def test_mismatch_and_missing_source(self) -> None:
        cits = [
            ("s1", 0, 5, "Hello"),
            ("s1", 0, 5, "hello"),  # case differs: exact match required
            ("nope", 0, 5, "Hello"),  # missing source
            ("s2", 0, 7, "China's"),  # straight vs curly apostrophe
        ]
        assert quote_validity(cits, self.TEXTS) == 0.25

    def test_bad_offsets_and_empty_quote(self) -> None:
        cits = [
            ("s1", -5, 11, "world"),  # negative start would "work" via slicing
            ("s1", 6, 99, "world"),  # end beyond text
            ("s1", 5, 3, ""),  # inverted
            ("s1", 3, 3, ""),  # empty quote
        ]
        assert quote_validity(cits, self.TEXTS) == 0.0

    def test_no_citations(self) -> None:
        assert quote_validity([], self.TEXTS) is None


# -------------------------------------------------------------------- percentile
class TestPercentile:
    def test_numpy_linear(self) -> None:
        assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
        assert percentile([4.0, 1.0, 3.0, 2.0], 0) == 1.0
        assert percentile([4.0, 1.0, 3.0, 2.0], 100) == 4.0
        assert percentile([10.0, 20.0], 25) == 12.5
        assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 90) == pytest.approx(4.6)
        assert percentile([0.0, 10.0, 20.0], 95) == pytest.approx(19.0)

    def test_single_and_empty(self) -> None:
        assert percentile([7.0], 33) == 7.0
        assert percentile([], 50) is None

    def test_duplicates(self) -> None:
        assert percentile([2.0, 2.0, 2.0], 50) == 2.0

    def test_q_out_of_range(self) -> None:
        with pytest.raises(ValueError):
            percentile([1.0], -1)
        with pytest.raises(ValueError):
            percentile([1.0], 100.5)
        with pytest.raises(ValueError):
            percentile([1.0], float("nan"))


# --------------------------------------------------------------- mean/aggregate
class TestMeanAggregate:
    def test_mean(self) -> None:
        assert mean([1.0, None, 0.0]) == 0.5
        assert mean([]) is None
        assert mean([None, None]) is None
        assert mean([0.1] * 10) == pytest.approx(0.1)

    def test_aggregate(self) -> None:
        out = aggregate([{"r": 1.0, "p": None}, {"r": 0.0}, {"r": 0.5, "q": 1.0}])
        assert out == {"r": 0.5, "p": None, "q": 1.0}
        assert list(out) == ["r", "p", "q"]

    def test_aggregate_empty(self) -> None:
        assert aggregate([]) == {}


class TestAbstention:
    @pytest.mark.parametrize(
        ("abstained", "answerable", "expected"),
        [
            (True, False, {"abstention_accuracy": 1.0, "false_abstention": None}),
            (False, False, {"abstention_accuracy": 0.0, "false_abstention": None}),
            (True, True, {"abstention_accuracy": None, "false_abstention": 1.0}),
            (False, True, {"abstention_accuracy": None, "false_abstention": 0.0}),
        ],
    )
    def test_table(self, abstained: bool, answerable: bool, expected: dict) -> None:
        assert abstention_scores(abstained, answerable) == expected

    def test_aggregates_cleanly(self) -> None:
        rows = [
            abstention_scores(True, False),
            abstention_scores(False, False),
            abstention_scores(False, True),
        ]
        assert aggregate(rows) == {"abstention_accuracy": 0.5, "false_abstention": 0.0}


# ------------------------------------------------------------------- properties
SOURCES = st.lists(st.sampled_from(["a", "b", "c", "d", "e", "f"]), max_size=12)
FINITE = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None, database=None)
@given(retrieved=SOURCES, gold=SOURCES, k=st.integers(min_value=1, max_value=8))
def test_ranking_and_citation_metrics_in_unit_interval(
    retrieved: list[str], gold: list[str], k: int
) -> None:
    for value in (
        retrieval_recall_at_k(retrieved, gold, k),
        reciprocal_rank(retrieved, gold),
        citation_precision(retrieved, gold),
        citation_recall(retrieved, gold),
    ):
        assert value is None or 0.0 <= value <= 1.0
    if gold:
        # recall@k never decreases as k grows
        assert retrieval_recall_at_k(retrieved, gold, k) <= retrieval_recall_at_k(
            retrieved, gold, k + 1
        )


@settings(max_examples=200, deadline=None, database=None)
@given(answer=st.text(max_size=40), facts=st.lists(st.text(max_size=6), max_size=5))
def test_fact_recall_in_unit_interval(answer: str, facts: list[str]) -> None:
    value = fact_recall(answer, facts)
    assert value is None or 0.0 <= value <= 1.0
    # an answer made of all the facts recalls every one of them
    joined = fact_recall(" | ".join(facts), facts)
    assert joined is None or joined == 1.0


@settings(max_examples=200, deadline=None, database=None)
@given(
    values=st.lists(FINITE, min_size=1, max_size=30),
    q1=st.floats(min_value=0, max_value=100),
    q2=st.floats(min_value=0, max_value=100),
)
def test_percentile_bounded_and_monotone(values: list[float], q1: float, q2: float) -> None:
    lo_q, hi_q = sorted((q1, q2))
    p_lo, p_hi = percentile(values, lo_q), percentile(values, hi_q)
    assert p_lo is not None and p_hi is not None
    assert min(values) <= p_lo <= max(values)
    assert min(values) <= p_hi <= max(values)
    assert p_lo <= p_hi + 1e-9 * max(1.0, abs(p_hi))
    assert percentile(values, 0) == min(values)
    assert percentile(values, 100) == max(values)


@settings(max_examples=100, deadline=None, database=None)
@given(values=st.lists(st.one_of(st.none(), FINITE), max_size=20))
def test_mean_ignores_none(values: list[float | None]) -> None:
    present = [v for v in values if v is not None]
    result = mean(values)
    if not present:
        assert result is None
    else:
        assert result is not None
        assert min(present) - 1e-6 <= result <= max(present) + 1e-6
        assert math.isclose(result, sum(present) / len(present), rel_tol=1e-9, abs_tol=1e-6)


# -------------------------------------------------------------------- gold set
def _load_gold() -> list[dict]:
    with GOLD_PATH.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _seed_texts() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in SEEDS_DIR.glob("*.txt")}


def test_gold_schema_counts_and_grounding() -> None:
    items = _load_gold()
    assert len(items) >= 40

    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids)), "duplicate ids"

    for item in items:
        assert set(item) == {"id", "question", "answer", "facts", "sources", "type"}, item
        assert isinstance(item["id"], str) and item["id"]
        assert isinstance(item["question"], str) and item["question"].strip()
        assert isinstance(item["answer"], str) and item["answer"].strip()
        assert isinstance(item["facts"], list)
        assert all(isinstance(f, str) and f.strip() for f in item["facts"])
        assert isinstance(item["sources"], list)
        assert all(isinstance(s, str) for s in item["sources"])
        assert len(set(item["sources"])) == len(item["sources"]), item["id"]
        assert item["type"] in TYPES, item

    counts = Counter(item["type"] for item in items)
    assert counts["unanswerable"] >= 8, counts
    assert counts["conflict"] >= 3, counts

    texts = _seed_texts()
    assert texts, f"no seed files under {SEEDS_DIR}"
    norm_texts = {name: normalise(text) for name, text in texts.items()}

    for item in items:
        if item["type"] == "unanswerable":
            assert item["facts"] == [] and item["sources"] == [], item["id"]
            assert item["answer"] == UNANSWERABLE_ANSWER, item["id"]
            continue
        assert item["facts"] and item["sources"], item["id"]
        for source in item["sources"]:
            assert source in texts, f"{item['id']}: unknown source {source}"
        for fact in item["facts"]:
            assert any(
                normalise(fact) in norm_texts[s] for s in item["sources"]
            ), f"{item['id']}: fact {fact!r} not in any listed source"
        # the reference answer itself must contain every fact
        assert fact_recall(item["answer"], item["facts"]) == 1.0, item["id"]
        if item["type"] in {"multi", "conflict"}:
            assert len(item["sources"]) >= 2, item["id"]


# ------------------------------------------------------------------- ndcg@k
class TestNdcg:
    def test_perfect_and_second_place(self) -> None:
        from eval.metrics import ndcg_at_k

        assert ndcg_at_k(["a", "x"], {"a": 1}) == 1.0
        assert ndcg_at_k(["x", "a"], {"a": 1}) == pytest.approx(1 / math.log2(3))

    def test_two_relevant_one_found(self) -> None:
        from eval.metrics import ndcg_at_k

        # DCG = 1/log2(2) = 1; IDCG = 1 + 1/log2(3)
        assert ndcg_at_k(["a", "x", "y"], {"a": 1, "b": 1}) == pytest.approx(1 / (1 + 1 / math.log2(3)))

    def test_cutoff_duplicates_and_none(self) -> None:
        from eval.metrics import ndcg_at_k

        assert ndcg_at_k(["x", "a"], {"a": 1}, k=1) == 0.0
        assert ndcg_at_k(["x", "x", "a"], {"a": 1}, k=2) == pytest.approx(1 / math.log2(3))
        assert ndcg_at_k(["a"], {}) is None
        assert ndcg_at_k(["a"], {"a": 0}) is None
        with pytest.raises(ValueError):
            ndcg_at_k(["a"], {"a": 1}, k=0)

    def test_graded(self) -> None:
        from eval.metrics import ndcg_at_k

        # swapping a 2 and a 1 costs: (1 + 2/log2 3) / (2 + 1/log2 3)
        expected = (1 + 2 / math.log2(3)) / (2 + 1 / math.log2(3))
        assert ndcg_at_k(["b", "a"], {"a": 2, "b": 1}) == pytest.approx(expected)


def test_bench_rrf_and_score() -> None:
    from bench.beir import rrf, score

    assert rrf(["a", "b"], ["b"], 0.5, 60) == ["b", "a"]
    assert rrf(["a", "b"], ["b", "a"], 1.0, 60) == ["a", "b"]  # all weight on dense keeps its order
    got = score({"q1": ["a", "b"], "q2": ["z"]}, {"q1": {"a": 1}, "q2": {"y": 1}})
    assert got == {"ndcg@10": 0.5, "recall@100": 0.5}


# ------------------------------------------------------- eval.runner (pure parts)
from rag.errors import BadArgument  # noqa: E402
from rag.types import Answer, Citation, Sentence  # noqa: E402


def _answer(abstained=False, cited=(), retrieved=(), text="", supported=(True,), related=()):
    return Answer("q?", text, abstained, tuple(cited), tuple(Sentence("s", (1,), 1.0, s) for s in supported),
                  tuple(related), (), tuple(retrieved))


class TestRunnerPure:
    def test_parse_floors(self) -> None:
        from eval.runner import parse_floors

        assert parse_floors(["mrr=0.8", "quote_validity = 1"]) == {"mrr": 0.8, "quote_validity": 1.0}
        assert parse_floors([]) == {}
        for bad, needle in (["nope=1"], "unknown metric 'nope'"), (["mrr"], "METRIC=X"), (["mrr=high"], "number"):
            with pytest.raises(BadArgument, match=needle):
                parse_floors(bad)

    def test_check_floors(self) -> None:
        from eval.runner import check_floors

        metrics = {"mrr": 0.5, "fact_recall": 0.9, "false_abstention_rate": 0.2, "abstention_accuracy": None}
        assert check_floors(metrics, {"fact_recall": 0.85}) == []
        assert check_floors(metrics, {"mrr": 0.6}) == ["mrr 0.5000 is below the floor 0.6"]
        assert check_floors(metrics, {"false_abstention_rate": 0.1}) == [
            "false_abstention_rate 0.2000 is above the ceiling 0.1"]
        assert check_floors(metrics, {"false_abstention_rate": 0.3}) == []
        assert "not measured" in check_floors(metrics, {"abstention_accuracy": 0.5})[0]

    def test_load_gold_defaults_and_errors(self, tmp_path: Path) -> None:
        from eval.gold import load_gold

        good = tmp_path / "g.jsonl"
        good.write_text('{"question": "Who?"}\n\n{"id": "b", "question": "Why?", "type": "unanswerable"}\n')
        items = load_gold(good)
        assert items[0] == {"id": "line-1", "question": "Who?", "type": "single", "answer": "", "facts": [],
                            "sources": []}
        assert items[1]["id"] == "b" and items[1]["type"] == "unanswerable"
        cases = {
            '{"question": "a"}\n{oops\n': ":2: not valid JSON",
            '["a"]\n': ":1: expected a JSON object",
            '{"question": "  "}\n': '"question" must be a non-empty string',
            '{"question": "a", "facts": "x"}\n': '"facts" must be a list of strings',
            '{"id": 1, "question": "a"}\n{"id": "1", "question": "b"}\n': "duplicate id '1'",
            "\n\n": "has no items",
        }
        for content, needle in cases.items():
            bad = tmp_path / "bad.jsonl"
            bad.write_text(content)
            with pytest.raises(BadArgument, match=re.escape(needle)):
                load_gold(bad)
        with pytest.raises(BadArgument, match="does not exist"):
            load_gold(tmp_path / "missing.jsonl")
        with pytest.raises(BadArgument, match="is a folder"):
            load_gold(tmp_path)

    def test_score_item_answerable(self) -> None:
        from eval.runner import score_item

        item = {"type": "single", "sources": ["a.txt", "b.txt"], "facts": ["Takaichi", "58%"]}
        cits = [Citation(1, "a.txt", "/x/a.txt", 0, 5, "Hello"), Citation(2, "c.txt", "/x/c.txt", 0, 3, "bad")]
        answer = _answer(cited=cits, retrieved=["c.txt", "a.txt", "a.txt"], text="Ｔａｋａｉｃｈｉ said so.[1][2]",
                         supported=(True, False))
        s = score_item(item, answer, {"/x/a.txt": "Hello world", "/x/c.txt": "good"})
        assert s["retrieval_recall@5"] == 0.5 and s["mrr"] == 0.5
        assert s["citation_precision"] == 0.5 and s["citation_recall"] == 0.5
        assert s["quote_validity"] == 0.5  # c.txt's quote does not match its text
        assert s["supported_rate"] == 0.5 and s["fact_recall"] == 0.5
        assert s["false_abstention_rate"] == 0.0 and s["abstention_accuracy"] is None

    def test_score_item_unanswerable(self) -> None:
        from eval.runner import item_quality, score_item

        item = {"type": "unanswerable", "sources": [], "facts": []}
        declined = score_item(item, _answer(abstained=True, supported=()), {})
        assert declined["abstention_accuracy"] == 1.0 and declined["false_abstention_rate"] is None
        assert declined["retrieval_recall@5"] is None and declined["quote_validity"] is None
        assert item_quality(declined) == 1.0
        answered = score_item(item, _answer(abstained=False), {})
        assert item_quality(answered) == 0.0

    def test_item_quality_scales_by_quote_validity(self) -> None:
        from eval.runner import item_quality

        assert item_quality({"fact_recall": 1.0, "false_abstention_rate": 1.0}) == 0.5
        assert item_quality({"fact_recall": 1.0, "quote_validity": 0.5}) == 0.5
        assert item_quality({}) == 1.0

    def test_report_and_formats(self) -> None:
        from eval.report import format_markdown, format_table, worst_items
        from eval.runner import build_report

        def row(i, kind, fr, lat, abst=None):
            return {"id": f"q{i}", "question": f"Question {i}?", "type": kind, "answer": "A | b", "abstained": False,
                    "missing_facts": [] if fr == 1 else ["x"], "retrieval_recall@5": 1.0, "mrr": 1.0,
                    "citation_precision": 1.0, "citation_recall": 1.0, "quote_validity": 1.0,
                    "supported_rate": 1.0, "fact_recall": fr, "abstention_accuracy": abst,
                    "false_abstention_rate": None if abst is not None else 0.0, "quality": fr, "latency_ms": lat}

        rows = [row(1, "single", 1.0, 10.0), row(2, "single", 0.0, 30.0), row(3, "unanswerable", None, 20.0, 1.0)]
        rows[2]["quality"] = 1.0
        report = build_report(rows)
        assert report["n"] == 3 and list(report["by_type"]) == ["single", "unanswerable"]
        assert report["metrics"]["fact_recall"] == 0.5 and report["metrics"]["latency_p50_ms"] == 20.0
        assert report["by_type"]["single"]["n"] == 2 and report["by_type"]["unanswerable"]["fact_recall"] is None
        assert [r["id"] for r in worst_items(report, 2)] == ["q2", "q3"]  # tie on quality: slower first
        text = format_table(report, worst=1)
        assert "all (3)" in text and "single (2)" in text and "q2" in text and "q1 " not in text
        assert "missing 'x'" in text
        md = format_markdown(report)
        assert "| metric | all (3) | single (2) | unanswerable (1) |" in md
        assert "| fact_recall | 0.500 | 0.500 | - |" in md
        assert "A \\| b" in md  # pipes in answers cannot break the table


# ------------------------------------------- BM25 analyzer (tuned with bench.beir)
def test_bm25_document_frequency_uses_the_snowball_analyzer(tmp_path: Path) -> None:
    from rag.bm25 import BM25Index

    index = BM25Index.build(["a", "b", "c"], ["Rare earth exports rose.", "Studies of exporting magnets.",
                                              "The study."])
    assert index.document_frequency("exports") == 2  # export(s|ing) share a Snowball stem
    assert index.document_frequency("Studies") == 2  # studies/study -> "studi"
    assert index.document_frequency("the") == 0 and index.document_frequency("zzz") == 0
    assert {cid for cid, _ in index.search("exporting", 3)} == {"a", "b"}
    index.save(tmp_path / "bm25")
    loaded = BM25Index.load(tmp_path / "bm25")
    assert loaded.document_frequency("magnet") == 1
    (tmp_path / "bm25" / "analyzer.txt").write_text("tiny-suffix-stripper")
    with pytest.raises(ValueError, match="another analyzer"):
        BM25Index.load(tmp_path / "bm25")


def test_fusion_scores_convex_and_rrf():
    from rag.retrieval import fusion_scores

    convex = fusion_scores([("a", 0.9), ("b", 0.5), ("c", 0.1)], [("c", 9.0), ("b", 3.0)], 0.5)
    assert convex["a"] == 0.5 and convex["c"] == 0.5 and abs(convex["b"] - 0.25) < 1e-9
    dense_only = fusion_scores([("a", 0.9), ("b", 0.5)], [("b", 9.0)], 1.0)
    assert dense_only["a"] > dense_only["b"]
    rrf = fusion_scores([("a", 1.0), ("b", 0.5)], [("b", 2.0)], 0.5, "rrf", 60)
    assert rrf["b"] > rrf["a"]
    import pytest

    with pytest.raises(ValueError):
        fusion_scores([], [], 0.5, "median")
