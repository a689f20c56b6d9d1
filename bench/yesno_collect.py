"""Collecting bench.yesno_fit's data: the real Assistant asked each yes/no question, what the yes/no composer was
given (passages, candidate sentences) and what it measured cached one line a question (``collect``, resumable);
``remeasure`` recomputes the measures of every cached question from what its composer was given (the same code
as rag.answering.shaped.yesno, without retrieval), so a new measure needs no new collection.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np


def collect(items: list[dict], source: Path, db: Path, out: Path) -> None:
    """Ask each item of the index at ``db`` (ingesting ``source`` first, incrementally); append its raw measures."""
    from dataclasses import asdict

    import rag.answering.shaped as shaped_package
    from eval.shape_metrics import verdict_of
    from ingest.pipeline import run_ingest
    from rag.answering.shaped import yesno
    from rag.assistant import Assistant
    from rag.embeddings import Embedder
    from rag.settings import Settings

    done = {(r["set"], r["question"]) for r in load(out)}
    todo = [i for i in items if (i["set"], i["question"]) not in done]
    # In a fixed random order: a collection stopped early is still a sample of every type.
    todo = [todo[i] for i in np.random.default_rng(0).permutation(len(todo))]
    if not todo:
        return
    settings = Settings(source_dir=source, db_dir=db, _env_file=None)
    embedder = Embedder()
    run_ingest(settings, embedder, progress=False)
    assistant = Assistant(settings, embedder)
    seen = []
    measured = yesno.features

    def recording(question, measures, best_score, named=None):
        seen.append({"measures": [asdict(m) for m in measures], "best_score": best_score,
                     "source": asdict(named) if named is not None else None})
        return measured(question, measures, best_score, named)

    yesno.features = recording
    reading_sources = yesno.uses_source_measures
    yesno.uses_source_measures = lambda: True  # every measure recorded, whatever the shipped weights read
    composing = shaped_package.compose_yesno
    inputs = []

    def composing_recorded(question, hits, texts, check, candidates=()):
        inputs.append(raw_inputs(hits, texts, candidates))
        return composing(question, hits, texts, check, candidates)

    shaped_package.compose_yesno = composing_recorded
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("a", encoding="utf-8") as handle:
        for n, item in enumerate(todo):
            seen.clear()
            inputs.clear()
            answer = assistant.ask(item["question"])
            row = {**item, "reached": bool(seen), **(seen[-1] if seen else {}), "raw": inputs[-1] if inputs else None,
                   "answer_verdict": verdict_of(answer.answer), "abstained": answer.abstained}
            handle.write(json.dumps(row) + "\n")
            handle.flush()
            if n % 20 == 0:
                print(f"  {item['set']} {n}/{len(todo)}", file=sys.stderr, flush=True)
    yesno.features = measured
    shaped_package.compose_yesno = composing
    yesno.uses_source_measures = reading_sources


def load(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def raw_inputs(hits, texts, candidates) -> dict:
    """What the yes/no composer was given (the passages, each candidate sentence's span and score), so that
    new measures can be computed later without asking again (``--remeasure``)."""
    from dataclasses import asdict

    keep = ("id", "source", "path", "start", "end", "text", "title", "date")
    return {"hits": [{**{k: v for k, v in asdict(h.chunk).items() if k in keep}, "score": h.score} for h in hits],
            "candidates": [[c.chunk.id, c.start, c.end, c.text, c.rank, c.score] for c in candidates],
            "texts": sorted(texts)}


def remeasure(path: Path, folders: dict[str, Path], out: Path | None = None, first: int | None = None,
              sources_only: bool = False) -> int:
    """Cached rows with their composer's inputs measured again by the current code (all, or the ``first``
    rows), rewritten in place, or appended one by one to ``out``; ``folders``: set name -> the folder its files were ingested
    from. ``sources_only``: only the measures read in named sources' files (side order, SourceMeasure), each
    claim's support checks kept. Returns the number of rows remeasured."""
    import functools
    from dataclasses import asdict

    from rag.answering.candidates import Candidate
    from rag.answering.shaped.evidence import side_order, source_measure
    from rag.answering.shaped.yesno import claims, measure_question, ordered_sides, ranked_hits
    from rag.embeddings import Embedder
    from rag.support import check as support_check
    from rag.types import Chunk, Hit

    check = functools.partial(support_check, embedder=Embedder())
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    done = 0
    for n, r in enumerate(rows[:first]):
        raw = r.get("raw")
        if not raw:
            continue
        chunks = {h["id"]: Chunk(**{k: v for k, v in h.items() if k != "score"}) for h in raw["hits"]}
        hits = [Hit(chunks[h["id"]], h["score"]) for h in raw["hits"]]
        cands = [Candidate(chunks[i], start, end, text, rank, score=score)
                 for i, start, end, text, rank, score in raw["candidates"] if i in chunks]
        texts = {s: (folders[r["set"]] / s).read_text(encoding="utf-8") for s in raw["texts"]}
        if sources_only:
            asked, hits = claims(r["question"]), ranked_hits(hits, cands)
            for claim, m in zip(asked, r["measures"]):
                sides = ordered_sides(claim.text)
                m["side_order"] = side_order(sides, hits, texts, check) if sides else 0
            order = next((m["side_order"] for m in r["measures"] if m["side_order"]), 0)
            source = source_measure(r["question"], [(c.text, c.source_name) for c in asked], hits, texts, check, order)
            r["source"] = asdict(source)
        else:
            _, measured, best, source = measure_question(r["question"], hits, texts, check, cands)
            r.update(measures=[asdict(m) for m, _ in measured], best_score=best, source=asdict(source))
        done += 1
        if out is not None:  # each row as it is done: a run stopped early is still usable
            with out.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(r) + "\n")
        if n % 50 == 0:
            print(f"  remeasured {n}/{len(rows)}", file=sys.stderr, flush=True)
    if out is None:
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return done
