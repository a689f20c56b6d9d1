"""Per-item differences between two runs of one benchmark or gold set: which items got better, which worse, and
which changed their answer without changing their score.

    python -m bench.compare OLD.json NEW.json [--show 20] [--json OUT]

Reads what `rag eval --json`, `python -m bench.multihop --json`, `python -m bench.ramdocs --json` and the fit
scripts write: an object with ``items``. Items are matched by ``id`` (with ``turn`` in conversations), else by
their question. An item's score is the first of these it has: ``quality`` (rag eval), ``correct`` (yes/no),
``exact_match`` (RAMDocs), ``answer_present`` (MultiHop inference), a null query declined (MultiHop), ``rr@10``.
Exit code 0; 2 on unreadable input.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

SCORES = ("quality", "correct", "exact_match", "answer_present", "rr@10")


def item_key(item: dict) -> str:
    """How an item is matched across runs: its id (with its turn), or its question; and the stage it was asked
    at when a set asks one turn at several (a conversation's turn in context and as its standalone rewrite).
    Example: ``item_key({"id": "c1", "turn": 2, "stage": "later"})`` -> 'c1#2 (later)'."""
    if "id" in item:
        key = f"{item['id']}#{item['turn']}" if "turn" in item and not str(item["id"]).endswith(f"#{item['turn']}") \
            else str(item["id"])
    else:
        key = str(item.get("question") or item.get("query") or "")
    return f"{key} ({item['stage']})" if item.get("stage") else key


def _keyed(items: list[dict]) -> dict[str, dict]:
    """Items by key; a key met again gets its occurrence number, so no item is dropped from a diff."""
    out: dict[str, dict] = {}
    for item in items:
        key, n = item_key(item), 1
        while key in out:
            n += 1
            key = f"{item_key(item)} [{n}]"
        out[key] = item
    return out


def item_score(item: dict) -> float | None:
    """The item's score on the first measure it has (SCORES; a null query scores 1 when declined).
    Example: ``item_score({"type": "null_query", "abstained": True})`` -> 1.0."""
    if item.get("type") == "null_query" and "abstained" in item:
        return 1.0 if item["abstained"] else 0.0
    for name in SCORES:
        value = item.get(name)
        if isinstance(value, (bool, int, float)):
            return float(value)
    return None


def compare(old: list[dict], new: list[dict]) -> dict:
    """Items better, worse, changed (same score, other answer), missing from either run.
    Example: ``compare([{"id": 1, "quality": 0}], [{"id": 1, "quality": 1}])["better"][0]["key"]`` -> '1'."""
    before, after = _keyed(old), _keyed(new)
    out = {"better": [], "worse": [], "changed": [], "only_old": sorted(set(before) - set(after)),
           "only_new": sorted(set(after) - set(before)), "same": 0}
    for key in [k for k in before if k in after]:
        a, b = before[key], after[key]
        sa, sb = item_score(a), item_score(b)
        row = {"key": key, "question": a.get("question") or a.get("query") or "", "old_score": sa, "new_score": sb,
               "old_answer": a.get("answer", ""), "new_answer": b.get("answer", "")}
        if sa is not None and sb is not None and sb > sa:
            out["better"].append(row)
        elif sa is not None and sb is not None and sb < sa:
            out["worse"].append(row)
        elif a.get("answer") != b.get("answer") or a.get("abstained") != b.get("abstained"):
            out["changed"].append(row)
        else:
            out["same"] += 1
    for name in ("better", "worse"):
        out[name].sort(key=lambda r: -abs((r["new_score"] or 0) - (r["old_score"] or 0)))
    return out


def _load(path: Path) -> list[dict]:
    data = json.loads(path.read_text(encoding="utf-8"))
    items = data.get("items") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ValueError("no list of items")
    return items


def _short(text: str, width: int = 150) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[:width - 1] + "…"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.compare", description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--show", type=int, default=20, help="items listed per group (default 20)")
    parser.add_argument("--json", type=Path, help="write the full comparison here")
    args = parser.parse_args(argv)
    try:
        result = compare(_load(args.old), _load(args.new))
    except (OSError, ValueError) as exc:
        print(f"bench.compare: cannot read the runs: {exc}", file=sys.stderr)
        return 2
    print(f"{len(result['better'])} better, {len(result['worse'])} worse, {len(result['changed'])} changed answer "
          f"at the same score, {result['same']} identical; {len(result['only_old'])} only in OLD, "
          f"{len(result['only_new'])} only in NEW")
    for name in ("worse", "better", "changed"):
        rows = result[name]
        if rows:
            print(f"\n{name}:")
        for row in rows[:args.show]:
            print(f"  {row['key'][:60]}  {row['old_score']} -> {row['new_score']}  {_short(row['question'], 90)}")
            print(f"    old: {_short(row['old_answer'])}")
            print(f"    new: {_short(row['new_answer'])}")
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
