"""Bad input everywhere it can enter: the command line (arguments and stdin), the Python API, the app's API
endpoint on a real Gradio server and the chat session. Each gets one clear line (CLI: stderr, exit code 2) or a
message, never a traceback, and the process goes on answering as before."""
from __future__ import annotations

import json
import subprocess
import unicodedata

import pytest

from rag.errors import BadArgument, BadQuestion
from tests.conftest import RAG, ROOT, free_port, run_rag

SHARE = "What share of Japan's rare earth imports come from China?"
SEVEN = "Which seven rare earth elements did China put under export control on April 4, 2025?"
CUT = "The question was cut to its first 2000 characters."
HUGE = "x" * 200_000  # 200 kB on one line


def _printable(text: str) -> bool:
    return not any(unicodedata.category(ch)[0] == "C" for ch in text)


# ---- the command line


def test_cli_stdin_with_control_characters_invalid_utf8_and_a_200kb_line(seeds_index, assistant):
    lines = [SHARE.encode(),
             b"\x00\x01\x07\x1b",  # nothing but control characters: the one bad line
             b"   \t  ",  # blank: skipped like an empty line
             b"What share\x1b of Japan's rare\x00 earth imports come from China?\x7f",
             b"Which seven rare earth \xff\xfe\xc3( elements did China put under export control on April 4, 2025?",
             HUGE.encode(),
             ("Q? " * 70_000).encode(),  # 210 kB of short words: cut at a word boundary
             SEVEN.encode()]
    result = subprocess.run([RAG, "ask", "-", "--db", str(seeds_index.db_dir), "--json"], input=b"\n".join(lines),
                            capture_output=True, timeout=300, cwd=ROOT)
    stderr = result.stderr.decode("utf-8")
    assert result.returncode == 2 and "Traceback" not in stderr
    assert stderr == "rag: the question is empty: type a question about the documents\n"
    answers = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    assert len(answers) == 6
    first, controls, invalid, huge, words, last = answers
    assert first == assistant.ask(SHARE).to_json()
    assert controls["question"] == "What share of Japan's rare earth imports come from China?"
    assert controls["answer"] == first["answer"]  # control characters only ever separate words
    assert "\ufffd" in invalid["question"] and _printable(invalid["question"])
    assert "dysprosium" in invalid["answer"].lower() and not invalid["abstained"]
    for cut in (huge, words):
        assert cut["notice"] == CUT and len(cut["question"]) <= 2000 and cut["abstained"]
    assert words["question"].endswith("Q?")  # cut at a space, not inside a word
    assert last == assistant.ask(SEVEN).to_json()  # the process kept answering, exactly as before
    for answer in answers:
        assert _printable(answer["question"])
        for c in answer["citations"] + answer["related"]:
            assert assistant.document_text(c["source"])[c["start"]:c["end"]] == c["quote"]


@pytest.mark.parametrize("args,message", [
    (["   "], "rag: the question is empty: type a question about the documents"),
    (["\x01\x02\x03"], "rag: the question is empty: type a question about the documents"),
    ([SHARE, "-k", "0"], "rag ask: error: argument -k: must be between 1 and 100, got 0 (see `rag ask --help`)"),
    ([SHARE, "-k", "-3"], "rag ask: error: argument -k: must be between 1 and 100, got -3 (see `rag ask --help`)"),
    ([SHARE, "-k", "101"], "rag ask: error: argument -k: must be between 1 and 100, got 101 (see `rag ask --help`)"),
    ([SHARE, "-k", "two"], "rag ask: error: argument -k: expected a whole number, got 'two' (see `rag ask --help`)"),
    ([], "rag ask: error: the following arguments are required: question (see `rag ask --help`)"),
])
def test_cli_bad_question_or_k_is_one_line_exit_2_before_loading_anything(args, message, tmp_path):
    result = run_rag("ask", *args, "--db", str(tmp_path / "no-index-needed"), timeout=60)
    assert result.returncode == 2 and result.stdout == "" and result.stderr == message + "\n"
    assert not (tmp_path / "no-index-needed").exists()


def test_cli_unknown_source_filter_is_one_line_exit_2(seeds_index, assistant):
    result = run_rag("ask", SHARE, "--db", str(seeds_index.db_dir), "--source-filter", "../../etc/passwd")
    known = ", ".join(assistant.sources)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == f"rag: unknown source '../../etc/passwd'; files in the index: {known}\n"


# ---- the Python API


