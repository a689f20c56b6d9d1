"""The LLM answerer on the real local model (Qwen2.5-Coder-1.5B-Instruct through llama.cpp's OpenAI-compatible
server), over a small corpus written here. Collected only where `make llm` has installed the runtime and the
verified model (tests/integration/conftest.py); slow (seconds per answer on two cores), no timed assertions."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from rag.answering.llm import REFUSAL, Evidence, ground, llm_stream, prompt_passages
from rag.llm_model import DEFAULT_DIR, MODEL_FILE, MODEL_NAME, serve_command
from tests.conftest import ROOT, answers_200, free_port, small_corpus, stop_process, wait_until_serving

ARTICLES = {
    "harbour_bridge.txt": "Harbour bridge reopens after repairs\n2024-05-02\n\n"
                          "The Kessel harbour bridge reopened on Tuesday after fourteen months of repairs. "
                          "The city council said the work cost 38 million euros, six million more than planned. "
                          "Engineers replaced 412 steel cables and repainted the main span.\n",
    "rowing_final.txt": "Lindholm crew wins the river final\n2024-06-15\n\n"
                        "The Lindholm rowing club won the river final on Saturday by two boat lengths. "
                        "Their coach, Mara Vinter, said the crew had trained twice a day since March. "
                        "The runner-up, Ostby, had won the race for the previous three years.\n",
    "comet_survey.txt": "Observatory maps a faint comet\n2024-07-20\n\n"
                        "Astronomers at the Pellworm observatory tracked a faint comet for nine nights. "
                        "They estimate its nucleus is about 3 kilometres wide. "
                        "The comet will return to the inner solar system in 2031.\n",
}


def extractive_answer(assistant, question, hits, notice=""):
    """The Assistant's extractive answerer over given hits (what the LLM answerer falls back on)."""
    from rag.answering.answerers import Evidence
    from rag.answering.reading import read_question

    return assistant.extractive.answer(Evidence(read_question(question), tuple(hits), notice=notice))


@pytest.fixture(scope="module")
def real_server(tmp_path_factory):
    """llama.cpp's server on a free loopback port with the verified model, as `make llm` runs it."""
    log = tmp_path_factory.mktemp("llama") / "server.log"
    port = free_port()
    with open(log, "w") as out:
        # One thread: on a shared machine two threads stall on each other (0.04 tokens/s measured under load).
        proc = subprocess.Popen(serve_command(ROOT / DEFAULT_DIR / MODEL_FILE, port, threads=1), stdout=out,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        wait_until_serving(proc, answers_200(f"http://127.0.0.1:{port}/v1/models"), log, "llama_cpp.server",
                           timeout=300, poll=1.0)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        stop_process(proc, 30)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, embedder, real_server):
    settings, assistant = small_corpus(tmp_path_factory.mktemp("real_llm"), ARTICLES, embedder)
    settings = settings.with_(llm="openai", llm_base_url=real_server, llm_model=MODEL_NAME, llm_fallback=False,
                              llm_timeout_s=300.0)
    from rag.assistant import Assistant

    return settings, Assistant(settings, embedder)


def _exact(assistant, citations) -> None:
    for c in citations:
        assert Path(c.path).read_text(encoding="utf-8")[c.start:c.end] == c.quote, c


def test_the_real_model_answers_with_citations_at_exact_offsets(corpus):
    _, assistant = corpus
    items = list(assistant.stream("How much did the bridge repairs cost?"))
    pieces, answer = items[:-1], items[-1]
    assert pieces and all(isinstance(p, str) for p in pieces)  # streamed
    assert answer.backend == "openai" and not answer.abstained, (answer.answer, answer.notice)
    assert answer.citations and all(c.source == "harbour_bridge.txt" for c in answer.citations)
    assert "38 million" in answer.answer
    assert any(s.supported for s in answer.sentences)
    _exact(assistant, answer.citations)


def test_an_invented_sentence_after_the_real_reply_is_marked_unsupported(corpus):
    settings, assistant = corpus
    question = "How much did the bridge repairs cost?"  # the question the first test saw answered (temperature 0)
    hits = assistant.retrieve(question, settings.top_k)
    evidence = Evidence(settings, assistant._text_of, assistant.embedder.encode,
                        lambda q, h, n: extractive_answer(assistant, q, h, n),
                        sentences=lambda q, h: assistant.scorer.score(q, list(h))[0], embedder=assistant.embedder)
    stream = llm_stream(evidence, question, hits, "openai", "")
    reply = []
    try:
        while True:
            reply.append(next(stream))
    except StopIteration as stop:
        answer = stop.value
    assert not answer.abstained and "38 million" in answer.answer, answer.answer
    passages = prompt_passages(evidence, question, hits)
    planted = "The repairs were paid for by a loan from the national rail company [1]."
    checked = ground(evidence, question, hits, passages, "".join(reply) + " " + planted, "openai", "")
    invented = [s for s in checked.sentences if s.text.startswith("The repairs were paid for by a loan")]
    assert len(invented) == 1 and invented[0].supported is False
    assert any(s.supported and "38 million" in s.text for s in checked.sentences)
    _exact(assistant, checked.citations)


def test_a_question_the_articles_do_not_answer_becomes_an_abstention(corpus):
    _, assistant = corpus
    # Every name here is in the articles, so no corpus rule declines it first: the model itself must.
    answer = assistant.ask("Who designed the telescope mirror at the Pellworm observatory?")
    assert answer.backend == "openai" and answer.abstained, (answer.answer, answer.sentences)
    assert answer.answer.startswith(REFUSAL) and answer.citations == ()
    _exact(assistant, answer.related)


@pytest.mark.browser
def test_the_real_model_streams_into_the_browser(corpus, browser_page):
    settings, assistant = corpus
    from ui.app import build_app

    app = build_app(assistant)
    port = free_port()
    app.queue().launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    try:
        page = browser_page
        page.goto(f"http://127.0.0.1:{port}/", wait_until="domcontentloaded")
        page.locator("#question textarea").fill("How wide is the comet's nucleus?")
        page.locator("#question textarea").press("Enter")
        page.locator(".rag-draft").first.wait_for()  # tokens shown while the model is still writing
        bubble = page.locator(".rag-answer:not(.rag-draft)").first
        bubble.wait_for()
        assert "3 kilometres" in bubble.inner_text()
        assert bubble.locator(".rag-cite").count() >= 1
        assert page.errors == []
    finally:
        app.close()


@pytest.fixture()
def browser_page():
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, FLAGS

    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: `make chromium` installs it"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(600_000)  # a slow shared machine: generous, not a speed check
        page.errors = []
        page.on("pageerror", lambda exc: page.errors.append(str(exc)))
        yield page
        browser.close()

