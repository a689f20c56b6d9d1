"""The LLM answerer against the extractive one, on the same evidence, with a real local model (issue 22).

    python -m bench.llm --json OUT [--table] [--start-server | --base-url URL] [--model NAME] [--budget TOKENS]
                        [--sets qa,conversations,shapes,blind] [--limit N] [--sweep 100,200,300,450,600]

Each question of eval/gold_qa.jsonl, eval/gold_conversations.jsonl (every turn; a follow-up resolved offline,
the same resolution for both answerers) and eval/gold_shapes.jsonl (summary / why / compare / yes-no / list /
timeline questions, facts as lists of accepted spellings; "blind": eval/gold_shapes_blind.jsonl, the same kinds
written blind) is retrieved once; both answerers answer from those
hits. Per answerer: fact recall, citation validity (quote == the file's text at the offsets, re-read from disk),
share of sentences the check supports, supported sentences an independent re-check does not support (must be
0: every unsupported sentence marked), abstention right/wrong, seconds to the first token and per answer
(median, p95; from the question to the first streamed piece, retrieval included). ``--sweep`` first measures
the seconds to the first token against the prompt budget (llm_prompt_tokens) on the first questions.

``--start-server`` runs `python -m llama_cpp.server` on the verified model (rag.llm_model) on a free loopback
port for the run; else ``--base-url`` names a running OpenAI-compatible server (e.g. `make llm`).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.common import write_json
from bench.llm_scoring import rechecker, rounded as _r, score, summary

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache" / "llm"
SETS = {"qa": "eval/gold_qa.jsonl", "conversations": "eval/gold_conversations.jsonl",
        "shapes": "eval/gold_shapes.jsonl", "blind": "eval/gold_shapes_blind.jsonl"}


def extractive_answer(assistant, question, hits, notice=""):
    """The Assistant's extractive answerer over given hits (what the LLM answerer falls back on)."""
    from rag.answering.answerers import Evidence
    from rag.answering.reading import read_question

    return assistant.extractive.answer(Evidence(read_question(question), tuple(hits), notice=notice))


