"""Issue 2: seeds -> Chroma -> cited answer, through the Python API and the `rag` command."""
from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_rag

SEVEN = "Which seven rare earth elements did China put under export control on April 4, 2025?"


def _check_quotes(citations, root: Path | None = None):
    for c in citations:
        text = Path(c["path"]).read_bytes().decode("utf-8")
        assert text[c["start"]:c["end"]] == c["quote"], c
        if root is not None:
            assert (root / c["source"]).resolve() == Path(c["path"]).resolve()


def test_seven_elements_answer_names_dysprosium_with_exact_quotes(assistant, seeds_index):
    answer = assistant.ask(SEVEN)
    assert not answer.abstained
    assert "dysprosium" in answer.answer.lower()
    assert answer.citations, "an answer must cite"
    data = answer.to_json()
    _check_quotes(data["citations"], Path(seeds_index.source_dir))
    # every [n] in the text is a listed citation, and every citation is used
    import re

    markers = {int(m) for m in re.findall(r"\[(\d+)\]", data["answer"])}
    assert markers == {c["marker"] for c in data["citations"]}


def test_cli_ask_json_contract_and_stdin_batch(seeds_index):
    """One `rag ask - --json` run (model loaded once): one JSON object per non-blank stdin line, in order,
    each following the contract exactly."""
    questions = f"{SEVEN}\n\nWho is Japan's prime minister?\nWhich companies face the export freeze?\n"
    result = run_rag("ask", "-", "--db", str(seeds_index.db_dir), "--json", input=questions)
    assert result.returncode == 0, result.stderr
    objs = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert [o["question"] for o in objs] == [SEVEN, "Who is Japan's prime minister?",
                                             "Which companies face the export freeze?"]
    for obj in objs:
        assert {"question", "answer", "abstained", "citations"} <= obj.keys()
        assert obj["abstained"] is False
        for c in obj["citations"]:
            assert set(c) >= {"marker", "source", "path", "start", "end", "quote"}
            assert isinstance(c["marker"], int) and isinstance(c["start"], int) and isinstance(c["end"], int)
            assert Path(c["path"]).is_absolute() and not c["source"].startswith("/")
        _check_quotes(obj["citations"], Path(seeds_index.source_dir))
    assert "dysprosium" in objs[0]["answer"].lower()


def test_cli_memo_has_footnotes(seeds_index):
    result = run_rag("ask", SEVEN, "--db", str(seeds_index.db_dir), "--memo")
    assert result.returncode == 0, result.stderr
    assert "[^1]" in result.stdout and "[^1]:" in result.stdout


def test_every_subcommand_has_help():
    for sub in ("ingest", "ask", "ui", "eval", "show"):
        result = run_rag(sub, "--help", timeout=60)
        assert result.returncode == 0 and "usage: rag " + sub in result.stdout, sub


def test_cli_errors_are_one_line(tmp_path):
    missing = run_rag("ask", "anything", "--db", str(tmp_path / "nothing"))
    assert missing.returncode == 2
    assert missing.stderr.strip().count("\n") == 0 and "rag ingest" in missing.stderr
    assert "Traceback" not in missing.stderr
    no_folder = run_rag("ingest", "--source", str(tmp_path / "nope"), "--db", str(tmp_path / "db"))
    assert no_folder.returncode == 2 and "Traceback" not in no_folder.stderr
