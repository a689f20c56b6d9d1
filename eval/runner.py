"""`rag eval`: gold questions -> the same Assistant the UI uses -> per-item scores -> a report (terminal
table, JSON, Markdown) and floors that fail CI.

The slow part (``evaluate``) takes a built Assistant, so tests and the CLI share one model load; everything
around it (scoring one answer, aggregation, floors; gold parsing in eval.gold, formatting in eval.report) is pure.
"""
from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

from eval import metrics as m
from eval import shape_metrics as sm
from eval.gold import load_gold, stage_of
from eval.report import LOWER_IS_BETTER, METRICS, format_markdown, format_table
from rag.errors import BadArgument

TYPE_ORDER = ("single", "multi", "numeric", "conflict", "unanswerable")
# Conversation gold sets are reported by stage; "later_standalone" asks each later turn as its hand-written rewrite.
STAGES = ("single", "first", "later", "later_standalone")
_ITEM_METRICS = [name for name, _ in METRICS if not name.startswith("latency")]
_DISK_FORMATS = {".txt", ".md"}  # files whose decoded bytes are exactly the indexed text
_MARKER = re.compile(r"\s*\[\d+\]")


# ---- floors
def parse_floors(specs: list[str]) -> dict[str, float]:
    """``["mrr=0.8"]`` -> ``{"mrr": 0.8}``; BadArgument for an unknown metric or a bad number."""
    floors = {}
    known = [name for name, _ in METRICS]
    for spec in specs or []:
        name, sep, value = spec.partition("=")
        name = name.strip()
        if not sep:
            raise BadArgument(f"--min expects METRIC=X, got {spec!r}")
        stage, dot, metric = name.rpartition(".") if name.startswith(STAGES) else ("", "", name)
        if stage and stage not in STAGES:
            raise BadArgument(f"unknown stage {stage!r} in --min; stages: {', '.join(STAGES)}")
        if metric not in known:
            raise BadArgument(f"unknown metric {name!r} in --min; known: {', '.join(known)}")
        try:
            floors[name] = float(value)
        except ValueError:
            raise BadArgument(f"--min {name}= needs a number, got {value!r}") from None
    return floors


def check_floors(metrics: dict, floors: dict[str, float], stages: dict | None = None) -> list[str]:
    """Failures as lines; a lower-is-better metric's X is a ceiling. Example:
    ``check_floors({"mrr": 0.5}, {"mrr": 0.6})`` -> ['mrr 0.5000 is below the floor 0.6'].
    """
    failures = []
    for name, bound in floors.items():
        stage, _, metric = name.rpartition(".") if "." in name and name.startswith(STAGES) else ("", "", name)
        value = (stages or {}).get(stage, {}).get(metric) if stage else metrics.get(name)
        name = metric if not stage else name
        if value is None:
            failures.append(f"{name} was not measured (no items it applies to), floor {bound:g}")
        elif metric in LOWER_IS_BETTER and value > bound:
            failures.append(f"{name} {value:.4f} is above the ceiling {bound:g}")
        elif metric not in LOWER_IS_BETTER and value < bound:
            failures.append(f"{name} {value:.4f} is below the floor {bound:g}")
    return failures


# ---- scoring
def score_item(item: dict, answer, texts: dict[str, str]) -> dict:
    """Scores of one answer against its gold item. ``texts`` maps a citation path to that file's text.

    Example: an abstention on an "unanswerable" item scores ``abstention_accuracy`` 1.0.
    """
    cited = [c.source for c in answer.citations]
    quotes = [(c.path, c.start, c.end, c.quote) for c in (*answer.citations, *answer.related)]
    sentences = [1.0 if s.supported else 0.0 for s in answer.sentences]
    abstain = m.abstention_scores(answer.abstained, item["type"] != "unanswerable")
    return {
        "retrieval_recall@5": m.retrieval_recall_at_k(answer.retrieved, item["sources"], 5),
        "mrr": m.reciprocal_rank(answer.retrieved, item["sources"]),
        "citation_precision": m.citation_precision(cited, item["sources"]),
        "citation_recall": m.citation_recall(cited, item["sources"]),
        "quote_validity": m.quote_validity(quotes, texts),
        "supported_rate": m.mean(sentences),
        "fact_recall": _fact_score(_MARKER.sub("", answer.answer), item["facts"]),
        "abstention_accuracy": abstain["abstention_accuracy"],
        "false_abstention_rate": abstain["false_abstention"],
        "files_spread": sm.files_spread(cited, item["sources"]) if "shape" in item else None,
        "shape_accuracy": (1.0 if getattr(answer, "shape", "fact") == item["shape"] else 0.0) if "shape" in item
        else None,
        "verdict_accuracy": sm.verdict_correct(answer.answer, item.get("verdict")),
    }


