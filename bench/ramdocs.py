"""RAMDocs (ambiguity, planted misinformation, noise): per question its own small index of its documents,
built through the project's real ingest (one embedded Chroma + BM25 per question in a temporary folder), the
question asked of the default answerer, the answer scored.

    python -m bench.ramdocs [--limit N] [--offset N] [--cache] --json OUT

``--cache`` keeps each question's index under bench/.cache/ramdocs (keyed by its documents' hash), so a rerun
asks the questions without ingesting again (the answers are the same as from a fresh index).

Scores (share of questions unless said otherwise):
  exact_match        every gold answer stated and no wrong answer repeated (stated and not marked minority:
                     a value of a ``conflicts`` entry with ``minority`` true, or only inside "one source says")
  exact_match_paper  the paper's: the answer text contains every gold answer and none of the wrong ones
  gold_found         share of gold answers (over all questions' gold answers) the answer states
  wrong_repeated     share of planted wrong answers (misinfo documents) stated and not marked minority
  disagreement_shown_where_differ / _where_agree  the answer reports a disagreement (a ``conflicts`` entry)
                     for questions whose documents differ (several gold answers, or a planted wrong one) / agree
  abstained          declined questions (every question is answerable)
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

from bench.common import write_json

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "bench" / "ramdocs" / "ramdocs_dev.jsonl"
MINORITY_OPENERS = ("one source says", "a minority of sources say", "sources in the minority say")


def normalise(text: str) -> str:
    """Lower case, accents and punctuation dropped, thousands separators removed, spaces collapsed.

    Example: ``normalise("3,559 People!")`` -> '3559 people'.
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    text = re.sub(r"[^\w\s.]", " ", text)
    text = re.sub(r"(?<!\d)\.|\.(?!\d)", " ", text)
    return " ".join(text.split())


def contains(haystack: str, needle: str) -> bool:
    """Whether the normalised needle occurs in the normalised haystack on word boundaries.

    Example: ``contains("It has 3,559 people.", "3559 people")`` -> True.
    """
    n = normalise(needle)
    return bool(n) and re.search(rf"(?<!\w){re.escape(n)}(?!\w)", normalise(haystack)) is not None


def stated_text(answer: dict) -> str:
    """The answer's text without its minority reports (sentences opening with a minority marker)."""
    kept = [s["text"] for s in answer["sentences"] if not s["text"].casefold().startswith(MINORITY_OPENERS)]
    return " ".join(kept)


def minority_values(answer: dict) -> list[str]:
    return [v["value"] for c in answer.get("conflicts", []) for v in c["values"] if v.get("minority")]


def score_item(item: dict, answer: dict) -> dict:
    """Scores of one question's answer (pure). ``answer`` is the `rag ask --json` object."""
    gold, wrong = item["gold_answers"], item.get("wrong_answers", [])
    full = answer["answer"]
    stated = stated_text(answer) if not answer["abstained"] else ""
    minority = minority_values(answer)
    found = [g for g in gold if contains(full, g)]
    repeated = [w for w in wrong if contains(stated, w) and not any(contains(m, w) or contains(w, m)
                                                                   for m in minority)]
    # A breakdown, not a different score: a "wrong" answer that a correct document of the question also states
    # ("commenced practice in New York City" in a correct document, "New York City" listed as wrong) cannot be
    # told from the truth by any reader of the documents.
    in_correct = [w for w in wrong if any(d.get("type") == "correct" and contains(d["text"], w)
                                          for d in item.get("documents", []))]
    return {
        "question": item["question"], "gold": gold, "wrong": wrong, "abstained": answer["abstained"],
        "gold_found": len(found), "gold_total": len(gold), "wrong_repeated": len(repeated),
        "wrong_total": len(wrong), "wrong_in_correct_documents": len(in_correct),
        "wrong_repeated_in_correct_documents": sum(w in in_correct for w in repeated),
        "exact_match": not answer["abstained"] and len(found) == len(gold) and not repeated,
        "exact_match_paper": len(found) == len(gold) and not any(contains(full, w) for w in wrong),
        # As the issue counts them (235 of 250): several entities of one name, or a planted wrong answer.
        "documents_differ": len(gold) > 1 or bool(wrong),
        "disagreement_shown": bool(answer.get("conflicts")),
        "answer": full,
        "conflicts": answer.get("conflicts", []),
    }


