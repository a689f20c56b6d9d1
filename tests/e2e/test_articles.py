"""The Articles panel end to end: `rag ui` over a copy of the seeds in a tmp folder, driven by Debian's Chromium
through Playwright (`set_input_files`, as a person drops files): add, ask, update, remove; hostile names stay in
the corpus folder; a session opened before an upload sees the new article; the page at 390 and 1280 px wide."""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.conftest import RAG, SEEDS, answers_200, free_port, stop_process, wait_until_serving
from tests.e2e.conftest import SHOTS
from tests.e2e.test_browser import ANSWER, WAIT, _ask, _open

pytestmark = pytest.mark.browser

NOTE = ("Lakeside council bulletin\n2026-02-11\n\nThe lakeside council voted to build a footbridge of 212 metres "
        "across the marina, paid for by a harbour levy.\nWork starts in the spring.\n")
BRIDGE = "How long is the footbridge across the marina?"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


@pytest.fixture(scope="module")
def corpus_app(tmp_path_factory, embedder):
    """`rag ui --db DB` over a fresh index of a tmp copy of the seeds (the folder comes from the manifest)."""
    from ingest.pipeline import run_ingest
    from rag.settings import Settings

    base = tmp_path_factory.mktemp("articles_ui")
    shutil.copytree(SEEDS, base / "corpus")
    run_ingest(Settings(source_dir=base / "corpus", db_dir=base / "db"), embedder)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAG_")}
    env.update(HF_HUB_OFFLINE="1", GRADIO_ANALYTICS_ENABLED="False", ANONYMIZED_TELEMETRY="False")
    log = base / "server.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([RAG, "ui", "--db", str(base / "db"), "--port", str(port)], cwd=base, env=env,
                                stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_serving(proc, answers_200(url), log, "rag ui", timeout=180, poll=0.5)
        yield url, base / "corpus", log
    finally:
        stop_process(proc, 15)



def _page(browser, width: int = 1280, height: int = 900):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(WAIT)
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    return page


def _panel(page):
    panel = page.locator("#rag-articles-panel")
    if not page.locator("#rag-upload").is_visible():
        panel.get_by_text("Articles: add, open or remove").click()
    page.locator("#rag-upload").wait_for()
    return panel


def _upload(page, files: list[tuple[str, bytes]], replace: bool = False):
    """Drop files on the panel and wait for their outcome list; returns {name: (status, text of its line)}."""
    _panel(page)
    box = page.locator("#rag-replace input")
    if box.is_checked() != replace:
        box.click()
    done = page.locator("#rag-upload-outcome .rag-outcome")
    before = done.get_attribute("data-run") if done.count() else ""
    page.locator("#rag-upload input[type=file]").set_input_files(
        [{"name": name, "mimeType": "application/octet-stream", "buffer": data} for name, data in files])
    page.wait_for_function("(old) => { const o = document.querySelector('#rag-upload-outcome .rag-outcome');"
                           " return o && o.dataset.run !== old; }", arg=before or "")
    lines = page.locator("#rag-upload-outcome li")
    out = {}
    for i in range(lines.count()):
        line = lines.nth(i)
        status = line.get_attribute("class").removeprefix("rag-outcome-")
        out[line.locator("code").first.inner_text()] = (status, line.inner_text())
    return out


def _row_action(page, source: str, action: str) -> None:
    page.locator(f'#rag-article-list .rag-art-act[data-action="{action}"][data-source="{source}"]').click()


def _cited(bubble, page) -> list[tuple[str, int, int, str]]:
    """(source, start, end, highlighted text) of each passage the sources panel shows for the latest answer."""
    out = []
    passages = page.locator("#rag-sources .rag-turn.active .rag-passage")
    for i in range(passages.count()):
        item = passages.nth(i)
        button = item.locator(".rag-open")
        out.append((button.get_attribute("data-source"), int(button.get_attribute("data-start")),
                    int(button.get_attribute("data-end")), item.locator("mark").inner_text()))
    return out


