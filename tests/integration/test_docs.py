"""The documentation names only what exists. Every `rag SUBCOMMAND` and its flags (from `rag/cli.py`'s parser),
every `python -m bench.NAME` and its flags (from the module's real `--help`), every `RAG_*` setting (a field of
rag.settings.Settings), `make TARGET` (the Makefile), Python name (rag.x.y), repository path and test name, and
every relative link and #anchor in README.md and docs/*.md is checked against the code."""
from __future__ import annotations

import importlib
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import ROOT

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# Commands of other programs: their flags are theirs (chroma run --path, python -m pytest -q, ...).
FOREIGN = {"chroma", "python", "python3", "pytest", "pip", "apt-get", "git", "sh", "printf", "export", "cp", "jq",
           "pbpaste", "curl"}
SEPARATORS = {"|", "||", "&&", ";", ">", ">>", "<", "2>"}
PACKAGES = ("rag", "ingest", "ui", "eval", "bench")
FLAG = re.compile(r"^\[?(--?[A-Za-z][\w-]*)")
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
INLINE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")


@dataclass
class Known:
    """What exists: command -> its flags ("rag ask", "bench.latency"), settings, make targets, test names."""
    commands: dict[str, set[str]]
    settings: set[str]
    targets: set[str]
    tests: dict[str, set[str]] = field(default_factory=dict)  # test file name -> test functions in it

    def all_flags(self) -> set[str]:
        return set().union(*self.commands.values())


def help_flags(help_text: str) -> set[str]:
    """Flags on the option lines of an argparse help text. Example: "  -k K   passages" -> {'-k'}."""
    flags = set()
    for line in help_text.splitlines():
        if re.match(r"^\s{2}-", line):
            flags.update(re.findall(r"(?<![\w-])--?[A-Za-z][\w-]*", re.split(r"\s{2,}", line.strip())[0]))
    return flags


def slug(heading: str) -> str:
    """GitHub's anchor of a heading. Example: slug("The `rag ask --json` contract") -> 'the-rag-ask---json-contract'."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def split_code(text: str):
    """(line number, fragment, is code) for every fenced line and inline code span, and the prose around them."""
    fenced = False
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        if fenced:
            yield number, line, True
            continue
        for match in INLINE.finditer(line):
            yield number, match.group(2), True
        yield number, INLINE.sub(" ", line), False


def anchors(text: str) -> set[str]:
    """The #anchors of a page's headings (not of '#' lines in code blocks), duplicates numbered as GitHub does."""
    seen: dict[str, int] = {}
    fenced = False
    for line in text.splitlines():
        fenced ^= line.lstrip().startswith("```")
        if not fenced and (m := re.match(r"^#{1,6}\s+(.*)", line)):
            base = slug(m.group(1).replace("`", ""))
            seen[base] = seen.get(base, -1) + 1
    return {base if n == 0 else f"{base}-{n}" for base, count in seen.items() for n in range(count + 1)}


def _clean(token: str) -> str:
    return token.strip("\"'`()[]{}")


