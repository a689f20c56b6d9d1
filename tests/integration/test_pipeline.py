"""The answering pipeline end to end on small invented corpora: the trace (`rag ask --explain`, JSON ``trace``),
the check stage, and properties of the answerer (hypothesis over the order of passages; renamed files; a
repeated majority; a corpus on the subject that never states the value asked for)."""
from __future__ import annotations

import json
import random
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from tests.conftest import run_rag, small_corpus

ORCHARD = {
    "orchard_a.txt": "Valley Orchard Report\n2025-09-02\n\nThe Linden orchard harvested 40 tonnes of pears this "
                     "autumn. Its manager, Ada Quill, said the dry summer shrank the fruit.\n",
    "orchard_b.txt": "Farm Weekly\n2025-09-05\n\nLinden orchard brought in 40 tonnes of pears, its manager said. "
                     "The cooperative will sell most of them in the city markets.\n",
    "orchard_c.txt": "Cider News\n2025-09-07\n\nA cider maker bought part of the Linden harvest. Prices for pears "
                     "rose after a poor season across the region.\n",
}
QUESTION = "How many tonnes of pears did the Linden orchard harvest?"


@pytest.fixture(scope="module")
def orchard(tmp_path_factory, embedder):
    return small_corpus(tmp_path_factory.mktemp("orchard"), ORCHARD, embedder)


def test_the_json_trace_has_every_stage_in_order(orchard):
    _, assistant = orchard
    answer = assistant.ask(QUESTION, explain=True)
    assert not answer.abstained and "40 tonnes" in answer.answer
    trace = answer.to_json()["trace"]
    assert list(trace)[:3] == ["resolve", "reading", "retrieve"]
    for stage in ("candidates", "abstain", "select", "check"):
        assert stage in trace, stage
    assert trace["reading"]["kind"] == "number"
    assert trace["candidates"][0]["score"] >= trace["candidates"][-1]["score"]
    assert trace["abstain"]["decline"] is False
    assert len(trace["check"]) == len(answer.sentences)
    assert "trace" not in assistant.ask(QUESTION).to_json()  # only when asked for


def test_rag_ask_explain_prints_the_stages(orchard):
    settings, _ = orchard
    done = run_rag("ask", "--db", str(settings.db_dir), "--explain", QUESTION)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "40 tonnes" in out and "--- how this answer was made" in out
    for stage in ("reading", "retrieve", "candidates", "abstain", "select", "check"):
        assert f"\n{stage}\n" in out, stage
    lines = run_rag("ask", "--db", str(settings.db_dir), "--json", "--explain", QUESTION).stdout.splitlines()
    assert "trace" in json.loads(lines[0])


def test_every_quote_is_the_file_text_and_every_sentence_was_checked(orchard):
    _, assistant = orchard
    answer = assistant.ask(QUESTION)
    for citation in answer.citations:
        assert assistant.document_text(citation.source)[citation.start:citation.end] == citation.quote
    assert all(0.0 <= s.support <= 1.0 for s in answer.sentences)
    assert all(s.supported for s in answer.sentences)  # quoted verbatim: the learned check agrees


@hsettings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000))
def test_the_answer_does_not_depend_on_the_order_of_the_passages(orchard, seed):
    _, assistant = orchard
    from rag.answering.answerers import Evidence
    from rag.answering.reading import read_question
    from rag.filters import Filters

    hits = assistant.retrieve(QUESTION, 6, filters=Filters())
    shuffled = list(hits)
    random.Random(seed).shuffle(shuffled)
    reading = read_question(QUESTION)
    first = assistant.extractive.answer(Evidence(reading, tuple(hits)))
    again = assistant.extractive.answer(Evidence(reading, tuple(shuffled)))
    assert {c.quote for c in first.citations} == {c.quote for c in again.citations}
    assert first.abstained == again.abstained


def test_renaming_files_does_not_change_what_is_said(tmp_path, embedder):
    renamed = {f"z_{name}": text for name, text in ORCHARD.items()}
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    _, first = small_corpus(tmp_path / "a", ORCHARD, embedder)
    _, second = small_corpus(tmp_path / "b", renamed, embedder)
    a, b = first.ask(QUESTION), second.ask(QUESTION)
    assert [s.text for s in a.sentences] == [s.text for s in b.sentences]
    assert sorted(c.source for c in b.citations) == sorted(f"z_{c.source}" for c in a.citations)


def test_a_file_repeating_the_majority_value_never_flips_it(tmp_path, embedder):
    split = dict(ORCHARD, **{"orchard_c.txt": "Cider News\n2025-09-07\n\nThe Linden orchard harvested 55 tonnes "
                                              "of pears this autumn, a cider maker said.\n"})
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    _, assistant = small_corpus(tmp_path / "a", split, embedder)
    before = assistant.ask(QUESTION)
    more = dict(split, **{"orchard_d.txt": "Market Letter\n2025-09-09\n\nThe Linden orchard harvested 40 tonnes "
                                           "of pears, the growers' association confirmed.\n"})
    _, assistant = small_corpus(tmp_path / "b", more, embedder)
    after = assistant.ask(QUESTION)
    assert "40" in after.answer.split(".")[0] or not after.conflicts
    if after.conflicts:
        majority = [v for v in after.conflicts[0].values if not v.minority]
        assert any("40" in v.value for v in majority)
    if before.conflicts and not any(v.minority for v in before.conflicts[0].values if "40" in v.value):
        assert all(not v.minority for v in after.conflicts[0].values if "40" in v.value)


def test_passages_on_the_subject_that_never_state_the_value_are_declined(tmp_path, embedder):
    silent = {
        "lake_a.txt": "Lake Journal\n2025-06-01\n\nThe Marrow Lake ferry carries commuters across the lake every "
                      "morning. Its captain has worked on the route for a decade.\n",
        "lake_b.txt": "Town Crier\n2025-06-03\n\nCommuters praised the Marrow Lake ferry for running on time "
                      "through the spring storms.\n",
    }
    _, assistant = small_corpus(tmp_path, silent, embedder)
    answer = assistant.ask("How much does a ticket for the Marrow Lake ferry cost?")
    assert answer.abstained, answer.answer


def test_answers_are_a_function_of_the_question_and_the_index(seeds_index):
    """Two processes with different hash seeds (set and dict orders) answer the same questions the same way."""
    import json as _json
    from pathlib import Path

    gold = Path(__file__).resolve().parents[2] / "eval" / "gold_qa.jsonl"
    questions = "".join(_json.loads(line)["question"] + "\n" for line in gold.read_text().splitlines()[:12])
    runs = [run_rag("ask", "-", "--json", "--db", str(seeds_index.db_dir), input=questions,
                    env={"PYTHONHASHSEED": seed}) for seed in ("1", "2")]
    assert all(r.returncode == 0 for r in runs), runs[0].stderr
    answers = [[_json.loads(line)["answer"] for line in r.stdout.splitlines()] for r in runs]
    assert len(answers[0]) == 12 and answers[0] == answers[1]
