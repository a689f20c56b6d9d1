"""BEIR SciFact through the project's own ingest and retrievers: nDCG@10 and recall@100 for dense, bm25 and
hybrid, beside published figures.

    python -m bench.beir --data ../shared/bench/scifact --split test --json OUT

Each abstract is written as one file (``title + " " + text``, as MTEB embeds it) and ingested with a chunk
size larger than any abstract, so each document is exactly one chunk and chunk rankings are document
rankings, as in BEIR. Corpus vectors are cached in bench/.cache (model name + text hash) and the index is kept
in bench/.cache/DATASET: the first run embeds 5,183 abstracts (about 17 minutes on 2 shared cores), later runs
take about 20 seconds and never load the model.

``--tune`` grid-searches the hybrid fusion (dense weight, RRF constant) on the given split; run it on
``--split train`` only and copy the winner into rag/settings.py. Report on ``--split test``.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from bench.common import CACHE_DIR, CachedEmbedder, write_json
from eval.metrics import mean, ndcg_at_k, retrieval_recall_at_k

PUBLISHED = {  # nDCG@10 on the 300 SciFact test queries
    "bm25": {"BEIR paper BM25 (Thakur et al. 2021)": 0.665, "MTEB bm25s baseline": 0.687},
    "dense": {"MTEB all-MiniLM-L6-v2": 0.645},
}
MODES = ("dense", "bm25", "hybrid")


# ---- the BEIR layout (pure readers)
def load_corpus(data: Path) -> dict[str, str]:
    """doc id -> indexed text, ``title + " " + text`` stripped (the MTEB convention)."""
    corpus = {}
    with (data / "corpus.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                doc = json.loads(line)
                corpus[str(doc["_id"])] = f"{doc.get('title', '')} {doc['text']}".strip()
    return corpus


def load_qrels(data: Path, split: str) -> dict[str, dict[str, int]]:
    """query id -> {doc id: relevance} from qrels/SPLIT.tsv (header line skipped, CRLF tolerated)."""
    qrels: dict[str, dict[str, int]] = {}
    lines = (data / "qrels" / f"{split}.tsv").read_text(encoding="utf-8").splitlines()
    for line in lines[1:]:
        parts = line.strip().split("\t")
        if len(parts) == 3 and int(parts[2]) > 0:
            qrels.setdefault(parts[0], {})[parts[1]] = int(parts[2])
    return qrels


def load_queries(data: Path, ids) -> dict[str, str]:
    """query id -> text, for the ids asked for."""
    wanted, queries = set(ids), {}
    with (data / "queries.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                q = json.loads(line)
                if str(q["_id"]) in wanted:
                    queries[str(q["_id"])] = q["text"]
    return queries


def score(runs: dict[str, list[str]], qrels: dict[str, dict[str, int]]) -> dict[str, float]:
    """Mean nDCG@10 and recall@100 of ranked doc lists. Example: ``score({"q": ["a"]}, {"q": {"a": 1}})``."""
    return {
        "ndcg@10": round(mean(ndcg_at_k(runs.get(q, []), rel, 10) for q, rel in qrels.items()), 4),
        "recall@100": round(mean(retrieval_recall_at_k(runs.get(q, []), list(rel), 100)
                                 for q, rel in qrels.items()), 4),
    }


# ---- the project's path
def build_index(corpus: dict[str, str], workdir: Path, embedder, progress: bool):
    """Write one file per abstract and ingest them with the project's pipeline; return the Settings."""
    from ingest.pipeline import run_ingest
    from rag.settings import Settings

    source = workdir / "corpus"
    source.mkdir(parents=True, exist_ok=True)
    for doc_id, text in corpus.items():
        path = source / f"{doc_id}.txt"
        data = text.encode("utf-8")
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
    settings = Settings(source_dir=source, db_dir=workdir / "db", chunk_size=100_000, chunk_overlap=0,
                        collection="scifact", _env_file=None)
    report = run_ingest(settings, embedder, progress=progress)
    if report.skipped:
        raise SystemExit(f"bench.beir: {len(report.skipped)} abstracts were skipped, e.g. {report.skipped[0]}")
    return settings


def rankings(retrieval, queries: dict[str, str], embedder, candidates: int, dense_weight: float, rrf_c: int,
             progress: bool) -> dict[str, dict[str, list[str]]]:
    """mode -> query id -> doc ids, best first (top 100). Dense and BM25 lists come from Retrieval.dense /
    Retrieval.sparse; every mode is ranked by Retrieval.fuse, as Retrieval.hybrid does for the Assistant."""
    from tqdm import tqdm

    from rag.filters import Filters

    embedder.encode(list(queries.values()))  # one batch; query_vector then reads the cache
    doc_of = {cid: Path(source).stem for cid, (source, _) in retrieval.id_info.items()}
    runs: dict[str, dict[str, list[str]]] = {m: {} for m in MODES}
    weights = {"dense": 1.0, "bm25": 0.0, "hybrid": dense_weight}
    for qid, text in tqdm(queries.items(), desc="queries", disable=not progress, file=sys.stderr, leave=False):
        vector = embedder.query_vector(text)
        dense = retrieval.dense(vector, candidates, Filters())
        sparse = retrieval.sparse(text, candidates, Filters())
        lists = {"dense": (dense, []), "bm25": ([], sparse), "hybrid": (dense, sparse)}
        for mode in MODES:
            hits = retrieval.fuse(*lists[mode], 100, weights[mode], rrf_c)
            runs[mode][qid] = [doc_of.get(h.chunk.id, Path(h.chunk.source).stem) for h in hits]
    return runs


