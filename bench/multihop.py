"""MultiHop-RAG (609 news articles, multi-hop questions): the 609 articles ingested once through the project's
real pipeline (cached in bench/.cache/multihop, incremental), every development query asked of the default
answerer.

    python -m bench.multihop [--limit N] --json OUT

Scores:
  hits@10, hits@4, mrr@10   as upstream: a rank counts when a gold evidence ``fact`` (spaces and newlines
                            removed) is a substring of the retrieved chunk's text (same removal); null queries
                            skipped. Our chunks are small (450 characters), so a long fact spanning two chunks
                            never counts: hence also
  evidence_file_recall@10   share of the gold evidence articles among the files of the top 10 chunks
  inference_answers         inference queries whose answer text contains the gold answer
  null_declined             null queries ("Insufficient information.") the assistant declined
  false_abstentions         answerable queries it declined
  yesno_accuracy            comparison and temporal queries whose gold answer is "Yes"/"No" (663 of the dev half):
                            share whose answer opens with the gold word (always "Yes" gives 0.56); also per type,
                            and yesno_settled: the share answered "Yes" or "No" at all (issue 25)
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from bench.common import write_json
from bench.ramdocs import contains
from eval.shape_metrics import verdict_correct, verdict_of

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "bench" / "multihop"
CACHE = ROOT / "bench" / ".cache" / "multihop"


def _squash(text: str) -> str:
    return text.replace(" ", "").replace("\n", "")


def write_corpus(articles: list[dict], folder: Path) -> dict[str, str]:
    """One file per article (title, date, byline, body), written only when missing or changed; title -> file name."""
    folder.mkdir(parents=True, exist_ok=True)
    names = {}
    for i, article in enumerate(articles):
        name = f"a{i:03d}.txt"
        # The masthead (publisher, author) is part of a news article, and the queries name publishers
        # ("as reported by TechCrunch"): without it every such name would look absent from the corpus.
        byline = ", ".join(x for x in (article.get("author"), article.get("source")) if x)
        text = f"{article['title']}\n{article['published_at'][:10]}\n{byline}\n\n{article['body'].strip()}\n"
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        names.setdefault(article["title"], name)
    return names


def rank_of_evidence(facts: list[str], chunks: list[str]) -> int | None:
    """1-based rank of the first chunk holding a gold fact (upstream scoring), or None.

    Example: ``rank_of_evidence(["b c"], ["a", "x bc y"])`` -> 2.
    """
    squashed = [_squash(f) for f in facts]
    for rank, chunk in enumerate(chunks, 1):
        text = _squash(chunk)
        if any(f and f in text for f in squashed):
            return rank
    return None


def score_query(query: dict, retrieved: list, answer: dict, names: dict[str, str]) -> dict:
    """Scores of one query (pure): ``retrieved`` are the top-10 Hits, ``answer`` the `rag ask --json` object."""
    kind = query["question_type"]
    row = {"query": query["query"], "type": kind, "gold": query["answer"], "abstained": answer["abstained"],
           "answer": answer["answer"]}
    if kind == "null_query":
        return row
    facts = [e["fact"] for e in query["evidence_list"]]
    texts = [h.chunk.text for h in retrieved]
    rank = rank_of_evidence(facts, texts)
    evidence_files = {names.get(e["title"]) for e in query["evidence_list"]} - {None}
    files = {h.chunk.source for h in retrieved}
    row.update({"rank": rank, "hit@10": rank is not None and rank <= 10, "hit@4": rank is not None and rank <= 4,
                "rr@10": 1 / rank if rank and rank <= 10 else 0.0,
                "file_recall@10": len(evidence_files & files) / len(evidence_files) if evidence_files else 0.0})
    if kind == "inference_query":
        row["answer_present"] = (not answer["abstained"]) and contains(answer["answer"], query["answer"])
    if kind in YESNO_TYPES and query["answer"].strip().lower() in ("yes", "no"):
        row["verdict"] = verdict_of(answer["answer"])
        row["verdict_correct"] = bool(verdict_correct(answer["answer"], query["answer"]))
    row["shape"] = answer.get("shape", "fact")
    return row


YESNO_TYPES = ("comparison_query", "temporal_query")


def aggregate(rows: list[dict]) -> dict:
    """Totals (pure)."""
    def mean(values):
        values = [float(v) for v in values]
        return round(sum(values) / len(values), 4) if values else None

    answerable = [r for r in rows if r["type"] != "null_query"]
    nulls = [r for r in rows if r["type"] == "null_query"]
    inference = [r for r in rows if r["type"] == "inference_query"]
    return {"queries": len(rows), "hits@10": mean(r["hit@10"] for r in answerable),
            "hits@4": mean(r["hit@4"] for r in answerable), "mrr@10": mean(r["rr@10"] for r in answerable),
            "evidence_file_recall@10": mean(r["file_recall@10"] for r in answerable),
            "inference_answers": mean(r["answer_present"] for r in inference), "inference_queries": len(inference),
            "null_declined": mean(r["abstained"] for r in nulls), "null_queries": len(nulls),
            "false_abstentions": mean(r["abstained"] for r in answerable), "answerable_queries": len(answerable),
            **_yesno(rows, mean)}


def _yesno(rows: list[dict], mean) -> dict:
    """Yes/no accuracy over the comparison and temporal queries with a yes/no gold, overall and per type."""
    asked = [r for r in rows if "verdict_correct" in r]
    out = {"yesno_accuracy": mean(r["verdict_correct"] for r in asked), "yesno_queries": len(asked),
           "yesno_settled": mean(r["verdict"] is not None for r in asked)}
    for kind in YESNO_TYPES:
        some = [r for r in asked if r["type"] == kind]
        out[f"{kind.split('_')[0]}_yesno_accuracy"] = mean(r["verdict_correct"] for r in some)
    return out


def spread(queries: list[dict], limit: int | None) -> list[dict]:
    """The first ``limit`` queries taken evenly across the file (every type represented); all without a limit."""
    if not limit or limit >= len(queries):
        return queries
    step = len(queries) / limit
    return [queries[int(i * step)] for i in range(limit)]


TABLE = (("hits@10", "Hits@10 (upstream scoring)"), ("hits@4", "Hits@4"), ("mrr@10", "MRR@10"),
         ("evidence_file_recall@10", "evidence file recall@10"), ("inference_answers", "inference answers present"),
         ("null_declined", "null queries declined"), ("false_abstentions", "false abstentions"),
         ("yesno_accuracy", "yes/no accuracy (comparison+temporal)"), ("comparison_yesno_accuracy", "  comparison"),
         ("temporal_yesno_accuracy", "  temporal"), ("yesno_settled", "  answered yes or no"))


def print_table(summary: dict) -> None:
    print(f"MultiHop-RAG dev, {summary['queries']} queries")
    for key, label in TABLE:
        print(f"  {label:<38} {summary.get(key)}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.multihop", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    from ingest.pipeline import run_ingest
    from rag.assistant import Assistant
    from rag.embeddings import Embedder
    from rag.filters import Filters
    from rag.settings import Settings

    articles = json.loads((args.data / "corpus.json").read_text(encoding="utf-8"))
    queries = spread(json.loads((args.data / "queries_dev.json").read_text(encoding="utf-8")), args.limit)
    names = write_corpus(articles, args.cache / "articles")
    settings = Settings(source_dir=args.cache / "articles", db_dir=args.cache / "db", _env_file=None)
    embedder = Embedder()
    started = time.perf_counter()
    report = run_ingest(settings, embedder, progress=sys.stderr.isatty())
    ingest_s = time.perf_counter() - started
    assistant = Assistant(settings, embedder)
    rows, started = [], time.perf_counter()
    for n, query in enumerate(queries):
        retrieved = assistant._retrieve(query["query"], 10, Filters())
        answer = assistant.ask(query["query"]).to_json()
        rows.append(score_query(query, retrieved, answer, names))
        if sys.stderr.isatty():
            print(f"\r{n + 1}/{len(queries)}", end="", file=sys.stderr)
    summary = aggregate(rows)
    summary.update(chunks=report.chunks, ingest_seconds=round(ingest_s, 1),
                   ask_seconds=round(time.perf_counter() - started, 1))
    print_table(summary)
    write_json(args.json, {"summary": summary, "items": rows})
    return 0


if __name__ == "__main__":
    sys.exit(main())
