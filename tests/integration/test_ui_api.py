"""The UI over real parts: the named API endpoints through gradio_client on a real Gradio server, the login
and bind checks, and the app's behaviour (ui/session.py) with the real Assistant and a fake LLM endpoint."""
from __future__ import annotations

import json
import shutil
from html import escape
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from rag.settings import Settings
from tests.conftest import free_port, run_rag

SEVEN = "Which seven rare earth elements did China put under export control on April 4, 2025?"
SHARE = "What share of Japan's rare earth imports come from China?"
FACT_58 = "About 58% of Japan's rare earth imports currently come from China"


@pytest.fixture(scope="module")
def served_app(assistant):
    from ui.app import build_app

    app = build_app(assistant)
    port = free_port()
    app.queue().launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    yield f"http://127.0.0.1:{port}/"
    app.close()


@pytest.fixture(scope="module")
def client(served_app):
    from gradio_client import Client

    return Client(served_app, verbose=False)


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


# ---- the API endpoints


def test_api_endpoint_answers_with_citations(client):
    result = json.loads(client.predict(SEVEN, 0, api_name="/ask"))
    assert "dysprosium" in result["answer"].lower()
    assert result["citations"] and not result["abstained"]
    for c in result["citations"]:
        assert Path(c["path"]).read_text(encoding="utf-8")[c["start"]:c["end"]] == c["quote"]


def test_api_endpoint_resolves_a_follow_up_from_the_earlier_questions(client):
    alone = json.loads(client.predict("And of mining?", 0, api_name="/ask"))
    assert alone["standalone_question"] == "And of mining?"
    result = json.loads(client.predict("And of mining?", 0,
                                       ["What share of global rare earth processing does China control?"],
                                       api_name="/ask"))
    assert result["question"] == "And of mining?"
    assert result["standalone_question"] != "And of mining?" and "70%" in result["answer"]


def test_api_endpoint_reports_bad_question(client):
    result = json.loads(client.predict("   ", 0, api_name="/ask"))
    assert "empty" in result["error"]


def test_source_endpoint_serves_a_corpus_file_by_name(client, assistant):
    name = assistant.sources[0]
    record = json.loads(client.predict(name, api_name="/source"))
    assert record["source"] == name and record["text"] == assistant.document_text(name)


def test_source_endpoint_refuses_anything_that_is_not_a_corpus_name(client, assistant, seeds_index):
    name = assistant.sources[0]
    absolute = str(Path(seeds_index.source_dir, name).resolve())
    manifest = str(Path(seeds_index.db_dir, "sidecar", "manifest.json"))
    for request in (f"../seeds/{name}", f"./{name}", absolute, "/etc/passwd", "../../../../etc/passwd", "..",
                    "sidecar/manifest.json", manifest, f"{name}/../{name}", "%2e%2e%2fetc%2fpasswd", ""):
        record = json.loads(client.predict(request, api_name="/source"))
        assert set(record) == {"error"}, request
    assert "root:" not in json.dumps(record)


def test_gradio_file_route_does_not_serve_corpus_or_system_files(served_app, assistant, seeds_index):
    absolute = Path(seeds_index.source_dir, assistant.sources[0]).resolve()
    for path in (absolute, Path("/etc/passwd"), Path(seeds_index.db_dir, "sidecar", "manifest.json").resolve()):
        assert _status(f"{served_app}gradio_api/file={path}") in (403, 404), path


def test_login_is_required_when_configured(assistant):
    from gradio_client import Client

    from ui.app import build_app
    from ui.safety import launch_options

    options = launch_options(Settings(ui_auth="ana:s3cret", ui_port=free_port()))
    app = build_app(assistant)
    app.queue().launch(**options, prevent_thread_lock=True, quiet=True)
    try:
        url = f"http://127.0.0.1:{options['server_port']}/"
        assert _status(url + "config") == 401
        with pytest.raises(Exception, match="(?i)login|credentials|auth"):
            Client(url, verbose=False)
        result = json.loads(Client(url, auth=("ana", "s3cret"), verbose=False).predict(SHARE, 0, api_name="/ask"))
        assert "58%" in result["answer"]
    finally:
        app.close()


# ---- `rag ui` refuses unsafe or impossible starts in one line