def _fact_score(answer: str, facts: list) -> float | None:
    # Plain string facts keep fact_recall exactly (duplicates counted once); alias lists are covered by any spelling.
    if all(isinstance(f, str) for f in facts):
        return m.fact_recall(answer, facts)
    return sm.fact_coverage(answer, facts)


def item_quality(scores: dict) -> float:
    """One number per item for "worst items", 0 (bad) to 1.

    Unanswerable items: whether it declined. Answerable items: the mean of fact recall, citation recall and
    precision, retrieval recall@5 and not-declining, scaled by the quote validity and supported rate (an
    invalid quote or unsupported sentence is serious whatever else went right).
    Example: ``item_quality({"fact_recall": 1.0, "false_abstention_rate": 1.0})`` -> 0.5.
    """
    if scores.get("abstention_accuracy") is not None:
        return scores["abstention_accuracy"]
    parts = [scores.get(k) for k in ("fact_recall", "citation_recall", "citation_precision", "retrieval_recall@5")]
    if scores.get("false_abstention_rate") is not None:
        parts.append(1.0 - scores["false_abstention_rate"])
    value = m.mean(parts)
    value = 1.0 if value is None else value
    for key in ("quote_validity", "supported_rate"):
        if scores.get(key) is not None:
            value *= scores[key]
    return value


def summarize(rows: list[dict]) -> dict:
    """Aggregate item rows (scores + latency_ms) into the metrics dict, 4 decimals, in METRICS order."""
    means = m.aggregate([{k: r.get(k) for k in _ITEM_METRICS} for r in rows])
    latencies = [r["latency_ms"] for r in rows]
    means["latency_p50_ms"] = m.percentile(latencies, 50)
    means["latency_p95_ms"] = m.percentile(latencies, 95)
    return {name: None if means.get(name) is None else round(means[name], 4) for name, _ in METRICS}


def build_report(rows: list[dict]) -> dict:
    """``{"n", "metrics", "by_type", "items"}`` from item rows; types in a fixed order, unknown types after."""
    asked = [r for r in rows if r.get("stage") != "later_standalone"]
    types = sorted({r["type"] for r in asked}, key=lambda t: (TYPE_ORDER.index(t) if t in TYPE_ORDER else 99, t))
    report = {"n": len(asked), "metrics": summarize(asked),
              "by_type": {t: {"n": sum(r["type"] == t for r in asked),
                              **summarize([r for r in asked if r["type"] == t])} for t in types},
              "items": rows}
    shapes = list(dict.fromkeys(r["gold_shape"] for r in asked if "gold_shape" in r))
    if shapes:  # a shaped gold set: each shape apart
        report["by_shape"] = {s: {"n": sum(r.get("gold_shape") == s for r in asked),
                                  **summarize([r for r in asked if r.get("gold_shape") == s])} for s in shapes}
    stages = [s for s in STAGES if any(r.get("stage", "single") == s for r in rows)]
    if stages != ["single"] and stages:  # a gold set with conversations: first and later turns apart
        report["by_stage"] = {s: {"n": sum(r.get("stage", "single") == s for r in rows),
                                  **summarize([r for r in rows if r.get("stage", "single") == s])} for s in stages}
    return report