def test_add_ask_update_and_remove_an_article_in_the_browser(browser, corpus_app):
    from playwright.sync_api import expect

    url, folder, log = corpus_app
    early = _page(browser)  # a session opened before the upload
    _open(early, url)
    page = _page(browser)
    _open(page, url)
    expect(page.locator("#rag-count")).to_have_text("5 articles indexed, dated 2026-01-06")

    # A new article and a binary file together: the article is added, the binary skipped with the CLI's reason.
    outcome = _upload(page, [("bridge.txt", NOTE.encode()), ("scan.txt", PNG)])
    assert outcome["bridge.txt"][0] == "added", outcome
    assert outcome["scan.txt"][0] == "skipped" and "binary file, not text" in outcome["scan.txt"][1]
    assert "1 added, 0 updated, 0 removed, 5 unchanged" in page.locator("#rag-upload-outcome").inner_text()
    assert (folder / "bridge.txt").read_text(encoding="utf-8") == NOTE and not (folder / "scan.txt").exists()
    expect(page.locator("#rag-count")).to_contain_text("6 articles indexed, dated 2026-01-06 to 2026-02-11")
    row = page.locator('#rag-article-list tr[data-source="bridge.txt"]')
    expect(row).to_contain_text("Lakeside council bulletin")
    expect(row).to_contain_text("2026-02-11")
    page.locator("#rag-articles-panel").screenshot(path=str(SHOTS / "20-articles-added.png"))

    # The article opens in the viewer from the list.
    _row_action(page, "bridge.txt", "open")
    viewer = page.locator("#rag-viewer .rag-viewer.open")
    viewer.wait_for()
    assert " ".join(viewer.locator(".rag-article").inner_text().split()) == " ".join(NOTE.split())
    page.keyboard.press("Escape")

    # A question only the new article answers is cited to it at exact offsets.
    bubble = _ask(page, BRIDGE)
    assert "212 metres" in bubble.inner_text()
    cited = _cited(bubble, page)
    assert cited and all(s == "bridge.txt" for s, *_ in cited)
    text = (folder / "bridge.txt").read_text(encoding="utf-8")
    for _, start, end, shown in cited:
        assert text[start:end] == shown

    # The session opened before the upload: the new article is in its file filter, and it answers from it.
    early.locator("#files input").click()
    expect(early.get_by_role("option", name="bridge.txt", exact=False)).to_be_visible()
    early.keyboard.press("Escape")
    expect(early.locator("#rag-count")).to_contain_text("6 articles")
    assert "212 metres" in _ask(early, BRIDGE).inner_text()

    # An edited version under the same name: without "Replace" it is a second article, with it an update.
    edited = NOTE.replace("212", "250")
    outcome = _upload(page, [("bridge.txt", edited.encode())], replace=True)
    assert outcome["bridge.txt"][0] == "updated", outcome
    assert (folder / "bridge.txt").read_text(encoding="utf-8") == edited
    bubble = _ask(page, BRIDGE)
    assert "250 metres" in bubble.inner_text() and "212" not in bubble.inner_text()

    # Remove it, after a confirmation: gone from the folder, the list, the filter and the answers.
    _row_action(page, "bridge.txt", "ask-remove")
    confirm = page.locator("#rag-article-list .rag-art-confirm")
    expect(confirm).to_contain_text("Remove bridge.txt?")
    page.locator("#rag-articles-panel").screenshot(path=str(SHOTS / "21-articles-remove-confirm.png"))
    assert (folder / "bridge.txt").exists()  # asking is not removing
    _row_action(page, "bridge.txt", "remove")
    expect(page.locator("#rag-upload-outcome li.rag-outcome-removed")).to_contain_text("bridge.txt")
    expect(page.locator('#rag-article-list tr[data-source="bridge.txt"]')).to_have_count(0)
    assert not (folder / "bridge.txt").exists()
    expect(page.locator("#rag-count")).to_contain_text("5 articles")
    bubble = _ask(page, BRIDGE, f"{ANSWER}")
    assert "bridge.txt" not in [s for s, *_ in _cited(bubble, page)]
    assert "250 metres" not in bubble.inner_text()
    assert page.errors == [] and early.errors == []
    assert "Traceback" not in log.read_text(encoding="utf-8", errors="replace")
    page.context.close()
    early.context.close()


