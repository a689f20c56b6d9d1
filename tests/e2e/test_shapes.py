"""Shaped answers in the real browser: the real answerer over a small invented corpus, the real Gradio app and
Debian's Chromium. A timeline shows as a dated list in order, a comparison as one block per source headed by
its title and date, a yes/no answer with its verdict first; markers still reveal their quotes and select
their passages, and the memo keeps the shape."""
from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest import small_corpus
from tests.e2e.test_browser import _ask, _in_process_app, _open, _shot, _squash, page  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

ARTICLES = {
    "bridge_herald.txt": """Harbour bridge opens after three years of work
2024-09-14

The new harbour bridge in Porthaven opened to traffic on 12 September 2024.
Work on the bridge began on 3 March 2021, when the first pile was driven into the estuary.
The steel deck of the bridge was completed in May 2023, two months behind schedule.
The city council put the final cost of the bridge at 410 million euros.
Engineers said the bridge can carry 40,000 vehicles a day.
""",
    "bridge_gazette.txt": """Porthaven bridge <b>finally</b> open, but over budget
2024-09-13

Porthaven's harbour bridge opened on 12 September 2024 after a year of delays.
The council's auditors put the cost of the bridge at 455 million euros, well above the first estimate of 300 million.
Residents near the estuary complained about noise during the bridge works.
""",
    "film_festival.txt": """Lakeside film festival names its winners
2024-10-02

The Lakeside film festival gave its top prize to a documentary about beekeepers.
The jury praised the film's patient camera work.
Ticket sales rose by a fifth compared with last year.
""",
}
TIMELINE = "What is the timeline of the Porthaven harbour bridge?"
COMPARE = "How do the articles differ on the Porthaven harbour bridge?"
YESNO = "Did the Porthaven harbour bridge open in September 2024?"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, embedder):
    return small_corpus(tmp_path_factory.mktemp("shapes_ui"), ARTICLES, embedder)


def _when(words: str) -> tuple[int, ...]:
    """A rendered date back to a sortable tuple: '3 March 2021' -> (2021, 3, 3); 'May 2023' -> (2023, 5)."""
    for pattern, size in (("%d %B %Y", 3), ("%B %Y", 2), ("%Y", 1)):
        try:
            parsed = datetime.strptime(words.strip(), pattern)
        except ValueError:
            continue
        return (parsed.year, parsed.month, parsed.day)[:size]
    raise AssertionError(f"not a date: {words!r}")


def _file_slice(settings, source: str, start: str, end: str) -> str:
    return Path(settings.source_dir, source).read_text(encoding="utf-8")[int(start):int(end)]


def test_timeline_comparison_and_verdict_render_in_their_shape(page, corpus):
    from playwright.sync_api import expect

    settings, assistant = corpus
    with _in_process_app(assistant) as url:
        _open(page, url)

        # a timeline: dated items in order, each with its sentence and markers
        bubble = _ask(page, TIMELINE, ".rag-shape-timeline")
        events = bubble.locator(".rag-shape-timeline ol.rag-timeline > li.rag-event")
        assert events.count() >= 2, bubble.inner_html()
        dates = [_when(d) for d in events.locator(".rag-event-date").all_inner_texts()]
        assert dates == sorted(dates)
        for i in range(events.count()):
            assert events.nth(i).locator(".rag-sent").count() and events.nth(i).locator(".rag-cite").count()
        _shot(page, "30-timeline.png")

        # its markers work as in running text: the quote on hover, the passage selected on click
        chip = events.first.locator(".rag-cite").first
        chip.hover()
        expect(page.locator("#rag-popover")).to_be_visible()
        chip.click()
        selected = page.locator("#rag-sources .rag-passage.selected")
        expect(selected).to_have_count(1)
        opener = selected.locator(".rag-open")
        quote = _file_slice(settings, *(opener.get_attribute(a) for a in ("data-source", "data-start", "data-end")))
        assert selected.locator("mark").inner_text() == quote
        assert _squash(quote) in _squash(page.locator("#rag-popover").inner_text())

        # the memo keeps the timeline as a dated list, with footnotes quoting the files
        with page.expect_download() as info:
            page.locator("#memo-answer").click()
        memo = Path(info.value.path()).read_text(encoding="utf-8")
        items = re.findall(r"^- \*\*(.+?)\*\*: .+\[\^\d+\]", memo, re.M)
        assert [_when(d) for d in items] == dates
        for _, text, name, a, b in re.findall(r'^\[\^(\d+)\]: "(.+)" — `([^`]+)`.*characters (\d+)–(\d+)\.$', memo,
                                              re.M):
            assert text == _squash(_file_slice(settings, name, a, b))

        # a comparison: one block per source, headed by the file's title and date
        bubble = _ask(page, COMPARE, ".rag-shape-comparison")
        blocks = bubble.locator(".rag-shape-comparison .rag-block")
        assert blocks.count() >= 2, bubble.inner_html()
        heads = {"bridge_herald.txt": ("Harbour bridge opens after three years of work", "14 September 2024"),
                 "bridge_gazette.txt": ("Porthaven bridge <b>finally</b> open, but over budget",  # shown as text
                                        "13 September 2024")}
        assert blocks.locator(".rag-block-head b").count() == 0
        seen = set()
        for i in range(blocks.count()):
            block = blocks.nth(i)
            name = block.locator(".rag-block-head .rag-muted").inner_text()
            seen.add(name)
            if name in heads:
                assert (block.locator(".rag-block-title").inner_text(),
                        block.locator(".rag-block-date").inner_text()) == heads[name]
            wheres = block.locator(".rag-cite .rag-pop-where").all_text_contents()
            assert wheres and all(w.startswith(name) for w in wheres)  # the block cites its own file
        assert seen >= set(heads)
        # both files give the opening day; one also dates the deck: more detail, not a difference
        assert "The sources differ" not in bubble.inner_text(), bubble.inner_text()
        _shot(page, "31-comparison.png")

        # a yes/no answer: the verdict first, in bold, its evidence below
        bubble = _ask(page, YESNO, ".rag-shape-yesno")
        first = bubble.locator(".rag-shape-yesno > *").first
        assert first.evaluate("e => e.matches('p.rag-verdict')"), bubble.inner_html()
        assert first.inner_text().lower().startswith("yes")
        # "Yes: the articles state it" stands on its claims' checks: not flagged unsupported (it was, when the check
        # stage read the verdict's own words against the quotes)
        assert first.inner_text().startswith("Yes: the articles state it"), first.inner_text()
        assert first.locator(".rag-flag, .rag-unsupported").count() == 0, first.inner_html()
        assert int(first.locator(".rag-sent").first.evaluate("e => getComputedStyle(e).fontWeight")) >= 700
        assert first.locator(".rag-cite").count() or bubble.locator(".rag-evidence .rag-cite").count()
        _shot(page, "32-verdict.png")
        assert page.errors == []
