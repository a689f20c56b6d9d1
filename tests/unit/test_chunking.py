"""Pure chunking and sentence splitting: exact offsets on tiny strings, then properties over generated text."""
from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings, strategies as st

from ingest.chunking import ChunkSpan, chunk_id, chunk_spans, find_date, find_title, text_sha
from rag.textspans import paragraph_spans, sentence_spans
from rag.types import Span

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _blank(ch: str) -> bool:
    return ch.isspace() or ch == "\ufeff"


# ---- sentences


def test_sentences_split_at_full_stops_and_keep_abbreviations_and_decimals():
    text = "Mr. Abe spoke. Prices rose 3.5 percent in the U.S. market. Why? Because!"
    got = [text[s.start:s.end] for s in sentence_spans(text)]
    assert got == ["Mr. Abe spoke.", "Prices rose 3.5 percent in the U.S. market.", "Why?", "Because!"]


def test_sentences_never_cross_a_line_and_skip_blank_lines():
    text = "One line\n\n  Two. Three.  \n"
    assert sentence_spans(text) == [Span(0, 8), Span(12, 16), Span(17, 23)]


def test_sentences_of_chinese_text_split_at_ideographic_stops():
    text = "中国正研究收紧出口。日本表示关注！"
    got = [text[s.start:s.end] for s in sentence_spans(text)]
    assert got == ["中国正研究收紧出口。", "日本表示关注！"]


def test_sentences_inside_a_range_have_offsets_into_the_whole_text():
    text = "Skip me. Keep this. And this."
    spans = sentence_spans(text, 9, len(text))
    assert [text[s.start:s.end] for s in spans] == ["Keep this.", "And this."]


def test_crlf_lines_and_a_byte_order_mark_stay_outside_sentences():
    text = "\ufeffHeadline\r\nFirst one. Second one.\r\n"
    assert [text[s.start:s.end] for s in sentence_spans(text)] == ["Headline", "First one.", "Second one."]
    assert paragraph_spans(text) == [Span(1, 9), Span(11, 33)]


# ---- chunks


def test_chunk_example_from_the_docstring():
    assert chunk_spans("A b. C d.", size=5, overlap=0) == [ChunkSpan(0, 4, 0), ChunkSpan(5, 9, 0)]


def test_chunks_pack_whole_sentences_up_to_size():
    text = "Aaaa aaaa. Bbbb bbbb. Cccc cccc. Dddd dddd."
    chunks = chunk_spans(text, size=21, overlap=0)
    assert [text[c.start:c.end] for c in chunks] == ["Aaaa aaaa. Bbbb bbbb.", "Cccc cccc. Dddd dddd."]


def test_overlap_repeats_trailing_whole_sentences():
    text = "Aaaa aaaa. Bbbb bbbb. Cccc cccc. Dddd dddd."
    chunks = chunk_spans(text, size=32, overlap=10)
    assert [text[c.start:c.end] for c in chunks] == ["Aaaa aaaa. Bbbb bbbb. Cccc cccc.", "Cccc cccc. Dddd dddd."]


def test_a_short_headline_before_a_long_paragraph_is_not_repeated_as_its_own_chunk():
    # Regression: the overlap step once made a second chunk lying wholly inside the first.
    text = "Headline\nSource·2026-01-06 21:46\n\n" + "Word " * 80 + "end."
    chunks = chunk_spans(text, size=100, overlap=40)
    for a, b in zip(chunks, chunks[1:]):
        assert b.start > a.start and b.end > a.end
    assert text[chunks[0].start:chunks[0].end] == "Headline\nSource·2026-01-06 21:46"


def test_a_sentence_longer_than_size_is_cut_at_spaces():
    text = "word " * 30 + "end."
    chunks = chunk_spans(text.strip(), size=50, overlap=0)
    assert all(c.end - c.start <= 50 for c in chunks)
    assert all(text[c.start] != " " and text[c.end - 1] != " " for c in chunks)


def test_paragraph_number_is_that_of_the_first_sentence():
    text = "\nFirst para here.\n\nSecond para here.\nThird para."
    chunks = chunk_spans(text, size=20, overlap=0)
    assert [(text[c.start:c.end], c.paragraph) for c in chunks] == [
        ("First para here.", 0), ("Second para here.", 1), ("Third para.", 2)]


def test_offsets_are_exact_after_leading_blank_lines_crlf_and_unicode():
    text = "\r\n\r\n\ufeff稀土出口!新闻\r\nSou Hu·2026-01-06 21:46\r\n\r\nÉté déjà. Ünïcödé “quotes” — 🙂 here.\r\n"
    chunks = chunk_spans(text, size=30, overlap=0)
    pieces = [text[c.start:c.end] for c in chunks]
    assert pieces[0].startswith("稀土出口!新闻")
    assert "Été déjà." in "".join(pieces) and "🙂 here." in pieces[-1]
    assert all("\r" not in p[-1:] and p == p.strip() for p in pieces)


def test_empty_and_blank_text_have_no_chunks():
    assert chunk_spans("", 450, 120) == []
    assert chunk_spans(" \r\n\t\ufeff\n", 450, 120) == []


def test_tiny_size_still_terminates():
    assert [c.end - c.start for c in chunk_spans("abcdef", size=0, overlap=5)] == [1] * 6


def test_seed_chunks_index_the_file_exactly():
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_bytes().decode("utf-8")
        chunks = chunk_spans(text, 450, 120)
        assert chunks, path
        for c in chunks:
            assert 0 <= c.start < c.end <= len(text) and c.end - c.start <= 450
            assert not _blank(text[c.start]) and not _blank(text[c.end - 1])
        covered = _covered(chunks, len(text))  # including the bullet dashes of seed 000's digest
        assert all(covered[i] for i, ch in enumerate(text) if not _blank(ch)), path


