"""Embedding backends side by side: torch (sentence-transformers), ONNX fp32 and ONNX int8. Speed on the same
chunk texts in the same run (alternating rounds, best round each), per-question embedding latency, and nDCG@10
on BEIR SciFact (test) for dense and hybrid retrieval with each backend's vectors, including the mixed case
of an index built with torch vectors queried with ONNX vectors.

    python -m bench.embedders --json OUT [--texts 512] [--rounds 2] [--no-quality]

Retrieval here is exact (numpy dot products over all 5,183 abstracts) so the figures isolate the vectors;
corpus vectors are cached in bench/.cache by backend name (the torch ones are shared with bench.beir).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from bench.common import CachedEmbedder, write_json

BACKENDS = ("torch", "onnx", "onnx-int8")
DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "bench" / "scifact"


def chunk_texts(data: Path, n: int) -> list[str]:
    """The first ``n`` chunks the project's own chunker makes of the SciFact abstracts (ingest's unit)."""
    from ingest.pipeline import document_chunks
    from ingest.chunking import text_sha
    from rag.settings import Settings

    settings = Settings(_env_file=None)
    texts: list[str] = []
    with (data / "corpus.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            text = f"{doc.get('title', '')} {doc['text']}".strip()
            for chunk in document_chunks(f"{doc['_id']}.txt", Path("/x"), text, text_sha(text),
                                         settings.chunk_size, settings.chunk_overlap):
                texts.append(chunk.text)
            if len(texts) >= n:
                return texts[:n]
    return texts


def speed(embedders: dict, texts: list[str], questions: list[str], rounds: int) -> dict:
    """Best-of-``rounds`` seconds to encode ``texts`` per backend (rounds alternate between backends, so load
    from other processes falls on all of them alike), and median ms to embed one question."""
    best = {name: float("inf") for name in embedders}
    for _ in range(rounds):
        for name, embedder in embedders.items():
            started = time.perf_counter()
            embedder.encode(texts)
            best[name] = min(best[name], time.perf_counter() - started)
    query_ms = {}
    for name, embedder in embedders.items():
        times = []
        for question in questions:
            started = time.perf_counter()
            embedder.encode([question])
            times.append((time.perf_counter() - started) * 1000)
        query_ms[name] = round(float(np.median(times)), 2)
    base = best["torch"]
    return {name: {"seconds": round(best[name], 2), "texts_per_s": round(len(texts) / best[name], 1),
                   "speedup_vs_torch": round(base / best[name], 2), "query_ms_p50": query_ms[name]}
            for name in embedders}


def quality(embedders: dict, data: Path, candidates: int = 100) -> dict:
    """nDCG@10 / recall@100 on SciFact test: dense, and hybrid with the product's BM25, fusion and settings."""
    from bench.beir import load_corpus, load_qrels, load_queries, score
    from rag.bm25 import BM25Index
    from rag.retrieval import fusion_scores
    from rag.settings import Settings

    settings = Settings(_env_file=None)
    corpus = load_corpus(data)
    qrels = load_qrels(data, "test")
    queries = load_queries(data, qrels)
    ids, texts = list(corpus), list(corpus.values())
    bm25 = BM25Index.build(ids, texts)
    sparse = {q: bm25.search(t, candidates) for q, t in queries.items()}
    docs, query_vectors = {}, {}
    for name, embedder in embedders.items():
        cached = CachedEmbedder(embedder)
        docs[name] = cached.encode(texts, progress=sys.stderr.isatty())
        query_vectors[name] = embedder.encode(list(queries.values()))
    pairs = [(name, name) for name in embedders] + [("torch", name) for name in embedders if name != "torch"]
    results = {}
    for doc_backend, query_backend in pairs:
        sims = query_vectors[query_backend] @ docs[doc_backend].T
        top = np.argsort(-sims, axis=1)[:, :candidates]
        dense = {q: [(ids[i], float(sims[n, i])) for i in row] for n, (q, row) in enumerate(zip(queries, top))}
        hybrid = {}
        for q in queries:  # the product's fusion (Settings.fusion, dense_weight, rrf_c)
            fused = fusion_scores(dense[q], sparse[q], settings.dense_weight, settings.fusion, settings.rrf_c)
            hybrid[q] = sorted(fused, key=lambda d: -fused[d])[:100]
        label = doc_backend if doc_backend == query_backend else f"{doc_backend} index, {query_backend} queries"
        results[label] = {"dense": score({q: [d for d, _ in r] for q, r in dense.items()}, qrels),
                          "hybrid": score(hybrid, qrels)}
    return results


def table(report: dict) -> str:
    """Aligned text of both parts."""
    lines = [f"{'backend':<12}{'texts/s':>9}{'speed-up':>10}{'query ms':>10}"]
    for name, row in report["speed"].items():
        lines.append(f"{name:<12}{row['texts_per_s']:>9}{row['speedup_vs_torch']:>10}{row['query_ms_p50']:>10}")
    if report.get("quality"):
        lines += ["", f"{'vectors':<36}{'dense nDCG@10':>14}{'hybrid nDCG@10':>16}"]
        for label, row in report["quality"].items():
            lines.append(f"{label:<36}{row['dense']['ndcg@10']:>14.4f}{row['hybrid']['ndcg@10']:>16.4f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m bench.embedders``."""
    parser = argparse.ArgumentParser(prog="python -m bench.embedders", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="BEIR SciFact folder")
    parser.add_argument("--texts", type=int, default=512, help="chunk texts to time")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--no-quality", action="store_true", help="skip the nDCG part")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    from rag.embeddings import Embedder

    embedders, load_s = {}, {}
    for name in BACKENDS:
        started = time.perf_counter()
        embedders[name] = Embedder(name)
        load_s[name] = round(time.perf_counter() - started, 2)
    texts = chunk_texts(args.data, args.texts)
    from bench.beir import load_queries

    questions = list(load_queries(args.data, [str(i) for i in range(1, 2000)]).values())[:100]
    report = {"texts": len(texts), "speed": speed(embedders, texts, questions, args.rounds), "load_s": load_s}
    if not args.no_quality:
        report["quality"] = quality(embedders, args.data)
    print(table(report))
    write_json(args.json, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
