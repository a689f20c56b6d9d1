"""The browser app end to end: `rag ui` as a user starts it, driven by Debian's Chromium through Playwright at
1280x900. Screenshots land in artifacts/screenshots/ (git-ignored) for a person to look at."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import RAG, ROOT, answers_200, free_port, stop_process, wait_until_serving
from tests.e2e.conftest import SHOTS

pytestmark = pytest.mark.browser

ANSWER = ".rag-answer:not(.rag-draft)"
SEVEN = "Which seven rare earth elements did China put under export control on April 4, 2025?"
SHARE = "What share of Japan's rare earth imports come from China?"
LEADER = "Who is Japan's prime minister?"
NOWHERE = "What is the capital of Peru?"
WAIT = 90_000  # ms; answers take about a second, but the machine is shared


@pytest.fixture(scope="module")
def ui_url(seeds_index, tmp_path_factory):
    """`rag ui --db DB --port PORT` over the session's seeds index, as a subprocess (its own working folder and
    no RAG_* variables from the developer's shell, so a local .env or RAG_LLM cannot change what is tested)."""
    work = tmp_path_factory.mktemp("rag_ui")
    log = work / "server.log"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAG_")}
    env.update(HF_HUB_OFFLINE="1", GRADIO_ANALYTICS_ENABLED="False", ANONYMIZED_TELEMETRY="False")
    with open(log, "w") as out:
        proc = subprocess.Popen([RAG, "ui", "--db", str(seeds_index.db_dir), "--port", str(port)], cwd=work,
                                env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_serving(proc, answers_200(url), log, "rag ui", timeout=180, poll=0.5)
        yield url
    finally:
        stop_process(proc, 15)



@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(WAIT)
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    yield page
    context.close()


def _open(page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    page.locator("#question textarea").wait_for()


def _ask(page, question: str, expect: str = ANSWER):
    """Type a question, send it with Enter, and wait for the n-th finished assistant bubble."""
    before = page.locator(f"{ANSWER}, .rag-error").count()
    page.locator("#question textarea").fill(question)
    page.locator("#question textarea").press("Enter")
    bubble = page.locator(f"{ANSWER}, .rag-error").nth(before)
    bubble.wait_for()
    assert bubble.locator(expect).count() or bubble.evaluate("(e, s) => e.matches(s)", expect), bubble.inner_html()
    return bubble


def _squash(text: str) -> str:
    return " ".join(text.split())


def _file_slice(seeds_index, source: str, start: int, end: int) -> str:
    return Path(seeds_index.source_dir, source).read_text(encoding="utf-8")[start:end]


def _shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / name))


# ---- the everyday path


def test_ask_reveal_cite_open_article_and_export_memos(page, ui_url, seeds_index):
    from playwright.sync_api import expect

    _open(page, ui_url)
    for example in (SEVEN, SHARE, LEADER):
        expect(page.get_by_text(example, exact=True)).to_be_visible()  # example questions on first load
    expect(page.locator("#memo-answer")).to_be_disabled()
    _shot(page, "01-first-load.png")

    bubble = _ask(page, SEVEN)
    assert "dysprosium" in bubble.inner_text()
    chips = bubble.locator(".rag-text .rag-cite")
    assert chips.count() >= 1
    expect(page.locator("#rag-sources .rag-passage").first).to_be_visible()
    _shot(page, "02-answer.png")

    # hovering a marker reveals its quote, exactly as the file has it
    first = page.locator("#rag-sources .rag-open").first
    source, start, end = (first.get_attribute(a) for a in ("data-source", "data-start", "data-end"))
    quote = _file_slice(seeds_index, source, int(start), int(end))
    chips.first.hover()
    popover = page.locator("#rag-popover")
    expect(popover).to_be_visible()
    assert _squash(quote) in _squash(popover.inner_text()) and source in popover.inner_text()
    # clicking pins it and selects the passage in the sources panel, highlighted inside its paragraph
    chips.first.click()
    selected = page.locator("#rag-sources .rag-passage.selected")
    expect(selected).to_have_count(1)
    assert selected.locator("mark").inner_text() == quote
    paragraph = selected.locator(".rag-para").inner_text()
    text = _file_slice(seeds_index, source, 0, 10**9)
    line = text[text.rfind("\n", 0, int(start)) + 1:text.find("\n", int(end)) % (len(text) + 1)].strip()
    assert quote in paragraph and len(paragraph) >= min(len(line), len(quote) + 1)  # the quote within its line
    expect(popover).to_be_visible()
    _shot(page, "03-citation-revealed.png")

    # the source viewer: the whole article, the cited span highlighted and scrolled into view
    selected.locator(".rag-open").click()
    hit = page.locator("#rag-viewer .rag-viewer.open #rag-hit")
    hit.wait_for()
    page.wait_for_timeout(300)
    assert hit.inner_text() == quote
    body = page.locator("#rag-viewer .rag-viewer-body").bounding_box()
    box = hit.bounding_box()
    assert body["y"] <= box["y"] and box["y"] + min(box["height"], 40) <= body["y"] + body["height"]
    full = Path(seeds_index.source_dir, source).read_text(encoding="utf-8")
    assert _squash(page.locator("#rag-viewer .rag-article").inner_text()) == _squash(full)
    _shot(page, "04-source-viewer.png")
    page.keyboard.press("Escape")
    expect(page.locator("#rag-viewer .rag-viewer.open")).to_have_count(0)

    # memo of this answer: Markdown footnotes that quote the files exactly
    expect(page.locator("#memo-answer")).to_be_enabled()
    with page.expect_download() as info:
        page.locator("#memo-answer").click()
    download = info.value
    assert download.suggested_filename.startswith("memo-which-seven") and download.suggested_filename.endswith(".md")
    memo = Path(download.path()).read_text(encoding="utf-8")
    footnotes = re.findall(r'^\[\^(\d+)\]: "(.+)" — `([^`]+)`.*characters (\d+)–(\d+)\.$', memo, re.M)
    assert memo.startswith(f"## {SEVEN}") and footnotes
    assert {int(n) for n, *_ in footnotes} == {int(n) for n in re.findall(r"\[\^(\d+)\](?!:)", memo)}
    for _, text, name, a, b in footnotes:
        assert text == _squash(_file_slice(seeds_index, name, int(a), int(b)))

    # disagreeing sources are flagged; an unanswerable question is an abstention with related passages
    bubble = _ask(page, LEADER, ".rag-conflict")
    assert "Sources disagree" in bubble.inner_text()
    _shot(page, "05-sources-disagree.png")
    bubble = _ask(page, NOWHERE, ".rag-abstain")
    assert "Not in the articles" in bubble.inner_text() and not bubble.locator(".rag-cite").count()
    expect(page.locator("#rag-sources .rag-turn.active .rag-related-note")).to_contain_text("not as support")
    _shot(page, "06-abstention.png")

    # earlier questions stay one click away in the panel
    page.locator("#rag-sources .rag-turn-btn", has_text="Q1").click()
    expect(page.locator('#rag-sources .rag-turn.active')).to_have_attribute("data-turn", "1")

    # the whole conversation as one memo
    with page.expect_download() as info:
        page.locator("#memo-conversation").click()
    memo = Path(info.value.path()).read_text(encoding="utf-8")
    assert [line[3:] for line in memo.splitlines() if line.startswith("## ")] == [SEVEN, LEADER, NOWHERE]
    assert page.errors == []


