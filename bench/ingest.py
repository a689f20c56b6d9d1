"""Ingest throughput against its floor: the whole `rag ingest` pipeline (scan, load, chunk, sentence spans,
embed with sentence pooling, Chroma upsert, BM25, texts, manifest) into a fresh index, versus bare
``encode`` of the very same chunk texts by the same model, in the same run.

    python -m bench.ingest [--docs 1000] [--backend torch|onnx|onnx-int8] [--rounds 2] [--start-server] --json OUT

The documents are the first N SciFact abstracts, each written as a file (title, blank line, abstract:
bench.latency_index.write_corpus, as the latency and scale benches write them). The pipeline runs in this process
with the model already loaded (loading is the cold-start bench's business), so the ratio is what the pipeline
adds on top of the model's own work. The report also splits the pipeline's time into the embedding call and
everything else.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from bench.common import write_json
from bench.latency_index import start_server, write_corpus

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "bench" / "scifact"


class TimedEmbedder:
    """Delegates to an Embedder and adds up the seconds spent in its model calls."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.seconds = 0.0
        self.texts = 0

    @property
    def name(self) -> str:
        return self.inner.name

    def chroma_function(self):
        from rag.embeddings import ChromaEmbeddingFunction

        return ChromaEmbeddingFunction(self)

    def _timed(self, call, texts, *args):
        started = time.perf_counter()
        try:
            return call(texts, *args)
        finally:
            self.seconds += time.perf_counter() - started
            self.texts += len(texts)

    def encode(self, texts, progress: bool = False):
        return self._timed(self.inner.encode, texts)

    def encode_with_sentences(self, texts, spans):
        return self._timed(self.inner.encode_with_sentences, texts, spans)

    def encode_passages(self, texts):
        return self._timed(self.inner.encode_passages, texts)

    def __getattr__(self, attr):
        return getattr(self.inner, attr)


def run(data: Path, docs: int, backend: str, rounds: int, workdir: Path, chroma_url: str | None = None) -> dict:
    """Pipeline and bare encode, ``rounds`` times each in alternating order, best of each (wall and CPU)."""
    from ingest.pipeline import run_ingest
    from rag.embeddings import Embedder
    from rag.settings import Settings
    from rag.store import IndexStore

    source = workdir / "corpus"
    written = write_corpus(data, source, docs)
    embedder = Embedder(backend)
    embedder.encode(["warm up the model and its thread pool"] * 8)
    best = {"pipeline": (float("inf"), 0.0, 0.0), "bare": (float("inf"), 0.0)}
    texts: list[str] = []

    def pipeline(round_: int) -> None:
        nonlocal texts
        settings = Settings(source_dir=source, db_dir=workdir / f"db{round_}", embed_backend=backend,
                            chroma_url=chroma_url, collection=f"bench_ingest_{round_}", _env_file=None)
        timed = TimedEmbedder(embedder)
        started, cpu = time.perf_counter(), time.process_time()
        report = run_ingest(settings, timed)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        if elapsed < best["pipeline"][0]:
            best["pipeline"] = (elapsed, cpu, timed.seconds)
        store = IndexStore(settings, embedder.chroma_function())
        got = store.collection().get(include=["documents"])["documents"]
        store.close()
        if report.chunks != len(got) or report.skipped:
            raise SystemExit(f"bench.ingest: the pipeline indexed {report.chunks} chunks, skipped "
                             f"{len(report.skipped)} files")
        texts = texts or got

    def bare() -> None:
        started, cpu = time.perf_counter(), time.process_time()
        embedder.encode(texts)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        if elapsed < best["bare"][0]:
            best["bare"] = (elapsed, cpu)

    pipeline(0)  # first: it also yields the chunk texts the bare encode gets
    bare()
    for round_ in range(1, rounds):  # then alternate which goes first, so drifting load hits both alike
        if round_ % 2:
            bare()
            pipeline(round_)
        else:
            pipeline(round_)
            bare()
    (pipe_s, pipe_cpu, embed_s), (bare_s, bare_cpu) = best["pipeline"], best["bare"]
    return {"docs": written, "chunks": len(texts), "backend": backend, "chroma": "server" if chroma_url else "embedded", "pipeline_s": round(pipe_s, 2),
            "bare_encode_s": round(bare_s, 2), "ratio": round(pipe_s / bare_s, 3),
            "chunks_per_s": round(len(texts) / pipe_s, 1), "pipeline_embed_s": round(embed_s, 2),
            "pipeline_other_s": round(pipe_s - embed_s, 2), "pipeline_cpu_s": round(pipe_cpu, 2),
            "bare_encode_cpu_s": round(bare_cpu, 2), "cpu_ratio": round(pipe_cpu / bare_cpu, 3),
            "offsets_pass_s": _offsets_pass_seconds(embedder, texts), "rounds": rounds}


def _offsets_pass_seconds(embedder, texts: list[str]) -> float | None:
    """What the torch backend's extra tokenizer pass (character offsets for sentence pooling) costs."""
    if embedder.model is None:
        return 0.0  # the ONNX runner gets offsets from the tokenization it already does
    started = time.perf_counter()
    embedder.model.tokenizer(texts, return_offsets_mapping=True, truncation=True,
                             max_length=embedder.model.max_seq_length)
    return round(time.perf_counter() - started, 3)


def table(result: dict) -> str:
    """A short aligned table."""
    rows = [("chunks", result["chunks"]), ("pipeline s", result["pipeline_s"]),
            ("  of which embedding", result["pipeline_embed_s"]), ("  everything else", result["pipeline_other_s"]),
            ("bare encode s", result["bare_encode_s"]), ("ratio (target <= 1.10)", result["ratio"]),
            ("CPU-time ratio", result["cpu_ratio"]),
            ("chunks/s", result["chunks_per_s"])]
    return "\n".join(f"{k:<26}{v:>10}" for k, v in rows)


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m bench.ingest``."""
    from rag.settings import Settings

    parser = argparse.ArgumentParser(prog="python -m bench.ingest", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="BEIR SciFact folder")
    parser.add_argument("--docs", type=int, default=1000, help="abstracts to ingest")
    parser.add_argument("--backend", default=Settings(_env_file=None).embed_backend)
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds; the best of each side counts")
    parser.add_argument("--start-server", action="store_true",
                        help="write into a `chroma run` server started for the run (on this machine)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    import warnings

    warnings.filterwarnings("ignore", message="Could not reconstruct embedding function")  # ours is passed in
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        server, url = None, None
        if args.start_server:
            server, url = start_server(Path(tmp) / "server")
        try:
            result = run(args.data, args.docs, args.backend, args.rounds, Path(tmp), url)
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=30)
    print(table(result))
    write_json(args.json, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