# ---- the slow part
def file_text(citation, assistant) -> str | None:
    """The text a citation's offsets index into, re-read independently of the answerer: the file on disk for
    plain text (.txt/.md), the index's extracted text otherwise (HTML/PDF), and also when the file is not on this
    machine (one that asks a shared Chroma server holds no files). None when unreadable."""
    try:
        if Path(citation.path).suffix.lower() in _DISK_FORMATS and Path(citation.path).exists():
            return Path(citation.path).read_bytes().decode("utf-8")
        return assistant.document_text(citation.source)
    except Exception:  # a missing/changed file is exactly what quote_validity must report, not crash on
        return None


def evaluate(assistant, items: list[dict], progress: bool = False) -> dict:
    """Ask every gold question through ``assistant.ask`` and return the report (see ``build_report``)."""
    from tqdm import tqdm

    rows = []
    texts: dict[str, str | None] = {}
    history: dict[str, list] = {}  # conversation id -> its earlier answers, in order (state held here, the caller)
    for item in tqdm(items, desc="eval", unit="q", file=sys.stderr, disable=not progress, leave=False):
        stage = stage_of(item)
        earlier = history.setdefault(item["conversation"], []) if stage != "single" else []
        asked = [(stage, item["question"], list(earlier))]
        if stage == "later" and item.get("standalone"):
            asked.append(("later_standalone", item["standalone"], []))
        for row_stage, question, conversation in asked:
            row, answer = _ask_and_score(assistant, item, question, conversation, texts)
            rows.append({**row, "stage": row_stage, **({"conversation": item["conversation"], "turn": item["turn"]}
                                                        if stage != "single" else {})})
            if row_stage in ("first", "later"):
                earlier.append(answer)
    return build_report(rows)


def _ask_and_score(assistant, item: dict, question: str, conversation: list, texts: dict):
    started = time.perf_counter()
    answer = assistant.ask(question, conversation=conversation) if conversation else assistant.ask(question)
    latency = (time.perf_counter() - started) * 1000
    for c in (*answer.citations, *answer.related):
        if c.path not in texts:
            texts[c.path] = file_text(c, assistant)
    scores = score_item(item, answer, {p: t for p, t in texts.items() if t is not None})
    missing = [f for f in item["facts"] if sm.fact_coverage(_MARKER.sub("", answer.answer), [f]) == 0.0]
    row = {"id": item["id"], "question": question, "type": item["type"],
           "standalone_question": answer.standalone_question or answer.question,
           "answer": answer.answer, "abstained": answer.abstained,
           "cited": list(dict.fromkeys(c.source for c in answer.citations)),
           "retrieved": list(answer.retrieved), "gold_sources": item["sources"],
           "missing_facts": missing, **{k: _round(v) for k, v in scores.items()},
           **({"shape": getattr(answer, "shape", "fact"), "gold_shape": item["shape"]} if "shape" in item else {}),
           "quality": round(item_quality(scores), 4), "latency_ms": round(latency, 1)}
    return row, answer


def _round(value):
    return None if value is None else round(value, 4)


# ---- command line
def run_cli(settings, args, assistant=None) -> int:
    """`rag eval`: 0 when every floor holds, 1 when one fails; bad input raises (exit 2 at the CLI).

    ``assistant`` lets a caller that already holds one (tests) skip building another."""
    from rag.assistant import Assistant

    floors = parse_floors(args.min)
    items = load_gold(args.gold)
    assistant = assistant or Assistant(settings)
    unknown = sorted({s for item in items for s in item["sources"]} - set(assistant.sources))
    if unknown:
        print(f"rag eval: warning: {len(unknown)} gold source(s) are not in the index, e.g. {unknown[0]!r}",
              file=sys.stderr)
    report = evaluate(assistant, items, progress=sys.stderr.isatty())
    for path, text in ((args.json_out, json.dumps(report, ensure_ascii=False, indent=1)),
                       (args.markdown, format_markdown(report))):
        if path is not None:
            try:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
                Path(path).write_text(text + ("\n" if not text.endswith("\n") else ""), encoding="utf-8")
            except OSError as exc:
                raise BadArgument(f"cannot write {path} ({exc.strerror or exc})") from None
    print(format_table(report))
    failures = check_floors(report["metrics"], floors, report.get("by_stage"))
    for failure in failures:
        print(f"rag eval: {failure}", file=sys.stderr)
    return 1 if failures else 0