def test_example_question_session_isolation_and_clear_failure_message(page, ui_url, browser):
    from playwright.sync_api import expect

    _open(page, ui_url)
    page.get_by_text(SHARE, exact=True).click()
    bubble = page.locator(ANSWER).first
    bubble.wait_for()
    assert "58%" in bubble.inner_text()
    # another browser session starts with its own, empty conversation
    other = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        second = other.new_page()
        _open(second, ui_url)
        expect(second.get_by_text(SHARE, exact=True)).to_be_visible()
        assert second.locator(".rag-answer").count() == 0 and second.locator("#rag-sources .rag-passage").count() == 0
    finally:
        other.close()
    # a bad control value ends the turn with one readable line, not a stack trace
    page.locator("#since input, #since textarea").first.fill("last week")
    bubble = _ask(page, SHARE, ".rag-badge-error")
    assert "Since must be a date like" in bubble.inner_text() and "Traceback" not in page.content()
    _shot(page, "07-failure-message.png")
    page.locator("#new").click()
    expect(page.locator(ANSWER)).to_have_count(0)
    assert page.errors == []


def test_viewer_refuses_tampered_requests(page, ui_url, seeds_index):
    _open(page, ui_url)
    _ask(page, SHARE)
    name = page.locator("#rag-sources .rag-open").first.get_attribute("data-source")
    absolute = str(Path(seeds_index.source_dir, name).resolve())
    for request in ("../../../../etc/passwd", "/etc/passwd", absolute, f"../{Path(seeds_index.source_dir).name}/{name}"):
        page.locator("#rag-sources .rag-open").first.evaluate("(b, v) => { b.dataset.source = v; }", request)
        page.locator("#rag-sources .rag-open").first.click()
        dialog = page.locator("#rag-viewer .rag-viewer.open")
        dialog.wait_for()
        text = dialog.inner_text()
        assert "is not one of them" in text and "root:" not in text, request
        page.keyboard.press("Escape")
    assert page.errors == []


# ---- documents with markup stay inert; LLM answers show unsupported sentences


@contextmanager
def _in_process_app(assistant):
    """The same app in this process (sharing the loaded model), on a free loopback port."""
    from ui.app import build_app

    app = build_app(assistant)
    port = free_port()
    app.queue().launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        app.close()


EVIL = """Zanzibar gadget council report
2025-03-03

The Zanzibar gadget council met on 3 March 2025 to set the quota for brass widgets.
The council chair said the brass widget quota rises to 41 tonnes <script>window.__xss = "script";</script> <img src=x onerror="window.__xss='img'"> next year under the new plan.
Markup tests: ${window.__xss='tpl'} {{constructor.constructor('window.__xss=1')()}} <b onmouseover="window.__xss='b'">bold</b> <a href="javascript:window.__xss='a'">link</a> <svg onload="window.__xss='svg'"></svg> [md](javascript:window.__xss='md').
"""