def aggregate(rows: list[dict]) -> dict:
    """Totals over scored questions (pure)."""
    def share(flags):
        flags = list(flags)
        return round(sum(flags) / len(flags), 4) if flags else None

    differ = [r for r in rows if r["documents_differ"]]
    agree = [r for r in rows if not r["documents_differ"]]
    wrong_total = sum(r["wrong_total"] for r in rows)
    return {
        "questions": len(rows),
        "exact_match": share(r["exact_match"] for r in rows),
        "exact_match_paper": share(r["exact_match_paper"] for r in rows),
        "gold_found": round(sum(r["gold_found"] for r in rows) / max(1, sum(r["gold_total"] for r in rows)), 4),
        "wrong_repeated": round(sum(r["wrong_repeated"] for r in rows) / max(1, wrong_total), 4),
        "wrong_repeated_count": sum(r["wrong_repeated"] for r in rows), "wrong_total": wrong_total,
        "wrong_repeated_in_correct_documents": sum(r.get("wrong_repeated_in_correct_documents", 0) for r in rows),
        "wrong_in_correct_documents": sum(r.get("wrong_in_correct_documents", 0) for r in rows),
        "disagreement_shown_where_differ": share(r["disagreement_shown"] for r in differ),
        "questions_documents_differ": len(differ),
        "disagreement_shown_where_agree": share(r["disagreement_shown"] for r in agree),
        "questions_documents_agree": len(agree),
        "abstained": share(r["abstained"] for r in rows),
    }


def load(path: Path, offset: int, limit: int | None) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        items = [json.loads(line) for line in handle if line.strip()]
    return items[offset: offset + limit if limit else None]


CACHE = ROOT / "bench" / ".cache" / "ramdocs"


def documents_key(item: dict) -> str:
    """A stable name for a question's documents. Example: ``documents_key({"documents": []})[:8]``."""
    import hashlib

    return hashlib.sha256(json.dumps([d["text"] for d in item["documents"]]).encode()).hexdigest()[:20]


def ask_item(item: dict, embedder, workdir: Path, reuse: bool = False) -> dict:
    """Index this question's documents alone (real ingest) and ask the question; the `rag ask --json` object.
    ``reuse``: an index already built in ``workdir`` for these documents is asked as it is."""
    from ingest.pipeline import run_ingest
    from rag.assistant import Assistant
    from rag.settings import Settings

    folder = workdir / "docs"
    settings = Settings(source_dir=folder, db_dir=workdir / "db", _env_file=None)
    if not (reuse and (workdir / "done").exists()):
        if workdir.exists():
            shutil.rmtree(workdir)
        folder.mkdir(parents=True)
        for i, doc in enumerate(item["documents"]):
            (folder / f"doc{i:02d}.txt").write_text(doc["text"].strip() + "\n", encoding="utf-8")
        run_ingest(settings, embedder)
        (workdir / "done").write_text("")
    assistant = Assistant(settings, embedder)
    try:
        return assistant.ask(item["question"]).to_json()
    finally:
        assistant.store.close()


TABLE = (("exact_match", "exact match (gold stated, no wrong repeated)"), ("exact_match_paper", "exact match (paper)"),
         ("gold_found", "gold answers found"), ("wrong_repeated", "planted wrong answers repeated"),
         ("wrong_repeated_count", "  count"), ("wrong_repeated_in_correct_documents", "  of them also in a correct document"),
         ("disagreement_shown_where_differ", "disagreement shown, documents differ"),
         ("disagreement_shown_where_agree", "disagreement shown, documents agree"), ("abstained", "abstained"))


def print_table(summary: dict) -> None:
    print(f"RAMDocs dev, {summary['questions']} questions")
    for key, label in TABLE:
        print(f"  {label:<46} {summary[key]}")


def rescore(path: Path) -> dict:
    """Aggregates of a saved run's items with today's definitions (their answers are kept in the JSON)."""
    rows = json.loads(Path(path).read_text(encoding="utf-8"))["items"]
    for row in rows:
        row["documents_differ"] = len(row["gold"]) > 1 or bool(row["wrong"])
    return aggregate(rows)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ramdocs", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--offset", type=int, default=0)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--cache", action="store_true", help="keep and reuse each question's index")
    args = parser.parse_args(argv)
    from rag.embeddings import Embedder

    embedder = Embedder()
    items = load(args.data, args.offset, args.limit)
    rows, started = [], time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="ramdocs-") as tmp:
        for n, item in enumerate(items):
            workdir = CACHE / documents_key(item) if args.cache else Path(tmp) / f"q{n % 2}"
            answer = ask_item(item, embedder, workdir, reuse=args.cache)
            rows.append(score_item(item, answer))
            if sys.stderr.isatty():
                print(f"\r{n + 1}/{len(items)}", end="", file=sys.stderr)
    summary = aggregate(rows)
    summary["seconds"] = round(time.perf_counter() - started, 1)
    summary["indexes_reused"] = bool(args.cache)  # seconds then count asking only, not ingest
    print_table(summary)
    write_json(args.json, {"summary": summary, "items": rows})
    return 0


if __name__ == "__main__":
    sys.exit(main())