@pytest.mark.parametrize("args,env,expected", [
    (["--host", "0.0.0.0"], {}, "RAG_UI_AUTH=user:password"),
    ([], {"RAG_UI_AUTH": "nopassword"}, "RAG_UI_AUTH must look like user:password"),
    (["--db", "/nonexistent/index"], {}, "run `rag ingest` first"),
])
def test_rag_ui_refuses_with_one_line_and_exit_2(args, env, expected, seeds_index):
    db = [] if "--db" in args else ["--db", str(seeds_index.db_dir)]
    result = run_rag("ui", *db, *args, "--port", str(free_port()), env={"RAG_UI_AUTH": "", **env}, timeout=120)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0] and "Traceback" not in result.stderr


# ---- the app's behaviour (ui/session.py) over the real Assistant


@pytest.fixture(scope="module")
def session(assistant, tmp_path_factory):
    from ui.session import Session

    return Session(assistant, tmp_path_factory.mktemp("memos"))


def test_ask_streams_a_draft_then_the_checked_answer(session):
    states = [[(t.draft, t.answer, t.error) for t in turns] for turns in session.ask(SEVEN, [])]
    assert states[0] == [("", None, "")]  # the question shows at once
    drafts = [s[-1][0] for s in states[1:-1]]
    assert drafts and all(d for d in drafts) and drafts == sorted(drafts, key=len)
    draft, answer, error = states[-1][-1]
    assert not error and answer is not None and "dysprosium" in answer.answer.lower()


def test_ask_keeps_earlier_turns_and_writes_memos_with_exact_footnotes(session, assistant):
    from ui.render import Turn

    *_, turns = session.ask(SHARE, [Turn("earlier?", error="x")], k=4)
    assert [t.question for t in turns] == ["earlier?", SHARE]
    one, whole = session.memo_files(turns)
    memo = Path(one).read_text(encoding="utf-8")
    assert Path(one).name == "memo-what-share-of-japan-s-rare-earth-imports-come-from-china.md"
    assert memo.startswith(f"## {SHARE}") and "[^1]" in memo
    for c in turns[-1].answer.citations:
        assert f'[^{c.marker}]: "{" ".join(c.quote.split())}"' in memo and f"`{c.source}`" in memo
        assert assistant.document_text(c.source)[c.start:c.end] == c.quote
    assert Path(whole).read_text(encoding="utf-8").startswith("# Research memo")
    assert session.memo_files([Turn("q", error="x")]) == (None, None)


@pytest.mark.parametrize("options,message", [
    ({"since": "last week"}, "Since must be a date like 2026-01-31, not 'last week'"),
    ({"until": "2025-13-45"}, "must be a date like"),
    ({"files": ["../../etc/passwd"]}, "unknown source"),
    ({"backend": "gpt-9"}, "unknown answerer 'gpt-9'"),
    ({"k": "many"}, "whole number"),
    ({"k": 0}, "between 1 and 100"),
])
def test_bad_controls_end_the_turn_with_one_clear_line(session, options, message):
    *_, turns = session.ask(SHARE, [], **options)
    assert turns[-1].answer is None and message in turns[-1].error and "\n" not in turns[-1].error


def test_filters_reach_the_assistant(session, assistant):
    only = assistant.sources[-1]
    *_, turns = session.ask(SHARE, [], files=[only])
    answer = turns[-1].answer
    assert answer is not None and {c.source for c in answer.citations + answer.related} <= {only}


def test_viewer_shows_corpus_files_only(session, assistant, seeds_index):
    *_, turns = session.ask(SEVEN, [])
    c = turns[-1].answer.citations[0]
    markup = session.open_source(turns, {"source": c.source, "start": str(c.start), "end": str(c.end), "turn": "1"})
    assert "\n" not in c.quote and f'<mark class="rag-hit" id="rag-hit">{escape(c.quote)}</mark>' in markup
    absolute = str(Path(seeds_index.source_dir, c.source).resolve())
    for request in ({"source": f"../{c.source}"}, {"source": absolute}, {"source": "/etc/passwd"}, {}, None,
                    {"source": ["a"]}, {"source": c.source.upper()}):
        markup = session.open_source(turns, request)
        assert "is not one of them" in markup and "root:" not in markup, request
    # a bad span opens the article without a highlight instead of failing
    markup = session.open_source(turns, {"source": c.source, "start": "-5", "end": "x", "turn": "0"})
    assert "rag-hit" not in markup and "rag-article" in markup