def test_document_markup_and_script_stay_inert(page, embedder, tmp_path):
    from ingest.pipeline import run_ingest
    from rag.assistant import Assistant
    from rag.settings import Settings

    source = tmp_path / "corpus"
    source.mkdir()
    (source / "evil_note.txt").write_text(EVIL, encoding="utf-8")
    shutil.copy(ROOT / "seeds" / "004_2c3b9067990f8dc0.txt", source)
    settings = Settings(source_dir=source, db_dir=tmp_path / "db")
    run_ingest(settings, embedder)
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    with _in_process_app(Assistant(settings, embedder)) as url:
        _open(page, url)
        bubble = _ask(page, "How many tonnes does the brass widget quota rise to?")
        chip = bubble.locator(".rag-text .rag-cite").first
        chip.hover()
        chip.click()
        page.locator("#rag-sources .rag-passage.selected .rag-open").click()
        page.locator("#rag-viewer .rag-viewer.open #rag-hit").wait_for()
        page.locator("#rag-viewer .rag-article").get_by_text("bold", exact=False).hover()
        page.wait_for_timeout(500)
        _shot(page, "08-markup-stays-inert.png")
        assert page.evaluate("() => window.__xss") is None
        for where in (bubble, page.locator("#rag-popover"), page.locator("#rag-sources .rag-panel"),
                      page.locator("#rag-viewer .rag-viewer")):
            text = where.inner_text()
            assert '<script>window.__xss = "script";</script>' in text and 'onerror="window.__xss' in text
            assert where.locator("script, img, svg, b, a, [onerror], [onmouseover]").count() == 0
        article = page.locator("#rag-viewer .rag-article").inner_text()
        assert "${window.__xss='tpl'}" in article and "{{constructor.constructor" in article
        assert not [u for u in requests if u.rstrip("/").endswith("/x")]  # <img src=x> never loaded
        assert page.errors == []


def test_llm_answer_marks_unsupported_sentences_and_a_down_endpoint_is_a_message(page, embedder, seeds_index):
    from rag.assistant import Assistant
    from tests.fake_openai import FakeLLM

    planted = "Japan gets 85% of its rare earth imports from China"
    with FakeLLM(delay=3.0) as fake:
        fake.script(lambda req: f"About 58% of Japan's rare earth imports currently come from China "
                                f"[{req.source_with('58%')}]. {planted} [{req.source_with('58%')}].")
        settings = seeds_index.with_(llm="openai", llm_base_url=fake.url, llm_timeout_s=6.0, llm_fallback=False)
        with _in_process_app(Assistant(settings, embedder)) as url:
            _open(page, url)
            assert "openai" in page.locator("#answerer input").input_value()
            # streamed: the first half of the reply shows (unchecked, as a draft) while the model pauses
            fake.mode, fake.delay = "stall", 2.0
            page.locator("#question textarea").fill(SHARE)
            page.locator("#question textarea").press("Enter")
            draft = page.locator(".rag-draft", has_text="About 58%")
            draft.wait_for()
            assert page.locator(ANSWER).count() == 0 and not fake.finished.is_set()
            bubble = page.locator(ANSWER).first
            bubble.wait_for()
            unsupported = bubble.locator(".rag-unsupported")
            assert unsupported.count() == 1 and planted in unsupported.inner_text()
            assert bubble.locator(".rag-flag").first.is_visible()
            # under the generated sentences, the quotes they rest on, each with its marker (RAG_LLM_QUOTES)
            quoted = bubble.locator(".rag-quoted")
            assert quoted.count() == 1 and "From the articles" in quoted.inner_text()
            assert quoted.locator("li").count() >= 1 and quoted.locator(".rag-unsupported").count() == 0
            _shot(page, "09-unsupported-sentence.png")
            fake.mode = "refuse"
            bubble = _ask(page, SHARE, ".rag-badge-error")
            assert "LLM endpoint unavailable (HTTP 500" in bubble.inner_text()
            assert "pick Extractive as the answerer" in bubble.inner_text()
            assert page.errors == []


# ---- conversations


def test_a_follow_up_shows_how_it_was_understood_and_new_conversation_starts_over(page, ui_url):
    from playwright.sync_api import expect

    _open(page, ui_url)
    first = _ask(page, "What share of global rare earth processing does China control?")
    assert first.locator(".rag-understood").count() == 0  # a first question needs no context
    follow = _ask(page, "And of mining?")
    understood = follow.locator(".rag-understood")
    expect(understood).to_be_visible()
    assert understood.inner_text().startswith("Understood as: And of mining")
    assert "mining" in understood.inner_text() and "70%" in follow.inner_text()
    _shot(page, "20-follow-up-understood.png")
    page.locator("#new").click()
    expect(page.locator(ANSWER)).to_have_count(0)
    again = _ask(page, "And of mining?")  # nothing earlier to lean on now
    assert again.locator(".rag-understood").count() == 0