def command_problems(fragment: str, known: Known) -> list[str]:
    """Unknown subcommands, modules and flags in one code fragment, each flag judged by the command it follows."""
    tokens = fragment.split()
    for i, token in enumerate(tokens):
        if token.startswith("#"):
            tokens = tokens[:i]
            break
    problems, command = [], None  # None: no command yet; "": a foreign command
    i = 0
    while i < len(tokens):
        token, word = tokens[i], _clean(tokens[i])
        if token in SEPARATORS:
            command = None
        elif word == "rag" or word.endswith("/rag"):
            nxt = tokens[i + 1].strip("\"'`()[]{},:") if i + 1 < len(tokens) else ""
            if re.fullmatch(r"[a-z][a-z-]*", nxt):
                command = f"rag {nxt}"
                if command not in known.commands:
                    problems.append(f"unknown command `rag {nxt}`")
                    command = ""
                i += 1
            else:
                command = "rag"
        elif m := re.fullmatch(r"bench\.([a-z_0-9]+)", word.rstrip(".,:")):
            command = f"bench.{m.group(1)}"
            if command not in known.commands:
                problems.append(f"unknown module `python -m {command}`")
                command = ""
        elif word == "make" and (i == 0 or tokens[i - 1] in SEPARATORS):
            command = ""
            if i + 1 < len(tokens) and _clean(tokens[i + 1]) not in known.targets:
                problems.append(f"`make {_clean(tokens[i + 1])}` is not a target of the Makefile")
        elif word.split("/")[-1] in FOREIGN:
            command = ""
        elif (m := FLAG.match(word)) and word not in ("-", "--"):
            flag = m.group(1)
            allowed = known.all_flags() if command is None else known.commands.get(command, set())
            if command != "" and flag not in allowed and (flag.startswith("--") or command is not None):
                where = f"`{command}`" if command else "any command"
                problems.append(f"`{flag}` is not an option of {where}")
        i += 1
    return problems


def resolves(dotted: str) -> bool:
    """Whether a dotted Python name exists: the longest importable module, then attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:]:
            if not hasattr(obj, attr):
                return False
            obj = getattr(obj, attr)
        return True
    return False


def problems_in(path: Path, text: str, known: Known, docs: dict[Path, str]) -> list[str]:
    """Every name in one Markdown file that does not exist, as 'FILE:LINE: problem'."""
    out = []

    def say(number, message):
        out.append(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name}:{number}: {message}")

    for number, piece, code in split_code(text):
        for name in re.findall(r"\bRAG_[A-Z0-9_]*[A-Z0-9]\b", piece):
            if name not in known.settings:
                say(number, f"`{name}` is not a setting of rag.settings.Settings")
        if not code:
            for flag in re.findall(r"(?<![\w-])--[a-z][\w-]*", piece):
                if flag not in known.all_flags():
                    say(number, f"`{flag}` is not an option of any command")
            for target in LINK.findall(piece):
                if message := link_problem(path, target, {**docs, path.resolve(): text}):
                    say(number, message)
            continue
        for message in command_problems(piece, known):
            say(number, message)
        for dotted in re.findall(rf"(?<![\w./-])((?:{'|'.join(PACKAGES)})(?:\.[A-Za-z_]\w*)+)", piece):
            if not any(p.isupper() for p in dotted.split(".")) and not resolves(dotted):
                say(number, f"`{dotted}` does not exist")
        for rel in re.findall(rf"(?<![\w./~-])((?:{'|'.join(PACKAGES)}|tests|prompts|seeds|docs)/[\w./*-]*)", piece):
            rel = rel.rstrip(".,")
            ignored = rel.startswith(("bench/results", "bench/.cache"))  # made by runs, ignored by git
            if not ignored and not any(ROOT.glob(rel.rstrip("/"))):
                say(number, f"`{rel}` does not exist")
        for folder, name, test in re.findall(r"(?:(unit|e2e|integration)/)?(test_\w+\.py)?::(test_\w+)", piece):
            defined = known.tests.get(name, set()) if name else set().union(*known.tests.values())
            if (name and name not in known.tests) or test not in defined:
                say(number, f"no test `{(name or '') + '::' + test}` in tests/")
    return out


def link_problem(path: Path, target: str, docs: dict[Path, str]) -> str | None:
    if re.match(r"^[a-z]+:", target):  # http:, https:, mailto:
        return None
    file, _, anchor = target.partition("#")
    where = (path.parent / file).resolve() if file else path.resolve()
    if where not in docs and not where.exists():
        return f"link to {target}: no such file"
    if anchor and where.suffix == ".md":
        text = docs.get(where) or where.read_text(encoding="utf-8")
        if anchor not in anchors(text):
            return f"link to {target}: no heading #{anchor} in {where.name}"
    return None


@pytest.fixture(scope="module")
def known() -> Known:
    from rag.cli import build_parser
    from rag.settings import Settings

    parser = build_parser()
    sub = next(a for a in parser._actions if a.choices and isinstance(a.choices, dict))  # the subcommands
    commands = {"rag": help_flags(parser.format_help())}
    commands.update({f"rag {name}": help_flags(p.format_help()) for name, p in sub.choices.items()})
    # Each bench module's real `--help`, all started at once (each imports what its main needs).
    modules = sorted(p.stem for p in (ROOT / "bench").glob("*.py") if "def main(" in p.read_text(encoding="utf-8"))
    runs = {m: subprocess.Popen([sys.executable, "-m", f"bench.{m}", "--help"], cwd=ROOT, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE) for m in modules}
    for name, proc in runs.items():
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, f"python -m bench.{name} --help failed: {err[-500:]}"
        commands[f"bench.{name}"] = help_flags(out)
    settings = {f"RAG_{name.upper()}" for name in Settings.model_fields}
    targets = set(re.findall(r"^([A-Za-z][\w.-]*)\s*:(?!=)", (ROOT / "Makefile").read_text(), re.M))
    tests = {}
    for file in (ROOT / "tests").rglob("test_*.py"):
        tests.setdefault(file.name, set()).update(re.findall(r"^\s*def (test_\w+)", file.read_text(), re.M))
    return Known(commands, settings, targets, tests)


def test_every_command_flag_setting_target_name_and_link_in_the_docs_exists(known):
    docs = {path.resolve(): path.read_text(encoding="utf-8") for path in DOCS}
    assert len(docs) >= 10, "README.md and the reference in docs/"
    problems = [p for path, text in docs.items() for p in problems_in(path, text, known, docs)]
    assert problems == [], "\n".join(problems)


def test_the_readme_is_a_five_minute_read_with_the_two_commands_and_the_screenshot():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 150
    assert "make run" in readme and "make test" in readme
    assert "](docs/img/app.png)" in readme and (ROOT / "docs/img/app.png").stat().st_size < 300_000
    linked = {Path(t.split("#")[0]).name for t in LINK.findall(readme) if t.startswith("docs/")}
    assert {p.name for p in DOCS[1:]} <= linked, "the README's map names every page of docs/"


def test_the_checker_catches_names_that_do_not_exist(known, tmp_path):
    page = tmp_path / "page.md"
    (tmp_path / "other.md").write_text("# A real heading\n", encoding="utf-8")
    made_up = """# Page