# ---- title, date, ids


def test_title_and_date_of_the_first_seed():
    text = (SEEDS / "000_8f9c442d9b9343c7.txt").read_text(encoding="utf-8")
    assert find_title(text) == "突发特迅!有消息称:中国正研究收紧对日稀土出口许可审查,引发全球高度关注"
    assert find_date(text) == "2026-01-06"


def test_seed_starting_with_an_empty_line_has_no_title_but_exact_first_chunk():
    text = (SEEDS / "001_31eb75d010c8577d.txt").read_text(encoding="utf-8")
    assert text.startswith("\n")
    assert find_title(text) == ""  # the first line is a full sentence, not a headline
    first = chunk_spans(text, 450, 120)[0]
    assert first.start == 1 and text[first.start:first.end].startswith("On January 6th")


def test_title_of_the_third_seed_is_its_headline():
    text = (SEEDS / "003_2f1f56654b205bbf.txt").read_text(encoding="utf-8")
    assert find_title(text) == "China's Rare Earth Export Ban Hits Japanese Defense Sector"


def test_title_rules():
    assert find_title("Big News\nBody text.") == "Big News"
    assert find_title("\ufeff\r\n# Markdown Head\r\nBody.") == "Markdown Head"
    assert find_title("A full sentence ends with a stop.\nMore.") == ""
    assert find_title("") == ""


def test_dates_iso_and_long_form_only_near_the_top():
    assert find_date("Title\nSou Hu·2026-01-06 21:46") == "2026-01-06"
    assert find_date("Title\nPublished January 6, 2026\nBody.") == "2026-01-06"
    assert find_date("Title\nNo date here.\nBody.") == ""
    body = "\n".join(f"Line {i}." for i in range(10)) + "\n2026-01-06"
    assert find_date(body) == ""  # a date deep in the body is not the article's date


def test_chunk_ids_depend_on_source_document_content_and_span():
    sha = text_sha("Hello. Hello.")
    a = chunk_id("a.txt", sha, 0, 6)
    assert a == chunk_id("a.txt", sha, 0, 6) and len(a) == 32 and int(a, 16) >= 0
    variants = {a, chunk_id("b.txt", sha, 0, 6), chunk_id("a.txt", text_sha("Hello. Hello!"), 0, 6),
                chunk_id("a.txt", sha, 7, 13)}
    assert len(variants) == 4  # another file, an edit anywhere in the document, the same text elsewhere
    assert text_sha("a") == "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"


# ---- properties

_TOKENS = [" - ", " – Next", "[1]", " [2][3] ", "Mr.", "Dr.", "U.S.", "3.5", "word", "Word", "中国", "稀土。", "！",
           "?", "!", ".", ". ", "... ",
           "“quote.”", "é", "🙂", " ", "  ", "\t", "\n", "\r\n", "\n\n", "\u00a0", "\u3000", "a", "Z", "-", "·"]
_texts = st.one_of(st.lists(st.sampled_from(_TOKENS), max_size=80).map("".join),
                   st.text(max_size=200),
                   st.lists(st.sampled_from(_TOKENS), max_size=40).map(lambda t: "\ufeff" + "".join(t)))


def _covered(spans, n):
    covered = [False] * n
    for s in spans:
        for i in range(s.start, s.end):
            covered[i] = True
    return covered


@settings(max_examples=300, deadline=None)
@given(_texts)
def test_sentence_spans_are_ordered_trimmed_and_cover_all_text(text):
    spans = sentence_spans(text)
    covered = _covered(spans, len(text))
    for a, b in zip(spans, spans[1:]):
        assert a.end <= b.start
    for s in spans:
        assert 0 <= s.start < s.end <= len(text)
        assert not _blank(text[s.start]) and not _blank(text[s.end - 1])
        assert "\n" not in text[s.start:s.end]
    # Only the dash of a spaced bullet ("Insights - China") may lie between sentences.
    assert all(covered[i] or ch in "-–•▪" for i, ch in enumerate(text) if not _blank(ch))


@settings(max_examples=300, deadline=None)
@given(_texts, st.integers(min_value=1, max_value=120), st.integers(min_value=0, max_value=60))
def test_chunk_spans_cover_every_character_within_size_and_advance(text, size, overlap):
    chunks = chunk_spans(text, size, overlap)
    covered = _covered(chunks, len(text))
    assert all(covered[i] for i, ch in enumerate(text) if not _blank(ch))
    paragraphs = paragraph_spans(text)
    for c in chunks:
        assert 0 <= c.start < c.end <= len(text) and c.end - c.start <= size
        assert not _blank(text[c.start]) and not _blank(text[c.end - 1])
        para = next(i for i, p in enumerate(paragraphs) if p.start <= c.start < p.end)
        assert c.paragraph == para
    for a, b in zip(chunks, chunks[1:]):
        assert a.start < b.start and a.end < b.end  # no chunk repeats or lies inside another
        assert b.start >= a.end - overlap  # overlap never exceeds the setting


def test_the_first_sentences_alone_are_the_same_spans_as_all_of_them_cut():
    texts = ["Hi there. On Apr. 4 it rained.\nA new line starts. Then more.",
             "- Oats rose 3.5% in May.\n- Barley fell. Wheat held.\n\nThe mill closed [2]. It reopened in June.",
             "No full stop at all", "  \n  ", "Dr. Lee met Mr. Ode. They spoke. 它下雨了。然后晴了。"]
    for text in texts:
        for start in (0, 3, 10):
            every = sentence_spans(text, start)
            for most in (1, 2, 3):
                assert sentence_spans(text, start, most=most) == every[:most], (text, start, most)