def tune(retrieval, queries, qrels, embedder, candidates: int) -> list[dict]:
    """Grid over (dense weight, RRF c) on these queries; rows best first by nDCG@10."""
    from rag.filters import Filters

    embedder.encode(list(queries.values()))
    lists = {}
    for qid, text in queries.items():
        dense = [c.id for c, _ in retrieval.dense(embedder.query_vector(text), candidates, Filters())]
        sparse = [cid for cid, _ in retrieval.sparse(text, candidates, Filters())]
        lists[qid] = (dense, sparse)
    doc_of = {cid: Path(source).stem for cid, (source, _) in retrieval.id_info.items()}
    rows = []
    for weight in (0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7):
        for c in (1, 5, 10, 20, 30, 60, 100):
            runs = {qid: [doc_of[i] for i in rrf(d, s, weight, c)[:100]] for qid, (d, s) in lists.items()}
            rows.append({"dense_weight": weight, "rrf_c": c, **score(runs, qrels)})
    return sorted(rows, key=lambda r: -r["ndcg@10"])


def rrf(dense: list[str], sparse: list[str], weight: float, c: int) -> list[str]:
    """The ranking Retrieval.fuse makes, on ids only (for fast grid search).

    Example: ``rrf(["a", "b"], ["b"], 0.5, 60)`` -> ['b', 'a'].
    """
    scores: dict[str, float] = {}
    for rank, cid in enumerate(dense):
        scores[cid] = scores.get(cid, 0.0) + weight / (c + rank + 1)
    for rank, cid in enumerate(sparse):
        scores[cid] = scores.get(cid, 0.0) + (1 - weight) / (c + rank + 1)
    return sorted(scores, key=lambda cid: -scores[cid])


def table(results: dict, split: str, n: int) -> str:
    """The three rows beside the published figures, as aligned text."""
    lines = [f"BEIR SciFact, {split} split, {n} queries", "",
             f"{'mode':<8}{'nDCG@10':>9}{'recall@100':>12}   published nDCG@10 (test split)"]
    for mode in MODES:
        row = results[mode]
        published = "; ".join(f"{v:.3f} {k}" for k, v in PUBLISHED.get(mode, {}).items()) or "-"
        lines.append(f"{mode:<8}{row['ndcg@10']:>9.3f}{row['recall@100']:>12.3f}   {published}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m bench.beir``."""
    import warnings

    from rag.settings import Settings

    warnings.filterwarnings("ignore", message="Could not reconstruct embedding function")  # ours is passed in

    defaults = Settings(_env_file=None)
    parser = argparse.ArgumentParser(prog="python -m bench.beir", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/bench/scifact"), help="BEIR dataset folder")
    parser.add_argument("--split", default="test", help="qrels split: test (report) or train (tuning)")
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--workdir", type=Path,
                        help="corpus files and index, kept for the next run (default: bench/.cache/DATASET)")
    parser.add_argument("--fresh", action="store_true", help="ingest into a new temporary folder instead")
    parser.add_argument("--candidates", type=int, default=max(100, defaults.candidates),
                        help="per-retriever candidates before fusion (>= 100 for recall@100)")
    parser.add_argument("--dense-weight", type=float, default=defaults.dense_weight)
    parser.add_argument("--rrf-c", type=int, default=defaults.rrf_c)
    parser.add_argument("--tune", action="store_true", help="grid-search the fusion on this split")
    args = parser.parse_args(argv)
    if not (args.data / "corpus.jsonl").is_file() or not (args.data / "qrels" / f"{args.split}.tsv").is_file():
        print(f"bench.beir: no BEIR dataset with a {args.split!r} split in {args.data}", file=sys.stderr)
        return 2
    progress = sys.stderr.isatty()
    from ingest.lazy_embedder import LazyEmbedder
    from rag.assistant import Assistant

    started = time.perf_counter()
    corpus = load_corpus(args.data)
    qrels = load_qrels(args.data, args.split)
    queries = load_queries(args.data, qrels)
    embedder = CachedEmbedder(LazyEmbedder(defaults))  # the model loads only if something is not cached
    cached_before = len(embedder)
    with tempfile.TemporaryDirectory(prefix="beir-") as tmp:
        workdir = Path(tmp) if args.fresh else args.workdir or CACHE_DIR / args.data.resolve().name
        settings = build_index(corpus, workdir, embedder, progress)
        retrieval = Assistant(settings, embedder).retrieval
        if args.tune:
            rows = tune(retrieval, queries, qrels, embedder, args.candidates)
            for row in rows[:10]:
                print(json.dumps(row))
            write_json(args.json, {"split": args.split, "grid": rows})
            return 0
        runs = rankings(retrieval, queries, embedder, args.candidates, args.dense_weight, args.rrf_c, progress)
    results = {mode: score(runs[mode], qrels) for mode in MODES}
    print(table(results, args.split, len(qrels)))
    report = {**results, "published_ndcg@10": PUBLISHED, "split": args.split, "queries": len(qrels),
              "documents": len(corpus), "config": {"candidates": args.candidates, "dense_weight": args.dense_weight,
                                                   "rrf_c": args.rrf_c, "chunk_size": 100_000},
              "embedded_now": len(embedder) - cached_before, "seconds": round(time.perf_counter() - started, 1)}
    write_json(args.json, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
