"""Issue 13 on small corpora written here (real model, real ingest): a minority value is named, not adopted; two
entities of one name are both given; abstention on an absent name but not on a paraphrase; `rag check`."""
from __future__ import annotations

import json
import os
import subprocess

import pytest

from tests.conftest import RAG, ROOT, small_corpus

ARTICLES = {
    # Three files agree on when the bridge opened, one says otherwise.
    "bridge1.txt": "Harbour Crossing Marks Anniversary\nThe Kestrel Harbour Bridge opened in 1932 after eight years "
                   "of construction. Engineers still praise its steel arch.\n",
    "bridge2.txt": "City Landmarks Guide\nBuilt by a local firm, the Kestrel Harbour Bridge opened to traffic in 1932 "
                   "and carries six lanes today.\n",
    "bridge3.txt": "Ferry Service Ends\nFerries lost most passengers once the Kestrel Harbour Bridge opened in 1932, "
                   "historians say.\n",
    "bridge4.txt": "Letters to the Editor\nA reader insists the Kestrel Harbour Bridge opened in 1936, citing a family "
                   "photograph of the ceremony.\n",
    # One name, two people.
    "fisher1.txt": "Baseball History Notes\nOrlan Vettig, the left-handed pitcher, was born in 1880 in Dayton and "
                   "played six seasons.\n",
    "fisher2.txt": "Stage and Screen\nOrlan Vettig, the stage actor, was born in 1968 in Leeds and trained at a "
                   "drama school there.\n",
    # A category stated without the question's word for it.
    "novel.txt": "Book Pages\nMarigold Weather is a novel by the author Ines Carvalho, published in 2011 by a small "
                 "press in Porto.\n",
    # A masthead that wrote about one subject; another subject only some other file names.
    "courier.txt": "Valley Courier\nThe Lowfield rowing club won its spring regatta on Saturday, its coach said.\n",
    "violin.txt": "Concert Notes\nThe violinist Tessaly Pemberton will tour the north in the autumn.\n",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, embedder):
    return small_corpus(tmp_path_factory.mktemp("issue13"), ARTICLES, embedder)


def test_a_minority_value_is_named_not_adopted(corpus):
    answer = corpus[1].ask("When did the Kestrel Harbour Bridge open?")
    assert answer.answer.startswith("The sources differ"), answer.answer
    (conflict,) = answer.conflicts
    by_value = {side.value: side for side in conflict.values}
    assert set(by_value) == {"1932", "1936"}
    assert not by_value["1932"].minority and len(by_value["1932"].sources) >= 2
    assert by_value["1936"].minority and by_value["1936"].sources == ("bridge4.txt",)
    cited = {c.marker: c.source for c in answer.citations}
    assert {cited[m] for m in by_value["1936"].citations} == {"bridge4.txt"}
    # The minority's sentence appears only as a report, never as an answer sentence of its own.
    plain = [s.text for s in answer.sentences if "1936" in s.text]
    assert plain and all(s.startswith(("The sources differ", "One source says")) for s in plain)
    data = answer.to_json()["conflicts"][0]
    assert {"topic", "values"} <= set(data) and {"value", "citations", "sources", "minority"} <= set(data["values"][0])


def test_one_name_for_two_entities_gives_each_its_value(corpus):
    answer = corpus[1].ask("When was Orlan Vettig born?")
    assert answer.answer.startswith("The sources differ"), answer.answer
    values = {side.value for c in answer.conflicts for side in c.values}
    assert {"1880", "1968"} <= values
    sources = {c.source for c in answer.citations}
    assert {"fisher1.txt", "fisher2.txt"} <= sources


def test_agreeing_files_report_no_disagreement(corpus):
    answer = corpus[1].ask("Who wrote Marigold Weather?")
    assert not answer.abstained and not answer.conflicts
    assert "Ines Carvalho" in answer.answer


def test_a_paraphrased_category_is_answered_and_an_absent_name_declined(corpus):
    medium = corpus[1].ask("What is the medium of Marigold Weather?")
    assert not medium.abstained and "novel" in medium.answer
    absent = corpus[1].ask("How has Zephyrcorp responded to the bridge anniversary?")
    assert absent.abstained and "Zephyrcorp" in absent.answer
    follow_up = corpus[1].ask("What did they put in the bridge's steel arch?")
    assert "mentions “put”" not in follow_up.answer