def _zip(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in members.items():
            zf.writestr(name, text)
    return buffer.getvalue()


def test_hostile_names_and_zip_members_stay_inside_the_corpus_folder(browser, corpus_app):
    url, folder, _ = corpus_app
    page = _page(browser)
    _open(page, url)
    before = set(folder.parent.iterdir())
    archive = _zip({"../zipped.txt": "Zipped bulletin\n\nThe ferry to the north island now sails twice a day.\n",
                    "../../../../tmp/far.txt": "Far bulletin\n\nA lighthouse keeper retired after forty years.\n",
                    ".hidden.txt": "hidden"})
    outcome = _upload(page, [("../escape.txt", b"Escape bulletin\n\nThe town library opened a map room.\n"),
                             ("bundle.zip", archive)])
    names = {name.split("/")[-1]: status for name, (status, _) in outcome.items()}
    assert names["zipped.txt"] == "added" and names["far.txt"] == "added" and names[".hidden.txt"] == "skipped"
    assert [status for name, (status, _) in outcome.items() if name.endswith("escape.txt")] == ["added"]
    for name in ("escape.txt", "zipped.txt", "far.txt"):
        assert (folder / name).is_file()
    assert set(folder.parent.iterdir()) == before  # nothing was written beside the corpus folder
    assert not Path("/tmp/far.txt").exists() or Path("/tmp/far.txt").read_text() != "Far bulletin"
    assert not list(folder.glob(".*"))  # no hidden file, no staging folder left
    for name in ("escape.txt", "zipped.txt", "far.txt"):  # tidy up for the next test
        _row_action(page, name, "ask-remove")
        _row_action(page, name, "remove")
        page.locator(f'#rag-upload-outcome li.rag-outcome-removed code:text-is("{name}")').wait_for()
    assert page.errors == []
    page.context.close()


@pytest.mark.parametrize("width, height", [(390, 844), (1280, 900)])
def test_the_app_and_its_panel_fit_narrow_and_wide_screens(browser, corpus_app, width, height):
    url, _, _ = corpus_app
    page = _page(browser, width, height)
    _open(page, url)
    _ask(page, BRIDGE)
    for selector in ("#rag-header h1", "#memo-answer", "#memo-conversation", "#new", "#question textarea", "#ask"):
        box = page.locator(selector).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, (selector, box)
    subtitle = page.locator("#rag-header p").bounding_box()
    assert subtitle["width"] >= 0.6 * min(width, 1000) and subtitle["height"] < 120  # not one word per line
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width  # no sideways scrolling
    page.screenshot(path=str(SHOTS / f"22-app-{width}px.png"), full_page=True)
    _panel(page)
    page.locator('#rag-article-list tr[data-source]').first.wait_for()
    for selector in ("#rag-upload", "#rag-replace", "#rag-find", '#rag-article-list .rag-art-act[data-action="open"]'):
        box = page.locator(selector).first.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, (selector, box)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    page.locator("#rag-articles-panel").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"23-articles-panel-{width}px.png"), full_page=True)
    assert page.errors == []
    page.context.close()


def test_an_upload_waits_with_a_message_while_another_ingest_runs(browser, corpus_app):
    from filelock import FileLock
    from playwright.sync_api import expect

    url, folder, log = corpus_app
    page = _page(browser)
    _open(page, url)
    _panel(page)
    lock = FileLock(str(folder.parent / "db" / "ingest.lock"))
    lock.acquire()  # as `rag ingest` in a terminal would
    try:
        page.locator("#rag-upload input[type=file]").set_input_files(
            [{"name": "waiting.txt", "mimeType": "text/plain", "buffer": b"Waiting bulletin\n\nThe pier reopened.\n"}])
        expect(page.get_by_text("Another ingest is writing the index").first).to_be_visible()
        assert not (folder / "waiting.txt").exists()  # nothing touches the folder while the other ingest runs
        page.locator("#rag-upload-outcome").scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "24-upload-waits-for-ingest.png"))
    finally:
        lock.release()
    expect(page.locator("#rag-upload-outcome li.rag-outcome-added")).to_contain_text("waiting.txt")
    assert (folder / "waiting.txt").exists()
    _row_action(page, "waiting.txt", "ask-remove")
    _row_action(page, "waiting.txt", "remove")
    expect(page.locator("#rag-upload-outcome li.rag-outcome-removed")).to_contain_text("waiting.txt")
    assert page.errors == [] and "Traceback" not in log.read_text(encoding="utf-8", errors="replace")
    page.context.close()
