"""Shaped answers in the chat bubble: a timeline as a dated list, a comparison as one block per source, a yes/no
answer with its verdict first; markers, popovers, the legend and "unsupported" flags as in running text, and
document text escaped. Invented articles in several domains."""
from __future__ import annotations

from bs4 import BeautifulSoup

from rag.types import Answer, Citation, Sentence
from ui.render import answer_html

EVIL = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'
FILES = {
    "cycling.txt": "Riverside Cycling Club\n2024-06-30\n\nThe club signed a new head coach on 15 January. "
                   "The coach named a captain the same week. The club won its first stage race in March. "
                   f"The sponsor, {EVIL}, renewed its deal in June.",
    "review_a.txt": "Harbour Lights, reviewed\n2023-11-02\n\nThe film runs two hours and feels slow in the middle. "
                    "Its score is the best thing in it.",
    "review_b.txt": "A quiet triumph\n2023-11-05\n\nThe film is a quiet triumph. The lead actor carries every scene.",
    "lab.txt": "Observatory notes\n2025-02-10\n\nThe new telescope saw first light on 3 February. "
               "The merger of the two institutes closed a week later.",
}


def _cite(marker: int, source: str, quote: str, title: str = "", date: str = "") -> Citation:
    start = FILES[source].index(quote)
    return Citation(marker, source, f"/corpus/{source}", start, start + len(quote), quote, title, date)


def _answer(shape: str, pairs, cites, question="q?") -> Answer:
    """pairs: (sentence text, markers, label, supported)."""
    sentences = tuple(Sentence(text, tuple(m), 1.0 if ok else 0.1, ok, label) for text, m, label, ok in pairs)
    text = " ".join(f"{s.text}" + "".join(f"[{m}]" for m in s.citations) for s in sentences)
    return Answer(question, text, False, tuple(cites), sentences, shape=shape)


def _soup(markup: str) -> BeautifulSoup:
    return BeautifulSoup(markup, "html.parser")


def _no_live_markup(soup: BeautifulSoup) -> None:
    assert not soup.find_all(["script", "img"]) and not soup.find_all(attrs={"onerror": True})


def _chip_follows_its_sentence(chip) -> None:
    """app.js lights the sentence a marker belongs to: the nearest .rag-sent among its earlier siblings."""
    assert any("rag-sent" in (sib.get("class") or []) for sib in chip.find_previous_siblings())


def _timeline() -> Answer:
    c = [_cite(1, "cycling.txt", "The club signed a new head coach on 15 January.", "Riverside Cycling Club",
               "2024-06-30"),
         _cite(2, "cycling.txt", "The coach named a captain the same week."),
         _cite(3, "cycling.txt", "The club won its first stage race in March."),
         _cite(4, "cycling.txt", f"The sponsor, {EVIL}, renewed its deal in June.")]
    return _answer("timeline", [
        ("The season so far, in order.", (), "", True),
        ("The club signed a new head coach.", (1,), "2024-01-15", True),
        ("The coach named a captain.", (2,), "2024-01-15", True),
        ("The club won its first stage race.", (3,), "2024-03", True),
        (f"The sponsor {EVIL} renewed its deal.", (4,), "2024-06", False),
        ("One event has no date and is left out.", (), "", True)], c)


def test_a_timeline_is_a_dated_list_in_order_with_every_marker():
    soup = _soup(answer_html(_timeline(), 3))
    body = soup.select_one(".rag-answer .rag-text.rag-shape-timeline")
    assert body is not None and body.select_one("p.rag-intro .rag-sent").get_text() == "The season so far, in order."
    items = body.select("ol.rag-timeline > li.rag-event")
    assert [li.select_one(".rag-event-date").get_text() for li in items] == ["15 January 2024", "March 2024",
                                                                              "June 2024"]
    # the date comes first in its item, then the sentences of that date with their markers
    assert items[0].contents[0].get("class") == ["rag-event-date"]
    assert [s.get_text() for s in items[0].select(".rag-sent")] == ["The club signed a new head coach.",
                                                                     "The coach named a captain."]
    assert [[c.get("class")[-1] for c in li.select(".rag-cite")] for li in items] == [["rag-m-1", "rag-m-2"],
                                                                                      ["rag-m-3"], ["rag-m-4"]]
    for chip in body.select(".rag-cite"):
        assert "rag-t-3" in chip.get("class") and chip.select_one(".rag-pop-quote")
        _chip_follows_its_sentence(chip)
    assert body.select_one("ol.rag-timeline").find_next_sibling("p").get_text().startswith("One event")
    assert soup.select_one(".rag-legend") is not None


def test_unsupported_sentences_and_document_markup_stay_flagged_and_inert_in_a_shape():
    markup = answer_html(_timeline(), 1)
    soup = _soup(markup)
    _no_live_markup(soup)
    last = soup.select("li.rag-event")[-1]
    flagged = last.select_one(".rag-sent.rag-unsupported")
    assert flagged is not None and EVIL in flagged.get_text() and last.select_one(".rag-flag")
    assert EVIL in last.select_one(".rag-pop-quote").get_text()  # the quote, shown as text
    assert soup.select_one(".rag-hint .rag-flag") is not None  # the explanation under the answer


