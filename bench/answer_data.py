"""The answer scorer's training data, built through the real pipeline (the indexes the benches build: seeds,
eval conversations, MultiHop-RAG dev, RAMDocs dev; development data only): for each question, the candidate
sentences of its top-k passages with their FEATURES rows (rag.answer_features) and a label.

Labels: a seeds or conversation candidate is positive when it states a gold fact (eval.metrics normalisation)
and comes from a gold source; a MultiHop candidate when its span overlaps a gold evidence ``fact`` of its
article by half of either; a RAMDocs candidate when a ``correct`` document's sentence states a gold answer (a
``misinfo`` sentence stating a planted answer is left out: it answers, wrongly, and sorting that is the
disagreement stage's job). Unanswerable questions (MultiHop null queries, the seeds' unanswerable ones) have no
positive. Each question's candidates and facts are cached under bench/.cache/answer_fit/ keyed by the code.

    python -m bench.answer_data [--limit N]   # builds (or loads) the caches and prints their sizes
"""
from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import sys
from pathlib import Path

import numpy as np

from bench.common import CACHE_DIR

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ("seeds", "conversations", "multihop", "ramdocs")
CODE = ("rag/answer_features.py", "rag/answering/extractive.py", "rag/sentence_scores.py", "bench/answer_data.py",
        "rag/readers/values.py", "rag/readers/question_kind.py", "rag/retrieval.py", "rag/answering/check.py",
        "rag/answering/reading.py", "rag/answering/answerers.py")


def code_key() -> str:
    digest = hashlib.sha256()
    for name in CODE:
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()[:12]


def candidates_of(assistant, question: str, conversation=()) -> dict:
    """What the extractive answerer weighs for one question (as Assistant.stream and ExtractiveAnswerer.answer do):
    the standalone question read once, its top-k passages' candidate sentences scored, and whether the abstain
    stage forces the abstention (a name or a source the corpus lacks, a quantity asked that no top sentence states)."""
    from rag.answering.reading import read_question
    from rag.answering.repeats import quoted_before
    from rag.filters import Filters
    from rag.textspans import content_terms
    from rag.tuning import TUNING

    resolution, _ = assistant._resolution(question, conversation, "extractive")
    q = resolution.standalone
    carried = frozenset(content_terms(" ".join(resolution.carried))) - frozenset(content_terms(question))
    said = quoted_before(conversation) if resolution.changed else frozenset()
    reading = read_question(q)
    k = assistant.settings.top_k
    extra = TUNING.shaped_pool if reading.shape != "fact" else TUNING.conflict_pool if reading.kind else 0
    ranked = assistant._retrieve(q, k + extra, Filters(), question if resolution.changed else "", full=False,
                                 days=reading.days)
    answerable = {h.chunk.id for h in ranked[:k]}
    candidates, idf = assistant.scorer.score(q, ranked, carried, said)
    own = [c for c in candidates if c.chunk.id in answerable]
    decision = assistant.extractive.decide(reading, [c for c in own if not c.never])
    rows = [{"text": c.text, "source": c.chunk.source, "start": c.start, "end": c.end, "rank": c.rank,
             "never": c.never, "features": c.features, "cosine": c.cosine, "lexical": c.lexical} for c in own]
    return {"question": q, "asked": question, "idf": idf, "forced": decision.forced, "candidates": rows}


def _label_facts(rows: list[dict], facts: list[str], sources: list[str]) -> None:
    from eval.metrics import normalise

    wanted = [normalise(f) for f in facts if normalise(f)]
    for row in rows:
        text = normalise(row["text"])
        row["label"] = int(bool(wanted) and (not sources or row["source"] in sources) and any(f in text for f in wanted))
        row["answer_bearing"] = any(f in text for f in wanted)


def _seeds_assistant(embedder):
    from ingest.pipeline import run_ingest
    from rag.assistant import Assistant
    from rag.settings import Settings

    settings = Settings(source_dir=ROOT / "seeds", db_dir=CACHE_DIR / "seeds" / "db", _env_file=None)
    run_ingest(settings, embedder)
    return Assistant(settings, embedder)


def build_seeds(embedder, limit=None) -> list[dict]:
    from eval.gold import load_gold

    assistant = _seeds_assistant(embedder)
    out = []
    for item in load_gold(ROOT / "eval" / "gold_qa.jsonl")[:limit]:
        record = candidates_of(assistant, item["question"])
        _label_facts(record["candidates"], item["facts"], item["sources"])
        out.append({**record, "id": item["id"], "answerable": item["type"] != "unanswerable",
                    "answers": item["facts"]})
    assistant.store.close()
    return out


def build_conversations(embedder, limit=None) -> list[dict]:
    """Every turn after the first, in the context of the earlier turns' answers (asked through the Assistant)."""
    from eval.gold import load_gold

    assistant = _seeds_assistant(embedder)
    out, history = [], {}
    for item in load_gold(ROOT / "eval" / "gold_conversations.jsonl")[:limit]:
        earlier = history.setdefault(item["conversation"], [])
        if earlier:
            record = candidates_of(assistant, item["question"], list(earlier))
            _label_facts(record["candidates"], item["facts"], item["sources"])
            out.append({**record, "id": item["id"], "answerable": item["type"] != "unanswerable",
                        "answers": item["facts"]})
        earlier.append(assistant.ask(item["question"], conversation=list(earlier)))
    assistant.store.close()
    return out