def _rag(args, stdin=None):
    env = dict(os.environ, PYTHONPATH=str(ROOT), HF_HUB_OFFLINE="1")
    return subprocess.run([RAG, *args], input=stdin, capture_output=True, text=True, env=env, timeout=300)


def test_rag_check_quotes_each_sentence_and_flags_a_wrong_year(corpus, tmp_path):
    settings, _ = corpus
    draft = tmp_path / "memo.txt"
    draft.write_text("The Kestrel Harbour Bridge opened in 1932. The Kestrel Harbour Bridge opened in 1951. "
                     "Penguins run the city's tax office.\n", encoding="utf-8")
    done = _rag(["check", str(draft), "--db", str(settings.db_dir), "--json"])
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["status"] for r in rows] == ["supported", "contradicted", "unsupported"]
    for row in rows[:2]:
        (citation,) = row["citations"]
        text = (settings.source_dir / citation["source"]).read_text(encoding="utf-8")
        assert text[citation["start"]:citation["end"]] == citation["quote"]
        assert {"marker", "source", "path", "start", "end", "quote"} <= set(citation)
    piped = _rag(["check", "-", "--db", str(settings.db_dir)], stdin="The Kestrel Harbour Bridge opened in 1932.\n")
    assert piped.returncode == 0 and piped.stdout.startswith("supported")
    missing = _rag(["check", str(tmp_path / "nope.txt"), "--db", str(settings.db_dir)])
    assert missing.returncode == 2 and len(missing.stderr.strip().splitlines()) == 1


def test_check_a_draft_box_shows_each_status_and_the_escaped_quote(corpus):
    from ui.draft_check import check_text

    markup = check_text("The Kestrel Harbour Bridge opened in 1932. Penguins <script>alert(1)</script> tax us. "
                        "Owls run the ferry.",
                        corpus[1])
    assert markup.count("<li ") == 3 and ">supported</span>" in markup and ">unsupported</span>" in markup
    assert "<script>" not in markup and "&lt;script&gt;" in markup
    assert "opened in 1932" in markup and "bridge" in markup  # the quote and its file
    assert "empty" in check_text("  ", corpus[1])


def test_a_report_by_a_source_the_corpus_never_connects_with_the_subject_is_declined(corpus):
    declined = corpus[1].ask("What did a Valley Courier report say about Tessaly Pemberton's tour?")
    assert declined.abstained, declined.answer
    assert "Valley Courier" in declined.answer
    answered = corpus[1].ask("What did a Valley Courier report say about the Lowfield rowing club?")
    assert not answered.abstained, answered.answer
    assert "courier.txt" in {c.source for c in answered.citations}


ENTITIES = {
    # One name, two buildings; the second file's answering sentence does not repeat the name.
    "hall1.txt": "Marston Hall (Avonford)\nMarston Hall is a country house in Avonford. Marston Hall was built in "
                 "1742 for a wool merchant and still stands in its park.\n",
    "hall2.txt": "Marston Hall (college)\nMarston Hall is a student residence of the university in Brenton. Work "
                 "on the Quarry Lane block for two hundred students began in 1968.\n",
    "noise.txt": "Weekend Markets\nThe farmers' market moves to the square in spring, with forty stalls of fruit "
                 "and cheese.\n",
}


@pytest.fixture(scope="module")
def entities(tmp_path_factory, embedder):
    _, assistant = small_corpus(tmp_path_factory.mktemp("issue13-entities"), ENTITIES, embedder)
    yield assistant
    assistant.store.close()


def test_another_entity_of_the_name_is_given_though_its_sentence_does_not_name_it(entities):
    answer = entities.ask("When was Marston Hall built?")
    assert answer.answer.startswith("The sources differ"), answer.answer
    (conflict,) = answer.conflicts
    by_value = {side.value: side for side in conflict.values}
    assert set(by_value) == {"1742", "1968"}
    assert by_value["1742"].sources == ("hall1.txt",) and by_value["1968"].sources == ("hall2.txt",)
    cited = {c.marker: c for c in answer.citations}
    quote = cited[by_value["1968"].citations[0]]
    assert "began in 1968" in quote.quote and quote.source == "hall2.txt"
    assert "1742" in answer.answer and "1968" in answer.answer
