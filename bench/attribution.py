"""AttributionBench (is a claim supported by its cited evidence?): ``rag.support.check`` on every item of the
balanced development set, macro-F1 of the two labels per source dataset at the shipped threshold, and the
threshold each dataset would prefer (reported, never shipped: one threshold serves every corpus).

    python -m bench.attribution [--limit N] [--threshold T] --json OUT
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

from bench.common import CachedEmbedder, write_json

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "bench" / "attribution" / "dev_all_subset_balanced.jsonl"


def macro_f1(gold: list[bool], predicted: list[bool]) -> float:
    """Mean F1 of the positive and the negative label. Example: ``macro_f1([True, False], [True, False])`` -> 1.0."""
    def f1(label: bool) -> float:
        tp = sum(1 for g, p in zip(gold, predicted) if g == label and p == label)
        fp = sum(1 for g, p in zip(gold, predicted) if g != label and p == label)
        fn = sum(1 for g, p in zip(gold, predicted) if g == label and p != label)
        return 2 * tp / (2 * tp + fp + fn) if tp else 0.0

    return (f1(True) + f1(False)) / 2


def best_threshold(gold: list[bool], scores: list[float]) -> tuple[float, float]:
    """The threshold (of the observed scores) with the highest macro-F1, and that F1."""
    best = (0.5, 0.0)
    for t in sorted(set(round(s, 3) for s in scores)):
        f = macro_f1(gold, [s >= t for s in scores])
        if f > best[1]:
            best = (t, f)
    return best


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.attribution", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--limit", type=int, default=None, help="items per source dataset")
    parser.add_argument("--threshold", type=float, default=None, help="default: rag.support.SUPPORT_THRESHOLD")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    from rag.embeddings import Embedder
    from rag.support import SUPPORT_THRESHOLD, check

    threshold = SUPPORT_THRESHOLD if args.threshold is None else args.threshold
    with args.data.open(encoding="utf-8") as handle:
        items = [json.loads(line) for line in handle if line.strip()]
    by_source: dict[str, list[dict]] = defaultdict(list)
    for item in items:
        if args.limit is None or len(by_source[item["src_dataset"]]) < args.limit:
            by_source[item["src_dataset"]].append(item)
    embedder = CachedEmbedder(Embedder())
    started = time.perf_counter()
    rows = []
    for source, group in by_source.items():
        for item in group:
            result = check(item["claim"], [r for r in item["references"] if r], embedder, threshold)
            rows.append({"src_dataset": source, "gold": item["attribution_label"] == "attributable",
                         "score": result.score, "supported": result.supported, "status": result.status})
    summary = {"threshold": threshold, "items": len(rows), "seconds": round(time.perf_counter() - started, 1),
               "by_dataset": {}}
    print(f"AttributionBench dev, rag.support.check at threshold {threshold}")
    print(f"  {'dataset':<20} {'n':>5} {'macro-F1':>9} {'best t':>7} {'F1 at best t':>13}")
    for source in by_source:
        mine = [r for r in rows if r["src_dataset"] == source]
        gold = [r["gold"] for r in mine]
        f1 = macro_f1(gold, [r["supported"] for r in mine])
        t, f_best = best_threshold(gold, [r["score"] for r in mine])
        summary["by_dataset"][source] = {"n": len(mine), "macro_f1": round(100 * f1, 1),
                                         "best_threshold": t, "macro_f1_at_best": round(100 * f_best, 1)}
        print(f"  {source:<20} {len(mine):>5} {100 * f1:>9.1f} {t:>7.3f} {100 * f_best:>13.1f}")
    write_json(args.json, {"summary": summary, "items": rows})
    return 0


if __name__ == "__main__":
    sys.exit(main())