def build_multihop(embedder, limit=None) -> list[dict]:
    from bench.multihop import CACHE, DATA, spread, write_corpus
    from ingest.pipeline import run_ingest
    from rag.assistant import Assistant
    from rag.settings import Settings

    articles = json.loads((DATA / "corpus.json").read_text(encoding="utf-8"))
    names = write_corpus(articles, CACHE / "articles")
    settings = Settings(source_dir=CACHE / "articles", db_dir=CACHE / "db", _env_file=None)
    run_ingest(settings, embedder)
    assistant = Assistant(settings, embedder)
    out = []
    for n, query in enumerate(spread(json.loads((DATA / "queries_dev.json").read_text(encoding="utf-8")), limit)):
        record = candidates_of(assistant, query["query"])
        spans: dict[str, list[tuple[int, int]]] = {}
        for evidence in query["evidence_list"]:
            source = names.get(evidence["title"])
            if source is None:
                continue
            text = assistant.document_text(source)
            at = text.find(evidence["fact"])
            if at >= 0:
                spans.setdefault(source, []).append((at, at + len(evidence["fact"])))
        answer = query["answer"] if query["question_type"] == "inference_query" else ""
        for row in record["candidates"]:
            row["label"] = int(any(_overlaps(row["start"], row["end"], a, b) for a, b in spans.get(row["source"], ())))
            row["answer_bearing"] = bool(row["label"]) or bool(answer) and _contains(row["text"], answer)
        out.append({**record, "id": f"mh{n:04d}", "type": query["question_type"],
                    "answerable": query["question_type"] != "null_query", "answers": [answer] if answer else []})
        if n % 200 == 0:
            print(f"  multihop {n}", file=sys.stderr, flush=True)
    assistant.store.close()
    return out


def _overlaps(start: int, end: int, a: int, b: int) -> bool:
    """Spans overlapping by half of either. Example: ``_overlaps(0, 10, 5, 30)`` -> True."""
    shared = min(end, b) - max(start, a)
    return shared > 0 and (shared >= 0.5 * (end - start) or shared >= 0.5 * (b - a))


def _contains(text: str, needle: str) -> bool:
    from bench.ramdocs import contains

    return contains(text, needle)


def build_ramdocs(embedder, limit=None) -> list[dict]:
    from bench.ramdocs import CACHE, DATA, documents_key, load
    from ingest.pipeline import run_ingest
    from rag.assistant import Assistant
    from rag.settings import Settings

    out = []
    for n, item in enumerate(load(DATA, 0, limit)):
        workdir = CACHE / documents_key(item)
        settings = Settings(source_dir=workdir / "docs", db_dir=workdir / "db", _env_file=None)
        if not (workdir / "done").exists():  # as bench.ramdocs --cache builds it
            import shutil

            if workdir.exists():
                shutil.rmtree(workdir)
            (workdir / "docs").mkdir(parents=True)
            for i, doc in enumerate(item["documents"]):
                (workdir / "docs" / f"doc{i:02d}.txt").write_text(doc["text"].strip() + "\n", encoding="utf-8")
            run_ingest(settings, embedder)
            (workdir / "done").write_text("")
        assistant = Assistant(settings, embedder)
        try:
            record = candidates_of(assistant, item["question"])
        finally:
            assistant.store.close()
        types = {f"doc{i:02d}.txt": doc.get("type") for i, doc in enumerate(item["documents"])}
        for row in record["candidates"]:
            gold = any(_contains(row["text"], g) for g in item["gold_answers"])
            wrong = any(_contains(row["text"], w) for w in item.get("wrong_answers", []))
            kind = types.get(row["source"])
            row["label"] = 1 if gold and kind == "correct" else (-1 if wrong and kind == "misinfo" else 0)
            row["answer_bearing"] = gold or wrong
        out.append({**record, "id": f"rd{n:03d}", "answerable": True,
                    "answers": item["gold_answers"] + item.get("wrong_answers", [])})
        if n % 50 == 0:
            print(f"  ramdocs {n}", file=sys.stderr, flush=True)
    return out


BUILDERS = {"seeds": build_seeds, "conversations": build_conversations, "multihop": build_multihop,
            "ramdocs": build_ramdocs}


def load_dataset(name: str, embedder=None, limit=None) -> list[dict]:
    """One dataset's questions (built through the pipeline once, then read from the cache)."""
    cache = CACHE_DIR / "answer_fit" / f"{name}_{code_key()}{'_' + str(limit) if limit else ''}.pkl"
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    if embedder is None:
        from rag.embeddings import Embedder

        embedder = Embedder()
    records = BUILDERS[name](embedder, limit)
    for record in records:
        for row in record["candidates"]:
            row["features"] = np.asarray(row["features"], dtype=np.float64)
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(pickle.dumps(records))
    return records


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.answer_data", description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--only", choices=DATASETS, default=None)
    args = parser.parse_args(argv)
    for name in [args.only] if args.only else DATASETS:
        records = load_dataset(name, limit=args.limit)
        with_positive = sum(any(r["label"] == 1 for r in q["candidates"]) for q in records)
        print(f"{name:<14} {len(records):>5} questions, {with_positive:>5} with a positive candidate, "
              f"{sum(len(q['candidates']) for q in records):>6} candidates")
    return 0


if __name__ == "__main__":
    sys.exit(main())