def _comparison(meta_title: bool = False) -> Answer:
    a = _cite(1, "review_a.txt", "The film runs two hours and feels slow in the middle.", "Harbour Lights, reviewed",
              "2023-11-02")
    a2 = _cite(2, "review_a.txt", "Its score is the best thing in it.")
    b = _cite(3, "review_b.txt", "The film is a quiet triumph.", "" if meta_title else f"A quiet triumph {EVIL}",
              "2023-11-05")
    b2 = _cite(4, "review_b.txt", "The lead actor carries every scene.")
    return _answer("comparison", [
        ("The two reviews differ on pace.", (1, 3), "", True),
        ("The film feels slow in the middle.", (1,), "review_a.txt", True),
        ("It is called a quiet triumph.", (3,), "review_b.txt", True),
        ("Its score is the best thing in it.", (2,), "review_a.txt", True),
        ("The lead actor carries every scene.", (4,), "review_b.txt", True)], (a, a2, b, b2))


def test_a_comparison_is_one_block_per_source_headed_by_its_title_and_date():
    soup = _soup(answer_html(_comparison(), 2))
    body = soup.select_one(".rag-text.rag-shape-comparison")
    assert body.select_one("p.rag-intro .rag-sent").get_text() == "The two reviews differ on pace."
    blocks = body.select(".rag-block")
    assert len(blocks) == 2
    heads = [b.select_one(".rag-block-head") for b in blocks]
    assert heads[0].select_one(".rag-block-title").get_text() == "Harbour Lights, reviewed"
    assert heads[0].select_one(".rag-block-date").get_text() == "2 November 2023" and "review_a.txt" in heads[0].get_text()
    assert heads[1].select_one(".rag-block-title").get_text() == f"A quiet triumph {EVIL}"  # escaped, shown as text
    assert [s.get_text() for s in blocks[0].select(".rag-sent")] == ["The film feels slow in the middle.",
                                                                      "Its score is the best thing in it."]
    assert [c.get("class")[-1] for c in blocks[1].select(".rag-cite")] == ["rag-m-3", "rag-m-4"]
    for chip in body.select(".rag-cite"):
        _chip_follows_its_sentence(chip)
    _no_live_markup(soup)


def test_a_comparison_heading_falls_back_to_the_manifest_then_the_file_name():
    meta = {"review_b.txt": ("A quiet triumph (manifest)", "2023-11-05")}
    heads = _soup(answer_html(_comparison(meta_title=True), 1, meta)).select(".rag-block-title")
    assert [h.get_text() for h in heads] == ["Harbour Lights, reviewed", "A quiet triumph (manifest)"]
    orphan = Answer("q?", "x", False, (), (Sentence("Nothing cited.", (), 0.0, False, "gone.txt"),), shape="comparison")
    soup = _soup(answer_html(orphan, 1))
    assert soup.select_one(".rag-block-title").get_text() == "gone.txt" and not soup.select(".rag-block-date")


def test_a_yes_no_answer_leads_with_its_verdict_in_bold_and_the_evidence_below():
    first_light = _cite(1, "lab.txt", "The new telescope saw first light on 3 February.", "Observatory notes",
                        "2025-02-10")
    merger = _cite(2, "lab.txt", "The merger of the two institutes closed a week later.")
    answer = _answer("yesno", [
        ("The telescope saw first light on 3 February.", (1,), "", True),
        ("Yes: the telescope saw first light before the merger closed.", (1, 2), "verdict", True),
        ("The merger closed a week later.", (2,), "", True)], (first_light, merger))
    markup = answer_html(answer, 5)
    soup = _soup(markup)
    body = soup.select_one(".rag-text.rag-shape-yesno")
    paragraphs = body.find_all("p", recursive=False)
    assert [p.get("class") for p in paragraphs] == [["rag-verdict"], ["rag-evidence"]]
    verdict = paragraphs[0].select_one("b .rag-sent")
    assert verdict.get_text().startswith("Yes: the telescope")
    assert [c.get("class")[-1] for c in paragraphs[0].select(".rag-cite")] == ["rag-m-1", "rag-m-2"]
    assert [s.get_text() for s in paragraphs[1].select(".rag-sent")] == ["The telescope saw first light on 3 February.",
                                                                        "The merger closed a week later."]
    assert markup.index("Yes: the telescope") < markup.index("The telescope saw first light on 3 February.")


def test_plain_shapes_and_unlabelled_shaped_answers_render_as_running_text():
    c = _cite(1, "review_b.txt", "The film is a quiet triumph.")
    pairs = [("The film is a quiet triumph.", (1,), "", True)]
    fact = answer_html(_answer("fact", pairs, (c,)), 1)
    for shape in ("reason", "summary", "timeline", "comparison", "yesno"):
        assert answer_html(_answer(shape, pairs, (c,)), 1) == fact
    soup = _soup(fact)
    assert soup.select_one("p.rag-text .rag-sent") is not None and not soup.select(".rag-shape")


def test_an_abstention_is_shown_as_today_whatever_its_shape():
    related = (_cite(1, "lab.txt", "The new telescope saw first light on 3 February."),)
    answer = Answer("q?", "The articles do not say.", True, (), (), related, shape="timeline")
    soup = _soup(answer_html(answer, 1))
    assert soup.select_one(".rag-abstain") is not None and not soup.select(".rag-shape, .rag-cite")