@pytest.mark.parametrize("kwargs,error,message", [
    ({"question": ""}, BadQuestion, "the question is empty"),
    ({"question": " \t\n "}, BadQuestion, "the question is empty"),
    ({"question": "\x00\x1b\u200e"}, BadQuestion, "the question is empty"),
    ({"question": None}, BadQuestion, "the question must be text"),
    ({"question": b"bytes?"}, BadQuestion, "the question must be text"),
    ({"k": 0}, BadArgument, "between 1 and 100, not 0"),
    ({"k": -1}, BadArgument, "between 1 and 100, not -1"),
    ({"k": 101}, BadArgument, "between 1 and 100, not 101"),
    ({"k": 2.5}, BadArgument, "between 1 and 100, not 2.5"),
    ({"k": "3"}, BadArgument, "between 1 and 100, not 3"),
    ({"sources": ["nope.txt"]}, BadArgument, "unknown source 'nope.txt'; files in the index: 000_"),
    ({"sources": "../../etc/passwd"}, BadArgument, "unknown source '../../etc/passwd'"),
    ({"since": "yesterday"}, BadArgument, "--since must be a date like 2026-01-31, not 'yesterday'"),
    ({"until": "31/01/2026"}, BadArgument, "--until must be a date like 2026-01-31, not '31/01/2026'"),
])
def test_python_api_bad_input_raises_one_named_error(assistant, kwargs, error, message):
    call = {"question": SHARE, **kwargs}
    with pytest.raises(error) as info:
        assistant.ask(call.pop("question"), **call)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_python_api_cuts_long_questions_and_keeps_answering(assistant, seeds_index):
    before = assistant.ask(SEVEN).to_json()
    long = assistant.ask(SEVEN + " " + "and more words " * 20_000)
    assert long.notice == CUT and len(long.question) <= 2000 and long.question.startswith(SEVEN)
    name = assistant.sources[-1]
    only = assistant.ask(SHARE, sources=name)  # one name as a plain string is that file
    assert {c.source for c in only.citations + only.related} == {name}
    assert assistant.ask(SEVEN).to_json() == before


# ---- the app: the /ask endpoint on a real Gradio server, and the chat session


@pytest.fixture(scope="module")
def served(assistant):
    from ui.app import build_app

    app = build_app(assistant)
    port = free_port()
    app.queue(default_concurrency_limit=1).launch(server_name="127.0.0.1", server_port=port,
                                                  prevent_thread_lock=True, quiet=True)
    yield f"http://127.0.0.1:{port}/"
    app.close()


def test_api_endpoint_bad_input_is_an_error_message_and_the_server_keeps_serving(served, assistant, capfd):
    from gradio_client import Client

    client = Client(served, verbose=False)
    good = json.loads(client.predict(SHARE, 0, api_name="/ask"))
    assert good == assistant.ask(SHARE).to_json()
    for question, k, message in [
        ("", 0, "the question is empty"),
        ("  \t ", 0, "the question is empty"),
        ("\x00\x01\x1b", 0, "the question is empty"),
        (None, 0, "the question must be text"),
        (SHARE, -1, "between 1 and 100, not -1"),
        (SHARE, 1000, "between 1 and 100, not 1000"),
        (SHARE, "abc", "k must be a whole number of passages"),
        (SHARE, None, None),  # no k: the default
    ]:
        reply = json.loads(client.predict(question, k, api_name="/ask"))
        if message is None:
            assert reply == good
        else:
            assert set(reply) == {"error"} and message in reply["error"] and "\n" not in reply["error"], reply
    huge = json.loads(client.predict(HUGE, 0, api_name="/ask"))
    assert huge["notice"] == CUT and len(huge["question"]) <= 2000
    controls = json.loads(client.predict("What share\x1b of Japan's rare\x00 earth imports come from China?", 0,
                                         api_name="/ask"))
    assert controls["answer"] == good["answer"]
    assert json.loads(client.predict(SHARE, 0, api_name="/ask")) == good  # still serving, same answer
    assert "Traceback" not in capfd.readouterr().err


def test_chat_session_shows_bad_input_as_a_message_and_long_questions_with_a_notice(assistant, tmp_path):
    from ui.render import chat_messages
    from ui.session import Session

    session = Session(assistant, tmp_path / "memos")
    *_, turns = session.ask("\x00\x07", [])
    assert turns[-1].answer is None and turns[-1].error == "the question is empty: type a question about the documents"
    *_, turns = session.ask(HUGE, turns, files=["../../etc/passwd"])
    assert turns[-1].answer is None and "unknown source '../../etc/passwd'" in turns[-1].error
    *_, turns = session.ask(HUGE, turns)
    assert turns[-1].answer.notice == CUT and CUT in chat_messages(turns)[-1]["content"]
    assert turns[-1].question == turns[-1].answer.question and len(turns[-1].question) <= 2000  # shown as asked
    *_, turns = session.ask(SHARE, turns)
    assert [t.error for t in turns[:2]] and turns[-1].answer.to_json() == assistant.ask(SHARE).to_json()
    html = "".join(m["content"] for m in chat_messages(turns))
    assert "Traceback" not in html and "\x00" not in html