def items(sets: list[str], limit: dict[str, int]) -> list[dict]:
    """Gold items of the named sets, each with its set name (conversations as their turns, in order); ``limit``:
    set name -> N items only (evenly spread; a conversation set's first N turns)."""
    from eval.gold import load_gold

    out = []
    for name in sets:
        path = ROOT / SETS[name]
        if name in ("shapes", "blind"):  # alias-list facts, verdicts: read as written (load_gold takes strings only)
            loaded = [{"type": "shape", "sources": [], **json.loads(line)}
                      for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        else:
            loaded = load_gold(path)
        n = limit.get(name)
        if n is not None and n < len(loaded):  # single questions: spread over the file (its types come in runs);
            loaded = loaded[:n] if name == "conversations" else \
                [loaded[i * len(loaded) // n] for i in range(n)]  # a conversation's turns: whole, in order
        out += [{**item, "set": name} for item in loaded]
    return out


# ---- the two answerers on the same hits


def llm_evidence(assistant, question: str = ""):
    """What Assistant.stream hands the LLM answerer (kept in step with rag/assistant.py by hand)."""
    from rag.answering.llm import Evidence
    from rag.answering.reading import read_question

    return Evidence(assistant.settings, assistant._text_of, assistant.embedder.encode,
                    lambda q, h, n: extractive_answer(assistant, q, h, n),
                    sentences=lambda q, h: assistant.scorer.score(q, list(h))[0], embedder=assistant.embedder,
                    shape=read_question(question).shape if question else "fact")


def ask_both(assistant, question: str, asked: str, backend: str) -> dict:
    """One question through retrieval once, then each answerer; answers and timings."""
    from rag.answering.llm import llm_stream

    started = time.perf_counter()
    hits = assistant.retrieve(question, assistant.settings.top_k, asked=asked if asked != question else "")
    retrieved = time.perf_counter() - started
    t0 = time.perf_counter()
    extractive = extractive_answer(assistant, question, hits, "")
    extractive_s = retrieved + time.perf_counter() - t0
    t0 = time.perf_counter()
    first, reply = None, []
    stream = llm_stream(llm_evidence(assistant, question), question, hits, backend, "")
    try:
        while True:
            piece = next(stream)
            first = first if first is not None else time.perf_counter() - t0
            reply.append(piece)
    except StopIteration as stop:
        llm = stop.value
    llm_s = retrieved + time.perf_counter() - t0
    return {"extractive": (extractive, extractive_s, extractive_s), "reply": "".join(reply),
            "llm": (llm, None if first is None else retrieved + first, llm_s)}


# ---- first token against the prompt budget


def sweep(assistant, questions: list[str], budgets: list[int], backend: str) -> list[dict]:
    """Seconds to the first token for each budget (the model asked for one token: the prompt's cost alone)."""
    from rag.answering.llm import build_messages, chat_model, prompt_passages
    from rag.answering.llm_passages import tokens

    out = []
    for budget in budgets:
        settings = assistant.settings.with_(llm_prompt_tokens=budget, llm_max_tokens=16)
        model = chat_model(settings, backend)
        evidence = llm_evidence(assistant)
        evidence = type(evidence)(settings, *[getattr(evidence, f) for f in ("text_of", "encode", "extractive",
                                                                              "sentences", "embedder")])
        for question in questions:
            passages = prompt_passages(evidence, question, assistant.retrieve(question, settings.top_k))
            messages = build_messages(settings, question, passages)
            started = time.perf_counter()
            for _ in model.stream(messages):
                break
            out.append({"budget": budget, "question": question, "passages": len(passages),
                        "estimated_tokens": sum(tokens(p.text) + 2 for p in passages),
                        "user_message_chars": len(messages[-1][1]),
                        "first_token_s": round(time.perf_counter() - started, 3)})
            print(f"sweep budget {budget}: {out[-1]['first_token_s']} s", file=sys.stderr, flush=True)
    return out


# ---- the run


def start_server(port: int, threads: int, log: Path):
    """`python -m llama_cpp.server` on the verified model; returns the process once it answers."""
    from rag.llm_model import DEFAULT_DIR, MODEL_FILE, serve_command, verify

    model = ROOT / DEFAULT_DIR / MODEL_FILE
    verify(model)
    out = open(log, "w")
    proc = subprocess.Popen(serve_command(model, port, threads), stdout=out, stderr=subprocess.STDOUT)
    deadline = time.time() + 300
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"bench.llm: the llama.cpp server exited (see {log})")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models", timeout=2).read()
            return proc
        except OSError:
            time.sleep(1)
    proc.terminate()
    raise SystemExit("bench.llm: the llama.cpp server did not answer within 300 s")


def index(settings_kw: dict):
    """An Assistant over the seeds, ingested once into bench/.cache/llm."""
    from ingest.pipeline import run_ingest
    from rag.assistant import Assistant
    from rag.embeddings import Embedder
    from rag.settings import Settings

    settings = Settings(source_dir=ROOT / "seeds", db_dir=CACHE / "seeds", _env_file=None, **settings_kw)
    embedder = Embedder()
    run_ingest(settings, embedder)
    return Assistant(settings, embedder)


def summarise(report: dict, sets: list[str]) -> dict:
    """The per-set, per-shape and condense summaries of the item rows (also of a cut run's partial report)."""
    from eval.metrics import percentile

    report["sets"] = {}
    for name in [s for s in sets if any(r["set"] == s for r in report["items"])] + ["all"]:
        rows = [r for r in report["items"] if name in ("all", r["set"])]
        report["sets"][name] = {a: summary([r[a] for r in rows]) for a in ("extractive", "llm")}
    condensed = [r["condense"] for r in report["items"] if "condense" in r]
    if condensed:
        seconds = [c["seconds"] for c in condensed]
        report["condense"] = {"n": len(condensed), "by_model": sum(c["by_model"] for c in condensed),
                              "seconds_median": round(statistics.median(seconds), 3),
                              "seconds_p95": _r(percentile(seconds, 95))}
    shapes = sorted({r["shape"] for r in report["items"] if r["shape"]})
    report["by_shape"] = {s: {a: summary([r[a] for r in report["items"] if r["shape"] == s])
                              for a in ("extractive", "llm")} for s in shapes}
    return report


def limits(spec: str | None, sets: list[str]) -> dict[str, int]:
    """``--limit``: "N" (every set) or "qa=25,conversations=8". Example: ``limits("qa=5", ["qa"])`` -> {'qa': 5}."""
    if not spec:
        return {}
    if spec.isdigit():
        return dict.fromkeys(sets, int(spec))
    return {name: int(n) for name, n in (part.split("=") for part in spec.split(","))}


def run(args) -> dict:
    from rag.conversation import resolve

    sets = [s for s in args.sets.split(",") if s]
    port = args.port
    server = None
    if args.start_server:
        from tests.conftest import free_port

        port = port or free_port()
        server = start_server(port, args.threads, Path(args.json).with_suffix(".server.log"))
    base_url = args.base_url or f"http://127.0.0.1:{port}/v1"
    try:
        budget = {} if args.budget is None else {"llm_prompt_tokens": args.budget}  # else the product's default
        assistant = index(dict(llm="openai", llm_base_url=base_url, llm_model=args.model, llm_fallback=False,
                               llm_timeout_s=args.timeout, **budget))
        report = {"load_average_at_start": list(os.getloadavg()), "settings": {"base_url": base_url, "model": args.model, "budget": assistant.settings.llm_prompt_tokens,
                               "top_k": assistant.settings.top_k, "max_tokens": assistant.settings.llm_max_tokens,
                               "threads": args.threads}, "sets": {}, "items": []}
        gold = items(sets, limits(args.limit, sets))
        if args.sweep:
            questions = [i["question"] for i in gold if i.get("turn", 1) == 1][:args.sweep_questions]
            report["sweep"] = sweep(assistant, questions, [int(b) for b in args.sweep.split(",")], "openai")
        recheck = rechecker(assistant)
        history: dict[str, list] = {}
        for n, item in enumerate(gold, 1):
            earlier = history.setdefault(item.get("conversation", ""), []) if "conversation" in item else []
            question = item["question"]
            standalone = resolve(question, earlier, assistant.term_weight).standalone if earlier else question
            both = ask_both(assistant, standalone, question, "openai")
            row = {"id": item["id"], "set": item["set"], "type": item["type"], "shape": item.get("shape", ""),
                   "load_average": round(os.getloadavg()[0], 2),
                   "question": question, "standalone": standalone, "reply": both["reply"]}
            if earlier and args.condense:  # what the model's rewrite of a follow-up costs before retrieval
                from rag.condense import condense

                t0 = time.perf_counter()
                condensed = condense(assistant.settings, "openai", question, earlier, assistant.term_weight)
                row["condense"] = {"seconds": round(time.perf_counter() - t0, 3),
                                   "rewrite": condensed.resolution.standalone,
                                   "by_model": condensed.resolution.reason == "llm"}
            for name in ("extractive", "llm"):
                row[name] = score(item, *both[name], recheck)
            if "conversation" in item:
                earlier.append(both["extractive"][0])  # the earlier turn as the product's default answered it
            report["items"].append(row)
            write_json(Path(args.json).with_suffix(".partial.json"), report)  # a cut run keeps what it measured
            print(f"[{n}/{len(gold)}] {item['id']} llm {row['llm']['first_token_s']}/{row['llm']['answer_s']} s "
                  f"facts {row['extractive']['fact_recall']} -> {row['llm']['fact_recall']}", file=sys.stderr,
                  flush=True)
        return summarise(report, sets)
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()


def table(report: dict) -> str:
    """The Markdown summary docs/llm.md shows: one row per set and answerer."""
    cols = [("n", "n"), ("fact_recall", "facts"), ("generated_fact_recall", "facts, generated part"),
            ("invalid_offsets", "invalid offsets"),
            ("supported_share", "sentences supported"), ("unmarked_unsupported", "unsupported, unmarked"),
            ("abstention_accuracy", "abstained right"), ("false_abstention", "abstained wrongly"),
            ("verdict_accuracy", "yes/no right"), ("first_token_s_median", "first token s (median)"),
            ("first_token_s_p95", "first token s (p95)"), ("answer_s_median", "answer s (median)"),
            ("answer_s_p95", "answer s (p95)")]
    lines = ["| set | answerer | " + " | ".join(c for _, c in cols) + " |",
             "| --- | --- | " + " | ".join("---" for _ in cols) + " |"]
    for name, by in report["sets"].items():
        for answerer, f in by.items():
            cells = ["-" if f.get(k) is None else (f"{f[k]:.3g}" if isinstance(f[k], float) else str(f[k]))
                     for k, _ in cols]
            lines.append(f"| {name} | {answerer} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from rag.llm_model import MODEL_NAME

    parser = argparse.ArgumentParser(prog="python -m bench.llm", description=__doc__.splitlines()[0])
    parser.add_argument("--json", required=True, help="where to write the report")
    parser.add_argument("--table", action="store_true", help="only print the Markdown table of an existing --json")
    parser.add_argument("--start-server", action="store_true", help="run the llama.cpp server for the bench")
    parser.add_argument("--base-url", help="a running OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--model", default=MODEL_NAME)
    parser.add_argument("--budget", type=int, default=None, help="llm_prompt_tokens (default: the settings')")
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--sets", default="qa,conversations,shapes")
    parser.add_argument("--limit", help='first N items of each set ("N"), or per set ("qa=25,conversations=8")')
    parser.add_argument("--sweep", default="", help="comma-separated budgets to time the first token at")
    parser.add_argument("--sweep-questions", type=int, default=6)
    parser.add_argument("--condense", action="store_true", help="also time the model's rewrite of each follow-up")
    args = parser.parse_args(argv)
    if args.table:  # a finished report, or a cut run's .partial.json (summarised here)
        report = json.loads(Path(args.json).read_text(encoding="utf-8"))
        print(table(report if "sets" in report and report["sets"] else summarise(report, list(SETS))))
        return 0
    if not args.start_server and not args.base_url:
        parser.error("give --start-server or --base-url")
    if any(s not in SETS for s in args.sets.split(",") if s):
        parser.error(f"--sets takes {', '.join(SETS)}")
    report = run(args)
    write_json(Path(args.json), report)
    print(table(report))
    for name, by in report["sets"].items():
        for answerer, figures in by.items():
            print(name, answerer, json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
