"""How many hand rules rag/ holds: regex literals (compiled and inline) and word lists, per module (issue 21).

    python -m bench.rule_count [--json OUT] [--root rag]

What is counted (by parsing each module, so comments and docstrings never count):
- compiled: every call ``re.compile(...)``.
- inline: every call ``re.search/match/fullmatch/findall/finditer/sub/subn/split(...)`` whose pattern (first
  argument) is written in place (a string literal or f-string), not a compiled pattern or a name.
- word lists: every literal collection of words written in the code: a tuple, list or set display of three or
  more string constants, a dict display with three or more string-constant keys, or ``"w1 w2 w3".split()`` on a
  string constant of three or more words, where every string is a word or short phrase (a letter, then letters,
  spaces, apostrophes, hyphens or dots; at most 40 characters). Strings with an underscore or a digit are
  identifiers (``input_ids``, ``bm25``), not words: such a collection is not counted. A collection nested inside a
  counted one (the tuples of a dict of verb forms) is part of it and not counted again. Collections of the
  project's own names that are words (value kinds such as ``("share", "money", "number")``, JSON field names)
  are counted all the same: the count is mechanical, so it can't be argued down.
Entries: the number of strings (words or phrases) in the counted word lists.
"""
from __future__ import annotations

import argparse
import ast
import json
import re
import sys
from pathlib import Path

INLINE = {"search", "match", "fullmatch", "findall", "finditer", "sub", "subn", "split"}
_WORD = re.compile(r"[A-Za-z][A-Za-z' .\-]{0,39}")
MIN_ITEMS = 3


def _is_re_call(node: ast.AST, names: set[str]) -> str | None:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in names \
            and isinstance(node.func.value, ast.Name) and node.func.value.id == "re":
        return node.func.attr
    return None


def _words(values: list[ast.AST]) -> list[str] | None:
    if len(values) < MIN_ITEMS or not all(isinstance(v, ast.Constant) and isinstance(v.value, str) for v in values):
        return None
    strings = [v.value for v in values]
    return strings if all(_WORD.fullmatch(s) for s in strings) else None


def _word_list(node: ast.AST) -> list[str] | None:
    """The words of a literal word collection, or None when ``node`` is not one."""
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return _words(list(node.elts))
    if isinstance(node, ast.Dict):
        return _words([k for k in node.keys if k is not None]) if None not in node.keys else None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "split" \
            and isinstance(node.func.value, ast.Constant) and isinstance(node.func.value.value, str) \
            and not node.args:
        words = node.func.value.value.split()
        return words if len(words) >= MIN_ITEMS and all(_WORD.fullmatch(w) for w in words) else None
    return None


def count_source(source: str) -> dict:
    """Counts of one module's text. Example: ``count_source('import re\\nX = re.compile("a")')["compiled"]`` -> 1."""
    tree = ast.parse(source)
    out = {"compiled": 0, "inline": 0, "word_lists": 0, "entries": 0}

    def visit(node: ast.AST) -> None:
        if _is_re_call(node, {"compile"}):
            out["compiled"] += 1
        elif _is_re_call(node, INLINE) and node.args and (
                isinstance(node.args[0], ast.JoinedStr)
                or (isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str))):
            out["inline"] += 1
        words = _word_list(node)
        if words is not None:
            out["word_lists"] += 1
            out["entries"] += len(words)
            return  # a nested collection belongs to this one
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    out["regex"] = out["compiled"] + out["inline"]
    return out


def count_tree(root: Path) -> dict:
    """Per-module counts under ``root`` (paths relative to its parent) and their total."""
    modules = {}
    for path in sorted(root.rglob("*.py")):
        counts = count_source(path.read_text(encoding="utf-8"))
        if any(counts.values()):
            modules[str(path.relative_to(root.parent))] = counts
    total = {key: sum(m[key] for m in modules.values())
             for key in ("compiled", "inline", "regex", "word_lists", "entries")}
    return {"modules": modules, "total": total}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=str(Path(__file__).resolve().parents[1] / "rag"))
    parser.add_argument("--json", help="write the counts to this file as well")
    args = parser.parse_args(argv)
    result = count_tree(Path(args.root))
    width = max(len(name) for name in result["modules"]) if result["modules"] else 10
    print(f"{'module':<{width}} compiled inline regex word_lists entries")
    for name, c in sorted(result["modules"].items(), key=lambda kv: -(kv[1]["regex"] + kv[1]["word_lists"])):
        print(f"{name:<{width}} {c['compiled']:>8} {c['inline']:>6} {c['regex']:>5} {c['word_lists']:>10} "
              f"{c['entries']:>7}")
    t = result["total"]
    print(f"{'total':<{width}} {t['compiled']:>8} {t['inline']:>6} {t['regex']:>5} {t['word_lists']:>10} "
          f"{t['entries']:>7}")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
