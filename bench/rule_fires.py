"""Which regex literals of rag/ fire on a run: every pattern compiled or written in place in rag/ is wrapped, and
per literal (module:line) the calls (used) and the calls that matched or changed the text (fired) are counted
while a command runs. A literal used but never fired on the development sets is a candidate for deletion; one
never used there serves a path those sets do not take (the LLM answerer, the memo).

    python -m bench.rule_fires run OUT.json rag.cli eval --db DB --gold eval/gold_qa.jsonl
    python -m bench.rule_fires run OUT.json bench.ramdocs --cache --json /tmp/r.json
    python -m bench.rule_fires report OUT.json [MORE.json ...]   # every literal, least fired first

Counts are added to OUT.json, so several runs accumulate (an ingest and its evals are separate processes:
RAG="python -m bench.rule_fires run OUT.json rag.cli" is not a shell word, so wrap it in a script for
eval/ci_floors.sh). The wrapper changes no result: the seeds evals and RAMDocs answer identically under it.
"""
from __future__ import annotations

import argparse
import ast
import atexit
import json
import os
import re
import runpy
import sys
from collections import defaultdict
from pathlib import Path

RAG = Path(__file__).resolve().parents[1] / "rag"
USED: dict[str, int] = defaultdict(int)
FIRED: dict[str, int] = defaultdict(int)
_ORIGINAL = {name: getattr(re, name) for name in ("compile", "search", "match", "fullmatch", "findall", "finditer",
                                                  "sub", "subn", "split")}
_CALLS = set(_ORIGINAL) - {"compile"}


def _site(depth: int = 2) -> str | None:
    frame = sys._getframe(depth)
    path = frame.f_code.co_filename
    if path.startswith(str(RAG) + os.sep):
        return f"{os.path.relpath(path, RAG.parent)}:{frame.f_lineno}"
    return None


def _count(site: str, name: str, result, args) -> object:
    USED[site] += 1
    if name == "finditer":
        return _counted(result, site)
    if name == "sub":
        fired = len(args) > 1 and result != args[1]
    elif name == "subn":
        fired = result[1] > 0
    elif name == "split":
        fired = len(result) > 1
    else:
        fired = bool(result) if name == "findall" else result is not None
    FIRED[site] += int(fired)
    return result


def _counted(matches, site: str):
    first = True
    for match in matches:
        if first:
            FIRED[site] += 1
            first = False
        yield match


class _Pattern:
    """A compiled pattern that counts its calls; everything else is the pattern's own."""

    def __init__(self, pattern, site: str):
        self._pattern, self._site = pattern, site

    def __getattr__(self, name: str):
        attr = getattr(self._pattern, name)
        if name not in _CALLS:
            return attr
        return lambda *args, **kw: _count(self._site, name, attr(*args, **kw), args)


def _compile(pattern, flags=0):
    site = _site()
    compiled = _ORIGINAL["compile"](pattern._pattern if isinstance(pattern, _Pattern) else pattern, flags)
    return _Pattern(compiled, site) if site and isinstance(pattern, str) else compiled


def _inline(name: str):
    def call(pattern, *args, **kw):
        if isinstance(pattern, _Pattern):
            return getattr(pattern, name)(*args, **kw)
        site = _site()
        result = _ORIGINAL[name](pattern, *args, **kw)
        return _count(site, name, result, args) if site and isinstance(pattern, str) else result
    return call


def _dump(out: Path) -> None:
    data = json.loads(out.read_text()) if out.exists() else {"used": {}, "fired": {}}
    for key, counts in (("used", USED), ("fired", FIRED)):
        for site, n in counts.items():
            data[key][site] = data[key].get(site, 0) + n
    out.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")


def run(out: Path, module: str, args: list[str]) -> None:
    re.compile = _compile
    for name in _CALLS:
        setattr(re, name, _inline(name))
    atexit.register(_dump, out)
    sys.argv = [module] + args
    runpy.run_module(module, run_name="__main__", alter_sys=True)


def literals() -> list[tuple[str, int, int]]:
    """(module, first line, last line) of every regex literal bench.rule_count counts."""
    from bench.rule_count import INLINE, _is_re_call
    out = []
    for path in sorted(RAG.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            inline = _is_re_call(node, INLINE) and node.args and isinstance(node.args[0], (ast.JoinedStr, ast.Constant))
            if _is_re_call(node, {"compile"}) or inline:
                out.append((str(path.relative_to(RAG.parent)), node.lineno, node.end_lineno))
    return out


def report(paths: list[Path]) -> list[str]:
    used: dict[str, int] = defaultdict(int)
    fired: dict[str, int] = defaultdict(int)
    for path in paths:
        data = json.loads(path.read_text())
        for site, n in data["used"].items():
            used[site] += n
        for site, n in data["fired"].items():
            fired[site] += n
    rows = []
    for module, first, last in literals():
        def total(counts):
            return sum(n for site, n in counts.items() if site.rsplit(":", 1)[0] == module
                       and first <= int(site.rsplit(":", 1)[1]) <= last)
        rows.append((total(fired), total(used), f"{module}:{first}"))
    return [f"{where} used={u} fired={f}" for f, u, where in sorted(rows)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    p = sub.add_parser("run", help="run MODULE (python -m MODULE ARGS...) with the regex literals of rag/ counted")
    p.add_argument("out", type=Path, help="counts are added to this JSON file")
    p.add_argument("module")
    p.add_argument("args", nargs=argparse.REMAINDER)
    p = sub.add_parser("report", help="every literal with its counts, least fired first")
    p.add_argument("counts", type=Path, nargs="+")
    args = parser.parse_args(argv)
    if args.what == "run":
        run(args.out, args.module, args.args)
    else:
        print("\n".join(report(args.counts)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
