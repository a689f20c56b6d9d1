"""Shaped questions over news the composers were not written on: the gold sets over slices of the MultiHop-RAG
corpus (issue 25), each slice indexed on its own and run through ``rag eval``'s scoring with the offline answerer.

    python -m bench.shapes_news [--json OUT] [--sets multihop,news,news2] [--out DIR]
    python -m bench.shapes_news --prepare [--sets news,news2]   # only write the slices' folders (eval/ci_floors.sh)

- ``multihop``: eval/gold_shapes_multihop.jsonl over a000-a058 and a375 (60 articles).
- ``news``: eval/gold_shapes_news_blind.jsonl over a100-a199 (written blind; bench/measured/issue25/newsblind).
- ``news2``: eval/gold_shapes_news_blind2.jsonl over a300-a399 (written blind; bench/measured/issue25/newsblind2).

The articles are written from ../shared/bench/multihop/corpus.json as bench.multihop writes them; each slice's
index is kept under bench/.cache/shapes_news/ and brought up to date by an incremental ingest. With ``--out``
each set's full report (per item, for ``python -m bench.compare``) is written to DIR/SET.json.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import warnings
from pathlib import Path

from bench.multihop import CACHE as MULTIHOP_CACHE, DATA, write_corpus

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache" / "shapes_news"
SETS = {
    "multihop": ("eval/gold_shapes_multihop.jsonl", [*range(0, 59), 375]),
    "news": ("eval/gold_shapes_news_blind.jsonl", list(range(100, 200))),
    "news2": ("eval/gold_shapes_news_blind2.jsonl", list(range(300, 400))),
}
SHOWN = ("fact_recall", "files_spread", "citation_precision", "false_abstention_rate", "quote_validity",
         "shape_accuracy", "verdict_accuracy")


def slice_folder(name: str, numbers: list[int], articles: Path) -> Path:
    """The slice's own folder of article files (copied from the written corpus when missing or changed)."""
    folder = CACHE / name / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {f"a{n:03d}.txt" for n in numbers}
    for stale in folder.glob("*.txt"):
        if stale.name not in wanted:
            stale.unlink()
    for file in sorted(wanted):
        source, target = articles / file, folder / file
        if not target.exists() or target.read_bytes() != source.read_bytes():
            shutil.copyfile(source, target)
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.shapes_news", description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--prepare", action="store_true", help="write the slices' article folders, print them, stop")
    args = parser.parse_args(argv)
    chosen = [s for s in args.sets.split(",") if s]
    unknown = [s for s in chosen if s not in SETS]
    if unknown:
        print(f"unknown set {', '.join(unknown)}; known: {', '.join(SETS)}", file=sys.stderr)
        return 2
    written = MULTIHOP_CACHE / "articles"
    write_corpus(json.loads((DATA / "corpus.json").read_text(encoding="utf-8")), written)
    if args.prepare:
        for name in chosen:
            print(slice_folder(name, SETS[name][1], written))
        return 0
    from eval.gold import load_gold
    from eval.runner import evaluate
    from ingest.pipeline import run_ingest
    from rag.assistant import Assistant
    from rag.embeddings import Embedder
    from rag.settings import Settings

    warnings.filterwarnings("ignore", message="Could not reconstruct embedding function")  # ours is passed in
    embedder = Embedder()
    summary = {}
    for name in chosen:
        gold, numbers = SETS[name]
        folder = slice_folder(name, numbers, written)
        settings = Settings(source_dir=folder, db_dir=CACHE / name / "db", llm="extractive", chroma_url="",
                            _env_file=None)
        run_ingest(settings, embedder)
        report = evaluate(Assistant(settings, embedder), load_gold(ROOT / gold))
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / f"{name}.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
        metrics = report["metrics"]
        summary[name] = {"n": report["n"], **{k: metrics.get(k) for k in SHOWN},
                         "by_shape": {s: v["fact_recall"] for s, v in report["by_shape"].items()}}
        print(f"{name:9s} n={report['n']:2d} " + " ".join(
            f"{k}={metrics[k]:.3f}" for k in SHOWN if metrics.get(k) is not None), flush=True)
    if args.json:
        args.json.write_text(json.dumps(summary, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
