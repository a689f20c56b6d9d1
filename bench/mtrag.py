"""MTRAG follow-up retrieval through the project's own ingest and hybrid retriever: nDCG@10 of the later turns
(turn >= 2) queried as the last turn alone, as the upstream standalone rewrite, as every user turn joined, and
as resolved by rag.conversation from the earlier user turns (the task files hold the user turns only, not the
agent's answers, so the resolver sees questions alone). Also the resolver's own time per question.

    python -m bench.mtrag --data ../shared/bench/mtrag --json OUT

Each domain's pooled passages (``title + "\\n" + text``) are written one file each and ingested with a chunk
size larger than any passage, so chunk rankings are passage rankings; each domain is queried over its own pool.
Vectors are cached in bench/.cache (the first run embeds the ~2,000 passages, a few minutes on 2 cores).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

from bench.common import CACHE_DIR, CachedEmbedder, write_json
from eval.metrics import mean, ndcg_at_k, percentile

DOMAINS = ("clapnq", "cloud", "fiqa", "govt")
MODES = ("lastturn", "rewrite", "joined", "resolver")
_USER = re.compile(r"\|user\|:\s*")


def read_jsonl(path: Path) -> dict[str, str]:
    """``_id`` -> ``text`` of a task file."""
    out = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                out[row["_id"]] = row["text"]
    return out


def user_turns(text: str) -> list[str]:
    """The user turns of an upstream query text. Example: ``user_turns("|user|: a\\n|user|: b")`` -> ['a', 'b']."""
    return [t.strip() for t in _USER.split(text) if t.strip()]


def load_qrels(path: Path) -> dict[str, dict[str, int]]:
    """query id -> {passage id: relevance} (header skipped)."""
    qrels: dict[str, dict[str, int]] = {}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        parts = line.strip().split("\t")
        if len(parts) == 3 and int(parts[2]) > 0:
            qrels.setdefault(parts[0], {})[parts[1]] = int(parts[2])
    return qrels


def turn_number(query_id: str) -> int:
    """Example: ``turn_number("abc<::>3")`` -> 3."""
    return int(query_id.rsplit("<::>", 1)[1])


def safe_name(passage_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", passage_id)


def build_index(domain: str, data: Path, workdir: Path, embedder, titles: bool = True):
    """One file per pooled passage, ingested by the project's pipeline; (Settings, file stem -> passage id)."""
    from ingest.pipeline import run_ingest
    from rag.settings import Settings

    source = workdir / domain / "corpus"
    source.mkdir(parents=True, exist_ok=True)
    ids = {}
    with (data / "passages" / f"pooled_passages_{domain}.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            row = json.loads(line)
            name = safe_name(row["_id"])
            ids[name] = row["_id"]
            text = (f"{row.get('title', '')}\n{row['text']}" if titles else row["text"]).strip()
            path = source / f"{name}.txt"
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
    settings = Settings(source_dir=source, db_dir=workdir / domain / "db", chunk_size=100_000, chunk_overlap=0,
                        collection=f"mtrag_{domain}", _env_file=None)
    run_ingest(settings, embedder)
    return settings, ids


def queries_of(data: Path, domain: str, qrels) -> dict[str, dict]:
    """query id -> {"lastturn", "rewrite", "joined", "earlier"} for turns >= 2 that have qrels."""
    folder = data / "tasks" / domain
    last = read_jsonl(folder / f"{domain}_lastturn.jsonl")
    rewrite = read_jsonl(folder / f"{domain}_rewrite.jsonl")
    questions = read_jsonl(folder / f"{domain}_questions.jsonl")
    out = {}
    for qid, text in last.items():
        if qid not in qrels or turn_number(qid) < 2 or qid not in rewrite or qid not in questions:
            continue
        turns = user_turns(questions[qid])
        current = " ".join(user_turns(text))
        out[qid] = {"lastturn": current, "rewrite": " ".join(user_turns(rewrite[qid])),
                    "joined": " ".join(turns), "earlier": turns[:-1]}
    return out


def run_domain(assistant, queries: dict[str, dict], qrels, ids: dict[str, str]):
    """Per mode, query id -> ranked passage ids; and the resolver's milliseconds per question."""
    runs = {m: {} for m in MODES}
    resolve_ms, changed = [], 0
    for qid, q in queries.items():
        started = time.perf_counter()
        resolution = assistant.resolve(q["lastturn"], q["earlier"])
        resolve_ms.append((time.perf_counter() - started) * 1000)
        changed += resolution.changed
        texts = {"lastturn": q["lastturn"], "rewrite": q["rewrite"], "joined": q["joined"],
                 "resolver": resolution.standalone}
        for mode, text in texts.items():
            # The resolver's query is retrieved as Assistant.stream retrieves a resolved follow-up.
            asked = q["lastturn"] if mode == "resolver" and resolution.changed else ""
            hits = assistant.retrieve(text, 10, asked)
            runs[mode][qid] = [ids.get(Path(h.chunk.source).stem, h.chunk.source) for h in hits]
    return runs, resolve_ms, changed


def score(runs: dict[str, list[str]], qrels) -> float:
    return round(mean(ndcg_at_k(runs.get(q, []), qrels[q], 10) for q in runs), 4)


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m bench.mtrag``."""
    import warnings

    from ingest.lazy_embedder import LazyEmbedder
    from rag.assistant import Assistant
    from rag.settings import Settings

    warnings.filterwarnings("ignore")
    parser = argparse.ArgumentParser(prog="python -m bench.mtrag", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/bench/mtrag"))
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--workdir", type=Path, help="corpus files and indexes (default: bench/.cache/mtrag)")
    parser.add_argument("--domains", nargs="*", default=list(DOMAINS))
    parser.add_argument("--no-titles", action="store_true", help="index the passage text without its title")
    args = parser.parse_args(argv)
    if not (args.data / "tasks").is_dir():
        print(f"bench.mtrag: no MTRAG tasks in {args.data}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    embedder = CachedEmbedder(LazyEmbedder(Settings(_env_file=None)))
    workdir = args.workdir or CACHE_DIR / ("mtrag-notitle" if args.no_titles else "mtrag")
    all_runs = {m: {} for m in MODES}
    all_qrels, resolve_ms, changed, per_domain = {}, [], 0, {}
    for domain in args.domains:
        qrels = load_qrels(args.data / "tasks" / domain / "qrels.tsv")
        settings, ids = build_index(domain, args.data, workdir, embedder, not args.no_titles)
        assistant = Assistant(settings, embedder)
        queries = queries_of(args.data, domain, qrels)
        runs, ms, n_changed = run_domain(assistant, queries, qrels, ids)
        resolve_ms += ms
        changed += n_changed
        per_domain[domain] = {"tasks": len(queries), **{m: score(runs[m], qrels) for m in MODES}}
        for mode in MODES:
            all_runs[mode].update(runs[mode])
        all_qrels.update(qrels)
        assistant.store.close()
    overall = {m: score(all_runs[m], all_qrels) for m in MODES}
    n = len(all_runs["lastturn"])
    report = {"tasks": n, "titles": not args.no_titles, "ndcg@10": overall, "by_domain": per_domain,
              "resolved": changed,
              "resolve_ms": {"p50": round(percentile(resolve_ms, 50), 3), "p95": round(percentile(resolve_ms, 95), 3),
                             "max": round(max(resolve_ms), 3)},
              "seconds": round(time.perf_counter() - started, 1)}
    lines = [f"MTRAG, turns >= 2, {n} tasks, pooled passages, hybrid retriever: nDCG@10", "",
             f"{'domain':<8}{'tasks':>6}" + "".join(f"{m:>10}" for m in MODES)]
    for domain, row in per_domain.items():
        lines.append(f"{domain:<8}{row['tasks']:>6}" + "".join(f"{row[m]:>10.3f}" for m in MODES))
    lines.append(f"{'all':<8}{n:>6}" + "".join(f"{overall[m]:>10.3f}" for m in MODES))
    lines.append(f"\nresolver changed {changed} of {n} turns; resolve time p50 {report['resolve_ms']['p50']} ms, "
                 f"p95 {report['resolve_ms']['p95']} ms")
    print("\n".join(lines))
    write_json(args.json, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
