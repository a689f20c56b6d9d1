"""Issue 25 over the seeds index: a why, a timeline, a comparison and a yes/no question each get their shape,
cite several files, and every quote is the file's text at its offsets; `rag ask --json` carries the shape."""
from __future__ import annotations

import json
import os
import subprocess

import pytest

from tests.conftest import RAG


def _file_text(settings, source: str) -> str:
    return (settings.source_dir / source).read_bytes().decode("utf-8")


def _exact(answer, settings) -> bool:
    return all(_file_text(settings, c.source)[c.start:c.end] == c.quote for c in answer.citations)


@pytest.mark.parametrize("question, shape", [
    ("Why is China tightening its review of rare earth export licences for Japan?", "reason"),
    ("In what order did China's measures against Japan happen?", "timeline"),
    ("How do the articles differ on how much Japan relies on China for rare earths?", "comparison"),
    ("Did Beijing halt rare earth shipments to Japan in 2010?", "yesno"),
])
def test_a_shaped_question_gets_its_shape_cites_several_files_with_exact_quotes(assistant, seeds_index, question,
                                                                                 shape):
    answer = assistant.ask(question)
    assert answer.shape == shape, (answer.shape, answer.shape_reason)
    assert answer.shape_reason and not answer.abstained
    assert len({c.source for c in answer.citations}) >= 2, answer.answer
    assert _exact(answer, seeds_index)
    # Never a headline or a question line quoted as an answer.
    assert not any(s.text.rstrip().endswith("?") for s in answer.sentences)


def test_a_timeline_is_dated_and_ordered(assistant):
    answer = assistant.ask("In what order did China's measures against Japan happen?")
    labels = [s.label for s in answer.sentences]
    assert len(labels) >= 3 and all(labels) and labels == sorted(labels)


def test_a_comparison_labels_each_block_with_its_file(assistant):
    answer = assistant.ask("How do the articles differ on how much Japan relies on China for rare earths?")
    blocks = [s for s in answer.sentences if s.label.endswith(".txt")]
    assert len({s.label for s in blocks}) >= 2


def test_a_yes_no_leads_with_its_verdict(assistant):
    answer = assistant.ask("Did Beijing halt rare earth shipments to Japan in 2010?")
    assert answer.sentences[0].label == "verdict"
    assert answer.answer.startswith("Yes")


def test_rag_ask_json_carries_the_shape(seeds_index):
    env = {**os.environ, "RAG_LLM": "extractive", "RAG_CHROMA_URL": ""}
    out = subprocess.run([RAG, "ask", "Why did Japan start reducing its reliance on Chinese rare earths?", "--db",
                          str(seeds_index.db_dir), "--json"], capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["shape"] == "reason" and data["shape_reason"] == "asks why"