```sh
rag ask --no-such-flag "Which team won the cup final?"
rag teleport --db idx
python -m bench.nowhere --json out.json
python -m bench.latency --frobnicate
make deploy-moon
```
Set `RAG_NO_SUCH_SETTING=1`, pass `--made-up-flag`, read `rag.support.no_such_function` and `docs/no_such.md`;
proved by `test_ingest.py::test_that_was_never_written`. See [the film notes](missing.md),
[a heading](other.md#no-such-heading) and [here](#nowhere).
"""
    problems = "\n".join(problems_in(page, made_up, known, {}))
    for expected in ("--no-such-flag", "rag teleport", "bench.nowhere", "--frobnicate", "make deploy-moon",
                     "RAG_NO_SUCH_SETTING", "--made-up-flag", "rag.support.no_such_function", "docs/no_such.md",
                     "test_that_was_never_written", "missing.md", "#no-such-heading", "#nowhere"):
        assert expected in problems, f"{expected} not caught:\n{problems}"
    real = """# Page
```sh
rag ask --json -k 3 "Which city hosts the marathon?" --since 2024-01-01 | jq .answer
.venv/bin/chroma run --path /srv/idx --port 8000   # another program's flags
python -m bench.latency --chunks 100000 --json out.json
make test
```
`RAG_TOP_K`, `--break-lease`, `rag.support.check`, `eval/ci_floors.sh`, [a heading](other.md#a-real-heading),
[this page](#page).
"""
    assert problems_in(page, real, known, {}) == []
