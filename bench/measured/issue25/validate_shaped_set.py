"""Check a shaped gold set written blind (issue 25): ids, shapes (3 of each), yes/no verdicts (one "no" at
least), 2-4 facts of aliases of at most four words, every alias in one of the item's listed sources, every source
contributing a fact, no question a near-copy of an existing one.

    python bench/measured/issue25/validate_shaped_set.py SET.jsonl ARTICLES_DIR OLD_QUESTIONS

OLD_QUESTIONS: a .jsonl gold set (field "question") or a MultiHop-RAG queries .json (field "query"). The three
sets and their commands:
    eval/gold_shapes_blind.jsonl        seeds                      eval/gold_shapes.jsonl
    eval/gold_shapes_news_blind.jsonl   <slice a100-a199>          ../shared/bench/multihop/queries_dev.json
    eval/gold_shapes_news_blind2.jsonl  <slice a300-a399>          ../shared/bench/multihop/queries_dev.json
(the slices: bench/.cache/shapes_news/{news,news2}/articles, written by ``python -m bench.shapes_news``).
"""
import collections
import difflib
import json
import re
import sys
from pathlib import Path

SHAPES = {"reason", "reaction", "comparison", "summary", "timeline", "yesno", "list"}


def norm(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).lower()


def tokens(question: str) -> set:
    return set(re.findall(r"[a-z0-9]+", question.lower()))


def old_questions(path: Path) -> list[str]:
    if path.suffix == ".jsonl":
        return [json.loads(line)["question"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [q["query"] for q in json.loads(path.read_text(encoding="utf-8"))]


def problems(items: list[dict], folder: Path, old: list[str]) -> list[str]:
    errs, ids, shapes = [], set(), collections.Counter()
    for d in items:
        i = d.get("id")
        if i in ids:
            errs.append(f"{i}: duplicate id")
        ids.add(i)
        shapes[d.get("shape")] += 1
        if d.get("type") != "shape":
            errs.append(f"{i}: type")
        if d.get("shape") == "yesno" and d.get("verdict") not in ("yes", "no"):
            errs.append(f"{i}: verdict")
        if not 2 <= len(d["facts"]) <= 4:
            errs.append(f"{i}: {len(d['facts'])} facts")
        texts = {}
        for source in d["sources"]:
            path = folder / source
            if not path.exists():
                errs.append(f"{i}: missing source {source}")
                continue
            texts[source] = norm(path.read_text(encoding="utf-8"))
        used = set()
        for fact in d["facts"]:
            hit = {s for s in texts for a in fact if norm(a) in texts[s]}
            if not hit:
                errs.append(f"{i}: fact {fact} not found in sources")
            used |= hit
            for alias in fact:
                if len(alias.split()) > 4:
                    errs.append(f"{i}: alias too long {alias!r}")
                if texts and not any(norm(alias) in t for t in texts.values()):
                    errs.append(f"{i}: alias {alias!r} not found in any source")
        errs += [f"{i}: source {s} contributes no fact" for s in texts if s not in used]
        for o in old:
            ratio = difflib.SequenceMatcher(None, d["question"].lower(), o.lower()).ratio()
            a, b = tokens(d["question"]), tokens(o)
            if ratio > 0.75 or len(a & b) / len(a | b) > 0.6:
                errs.append(f"{i}: near-identical to {o!r}")
    errs += [f"shape {s}: {shapes[s]}" for s in SHAPES if shapes[s] != 3]
    if set(shapes) - SHAPES:
        errs.append(f"unknown shapes {set(shapes) - SHAPES}")
    if not any(d.get("verdict") == "no" for d in items):
        errs.append("no 'no' verdict")
    return errs


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    items = [json.loads(line) for line in Path(argv[0]).read_text(encoding="utf-8").splitlines() if line.strip()]
    errs = problems(items, Path(argv[1]), old_questions(Path(argv[2])))
    shapes = collections.Counter(d.get("shape") for d in items)
    print(f"{len(items)} items; per shape: {dict(shapes)}; multi-source: {sum(len(d['sources']) >= 2 for d in items)}")
    print("\n".join(errs) if errs else "OK: all checks passed")
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