def test_index_gone_while_running_is_a_message(seeds_index, embedder, tmp_path):
    from rag.assistant import Assistant
    from ui.session import Session

    copy = tmp_path / "db"
    shutil.copytree(seeds_index.db_dir, copy)
    session = Session(Assistant(seeds_index.with_(db_dir=copy), embedder), tmp_path / "memos")
    (copy / "sidecar" / "manifest.json").unlink()
    *_, turns = session.ask(SHARE, [])
    assert "run `rag ingest`" in turns[-1].error and turns[-1].answer is None


# ---- an LLM answerer behind a real (fake) OpenAI endpoint


@pytest.fixture(scope="module")
def fake_llm():
    from tests.fake_openai import FakeLLM

    with FakeLLM(delay=3.0) as server:
        yield server


def _llm_session(seeds_index, embedder, tmp_path, **changes):
    from rag.assistant import Assistant
    from ui.session import Session

    settings = seeds_index.with_(**{"llm": "openai", "llm_timeout_s": 1.0, **changes})
    return Session(Assistant(settings, embedder), tmp_path / "memos")


def test_llm_answer_streams_and_marks_an_unsupported_sentence(fake_llm, seeds_index, embedder, tmp_path):
    from ui.render import chat_messages

    fake_llm.reset()
    planted = "Japan gets 85% of its rare earth imports from China"
    fake_llm.script(lambda req: f"{FACT_58} [{req.source_with('58%')}]. {planted} [{req.source_with('58%')}].")
    session = _llm_session(seeds_index, embedder, tmp_path, llm_base_url=fake_llm.url)
    assert [v for _, v in session.answerers()] == ["extractive", "openai"] and session.default_answerer() == "openai"
    history = list(session.ask(SHARE, []))
    assert len(history) > 5 and planted[:20] in history[-2][-1].draft  # tokens arrived one by one
    answer = history[-1][-1].answer
    generated = [s.supported for s in answer.sentences if s.label != "quoted"]
    assert answer.backend == "openai" and generated == [True, False]
    assert all(s.supported for s in answer.sentences if s.label == "quoted")  # the quotes under it (llm_quotes)
    html = chat_messages(history[-1])[-1]["content"]
    assert html.count("rag-sent rag-unsupported") == 1 and planted[:20] in html.split("rag-unsupported")[1]
    # the same session still answers extractively when asked to
    *_, turns = session.ask(SHARE, [], backend="extractive")
    assert turns[-1].answer.backend == "extractive"


def test_llm_endpoint_down_is_a_message_or_a_noticed_fallback(seeds_index, embedder, tmp_path):
    from ui.render import chat_messages

    down = f"http://127.0.0.1:{free_port()}/v1"
    strict = _llm_session(seeds_index, embedder, tmp_path, llm_base_url=down, llm_fallback=False)
    *_, turns = strict.ask(SHARE, [])
    assert turns[-1].error.startswith("LLM endpoint unavailable (") and "cannot connect" in turns[-1].error
    assert turns[-1].error.endswith("; or pick Extractive as the answerer")
    assert "Could not answer" in chat_messages(turns)[-1]["content"]
    lenient = _llm_session(seeds_index, embedder, tmp_path, llm_base_url=down, llm_fallback=True)
    *_, turns = lenient.ask(SHARE, [])
    answer = turns[-1].answer
    assert answer.backend == "extractive" and "answered extractively" in answer.notice and "58%" in answer.answer
    assert "answered extractively" in chat_messages(turns)[-1]["content"]


def test_a_session_passes_its_conversation_and_the_memo_lists_the_resolved_question(session):
    *_, turns = session.ask("What share of global rare earth processing does China control?", [])
    *_, turns = session.ask("And of mining?", turns)
    follow = turns[-1].answer
    assert follow.question == "And of mining?" and follow.standalone_question != follow.question
    assert "70%" in follow.answer
    _, whole = session.memo_files(turns)
    memo = Path(whole).read_text(encoding="utf-8")
    assert f"*Understood as: {follow.standalone_question}*" in memo
    *_, fresh = session.ask("And of mining?", [])  # "New conversation": no earlier turns, nothing resolved
    assert fresh[-1].answer.standalone_question == "And of mining?"
