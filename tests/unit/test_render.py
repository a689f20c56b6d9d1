"""Unit tests for the UI's pure parts: HTML rendering (escaping, markers, banners), the paragraph window, the
article viewer markup, and the host/login checks."""
from __future__ import annotations

import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rag.errors import RagError
from rag.settings import Settings
from rag.types import Answer, Citation, Conflict, Sentence
from ui.render import Turn, answer_html, chat_messages, chip, colour, draft_html, error_html, esc, user_html
from ui.safety import is_loopback, launch_options, parse_auth
from ui.session import llm_backend, memo_name
from ui.sources import highlight, paragraph_window, sources_html
from ui.viewer import article_html, coerce_span

EVIL = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'
TEXT = f"Title line\nThe quota rises to 41 tonnes {EVIL} next year. Another sentence follows here.\nLast line."


def _cite(marker=1, source="a.txt", quote=None, title="", date="") -> Citation:
    quote = quote if quote is not None else TEXT[11:TEXT.index(" Another")]
    start = TEXT.find(quote)
    return Citation(marker, source, f"/corpus/{source}", start, start + len(quote), quote, title, date)


def _visible_text(markup: str) -> str:
    """What a browser would show as text (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def _no_live_markup(markup: str) -> None:
    """No document-originated tag or handler survives as markup."""
    lowered = markup.lower()
    assert "<script" not in lowered and "<img" not in lowered and "onerror=" not in lowered.replace("onerror=&quot;", "")


def test_esc_escapes_tags_and_quotes():
    assert esc('<b a="1">') == "&lt;b a=&quot;1&quot;&gt;"
    assert esc("it's") == "it&#x27;s"


def test_chip_carries_turn_and_marker_as_classes_and_the_quote_escaped():
    c = _cite(3, title="T <i>", date="2025-01-02")
    markup = chip(c, 2)
    assert 'class="rag-cite rag-c2 rag-t-2 rag-m-3"' in markup
    assert ">3<span class=\"rag-pop\">" in markup
    _no_live_markup(markup)
    assert EVIL in _visible_text(markup) and "T <i>" in _visible_text(markup)
    assert "characters" in markup and "2025-01-02" in markup


def test_colour_cycles_through_the_palette():
    assert [colour(m) for m in (1, 2, 8, 9)] == ["rag-c0", "rag-c1", "rag-c7", "rag-c0"]


def test_answer_html_escapes_document_text_and_marks_unsupported_sentences():
    c = _cite()
    answer = Answer("q?", c.quote + "[1] Made up.[1]", False, (c,),
                    (Sentence(c.quote, (1,), 1.0, True), Sentence("Made up <b>claim</b>.", (1,), 0.12, False)))
    markup = answer_html(answer, 1)
    _no_live_markup(markup)
    assert "<b>claim" not in markup and "&lt;b&gt;claim" in markup
    assert markup.count('class="rag-sent rag-unsupported"') == 1
    assert "support 0.12" in markup and '<span class="rag-flag"' in markup
    assert 'class="rag-legend"' in markup and "a.txt" in markup


def test_a_sentence_without_citations_is_unsupported():
    answer = Answer("q?", "Nothing cited.", False, (), (Sentence("Nothing cited.", (), 0.0, True),))
    markup = answer_html(answer, 1)
    assert "rag-unsupported" in markup and "No cited passage supports this sentence" in markup


def test_abstention_is_labelled_and_points_to_related_passages():
    related = (_cite(1), _cite(2, "b.txt"))
    answer = Answer("q?", "The corpus does not say.", True, (), (), related)
    markup = answer_html(answer, 1)
    assert "Not in the articles" in markup and "2 related passages (not support)" in markup
    assert "rag-cite" not in markup  # related passages are never shown as support


def test_conflict_banner_lists_each_value_with_its_markers_and_files():
    a, b = _cite(1, "a.txt"), _cite(2, "b.txt")
    answer = Answer("q?", "X[1] Y[2]", False, (a, b), (Sentence("X", (1,), 1.0, True), Sentence("Y", (2,), 1.0, True)),
                    conflicts=(Conflict("person", (("Takaichi", (1,)), ("Koizumi <x>", (2,), ("b.txt",), True))),))
    markup = answer_html(answer, 4)
    assert "Sources disagree</span> on who it is:" in markup and "(minority report)" in markup and "<b>Takaichi</b>" in markup and "Koizumi &lt;x&gt;" in markup
    assert "rag-t-4 rag-m-1" in markup and "rag-t-4 rag-m-2" in markup and "in b.txt" in markup


def test_answer_without_sentence_records_turns_markers_into_chips():
    c = _cite()
    markup = answer_html(Answer("q?", "Plain <u>text</u> [1] and [7].", False, (c,)), 1)
    assert "rag-m-1" in markup and "[7]" in markup and "&lt;u&gt;" in markup


def test_notice_user_draft_and_error_are_escaped():
    assert user_html("<b>?") == '<div class="rag-q">&lt;b&gt;?</div>'
    assert "&lt;img" in draft_html("<img src=x> [1]") and "rag-caret" in draft_html("")
    markup = error_html("LLM endpoint unavailable (<down>)")
    assert "Could not answer" in markup and "&lt;down&gt;" in markup and 'role="alert"' in markup
    notice = answer_html(Answer("q", "a", False, notice="cut <here>"), 1)
    assert "cut &lt;here&gt;" in notice


def test_chat_messages_pairs_each_turn_with_its_state():
    c = _cite()
    turns = [Turn("one?", answer=Answer("one?", "x[1]", False, (c,), (Sentence("x", (1,), 1.0, True),))),
             Turn("two?", error="index missing"), Turn("three?", draft="partial [1")]
    messages = chat_messages(turns)
    assert [m["role"] for m in messages] == ["user", "assistant"] * 3
    assert "rag-t-1" in messages[1]["content"] and "index missing" in messages[3]["content"]
    assert "partial [1" in messages[5]["content"] and "rag-draft" in messages[5]["content"]


def test_paragraph_window_is_the_line_or_nearby_sentences_of_a_long_line():
    text = "A b.\nC d. E f.\nG."
    assert paragraph_window(text, 5, 9) == (5, 14)
    long = " ".join(f"Sentence number {i} is here." for i in range(60))
    start = long.index("Sentence number 30")
    end = long.index(" Sentence number 31")
    lo, hi = paragraph_window(long, start, end, context=60)
    assert lo < start and hi > end and hi - lo < 3 * 60 + (end - start)
    assert long[lo:].startswith("Sentence number") and long[:hi].endswith(".")


def test_highlight_marks_the_quote_and_shows_cuts():
    assert highlight("a <b> c", 2, 5, 0, 7) == "a <mark>&lt;b&gt;</mark> c"
    text = "One two. Three four. Five six."
    assert highlight(text, 9, 20, 9, 20) == "… <mark>Three four.</mark> …"


def test_sources_panel_groups_by_file_highlights_in_paragraph_and_escapes():
    a1, a2, b = _cite(1, "a.txt", title="Alpha"), _cite(2, "a.txt", "Last line."), _cite(3, "b.txt")
    turn = Turn("q <1>?", answer=Answer("q", "x", False, (a1, a2, b), ()))
    markup = sources_html([turn], lambda s: TEXT)
    _no_live_markup(markup)
    assert markup.count('<article class="rag-file">') == 2
    assert "Alpha" in markup and "2 passages" in markup and "q &lt;1&gt;?" in markup
    assert f"<mark>{esc(a1.quote)}</mark>" in markup and 'data-source="a.txt"' in markup
    assert f'data-start="{a1.start}" data-end="{a1.end}"' in markup


def test_sources_panel_for_abstention_says_related_not_support_and_keeps_old_turns():
    answered = Turn("first?", answer=Answer("first?", "x", False, (_cite(1),), ()))
    abstained = Turn("second?", answer=Answer("second?", "no", True, (), (), (_cite(1, "b.txt"),)))
    markup = sources_html([answered, Turn("failed?", error="down"), abstained], lambda s: None)
    assert "not as support" in markup and 'class="rag-turn active" data-turn="3"' in markup
    assert 'class="rag-turn" data-turn="1"' in markup and 'data-turn="2"' not in markup
    assert '<button type="button" class="rag-turn-btn" data-turn="1"' in markup
    assert "Ask a question" in sources_html([])


def test_sources_panel_falls_back_to_the_quote_when_the_text_changed():
    markup = sources_html([Turn("q", answer=Answer("q", "x", False, (_cite(1),), ()))], lambda s: "other text")
    assert f"<mark>{esc(_cite(1).quote)}</mark>" in markup


def test_article_html_marks_focus_and_other_spans_per_line():
    assert article_html("a<b>c", [], (1, 4)) == '<p class="rag-line">a<mark class="rag-hit" id="rag-hit">&lt;b&gt;</mark>c</p>'
    markup = article_html("ab\ncd\nef", [(0, 1), (1, 6)], (1, 4))
    assert markup.count('id="rag-hit"') == 1 and markup.count('class="rag-hit"') == 2
    assert '<mark class="rag-also">a</mark>' in markup  # (1, 6) overlaps the focus: dropped


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab <>&\"'\n=x")), max_size=60), st.data())
def test_article_html_shows_every_character_once_and_no_live_tags(text, data):
    spans = data.draw(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=4))
    focus = data.draw(st.one_of(st.none(), st.tuples(st.integers(0, 60), st.integers(0, 60))))
    focus = coerce_span(*focus, len(text)) if focus else None
    markup = article_html(text, spans, focus)
    lines = re.findall(r"<p class=\"rag-line[^\"]*\">(.*?)</p>", markup)
    assert "\n".join(_visible_text(line) for line in lines) == text
    assert not re.search(r"<(?!/?(p|mark)\b)", markup)


def test_coerce_span_rejects_anything_outside_the_text():
    assert coerce_span("3", 7, 10) == (3, 7)
    for bad in ((-1, 4), (4, 4), (5, 11), ("x", 2), (None, 3), (2.5, "9z")):
        assert coerce_span(*bad, 10) is None


def test_loopback_hosts():
    assert all(is_loopback(h) for h in ("127.0.0.1", "localhost", "::1", "[::1]", "127.8.9.10"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "192.168.1.4", "::", "example.org", ""))


def test_parse_auth():
    assert parse_auth("ana:s3:cret") == ("ana", "s3:cret")
    assert parse_auth(None) is None and parse_auth("") is None
    for bad in ("ana", ":pw", "ana:"):
        with pytest.raises(RagError, match="user:password"):
            parse_auth(bad)


def test_launch_options_binds_loopback_and_requires_a_login_elsewhere():
    assert launch_options(Settings()) == {"server_name": "127.0.0.1", "server_port": 7860, "auth": None}
    with pytest.raises(RagError, match="RAG_UI_AUTH"):
        launch_options(Settings(ui_host="0.0.0.0"))
    opts = launch_options(Settings(ui_host="0.0.0.0", ui_auth="ana:pw", ui_port=8001))
    assert opts == {"server_name": "0.0.0.0", "server_port": 8001, "auth": ("ana", "pw")}
    assert launch_options(Settings(ui_auth="ana:pw"))["auth"] == ("ana", "pw")  # loopback may also ask for it


def test_memo_name_and_llm_backend():
    assert memo_name("Who is PM?") == "memo-who-is-pm.md"
    assert memo_name("???") == "memo-answer.md"
    assert memo_name("word " * 30) == "memo-" + "-".join(["word"] * 12) + ".md"
    assert llm_backend(Settings()) is None
    assert llm_backend(Settings(llm="ollama")) == "ollama"
    assert llm_backend(Settings(llm_base_url="http://127.0.0.1:9/v1")) == "openai"
    assert llm_backend(Settings(llm_base_url="http://127.0.0.1:11434")) == "ollama"


def test_a_resolved_follow_up_says_how_it_was_understood_escaped():
    sentence = Sentence("The quota rises.", (1,), 1.0, True)
    plain = Answer("And <b>then</b>?", "The quota rises.[1]", False, (_cite(),), (sentence,),
                   standalone_question="And <b>then</b>?")
    assert "rag-understood" not in answer_html(plain, 1)
    follow = Answer("And <b>then</b>?", "The quota rises.[1]", False, (_cite(),), (sentence,),
                    standalone_question=f"And <b>then</b> (quota {EVIL})?")
    page = answer_html(follow, 2)
    assert "Understood as: And &lt;b&gt;then&lt;/b&gt; (quota" in page
    assert "<script>" not in page and "<b>then" not in page
    assert page.index("rag-understood") < page.index("rag-text")


def test_quotes_under_a_generated_answer_render_as_an_escaped_list_under_a_heading():
    c = _cite()
    answer = Answer("q?", "x", False, (c,), (Sentence("The quota rises next year.", (1,), 0.9, True),
                                              Sentence(c.quote, (1,), 1.0, True, "quoted")))
    markup = answer_html(answer, 1)
    _no_live_markup(markup)
    head, quotes = markup.split('class="rag-quoted"')
    assert "The quota rises next year." in _visible_text(head)
    assert "From the articles" in _visible_text(quotes) and quotes.count("<li>") == 1
    assert "41 tonnes" in _visible_text(quotes)
