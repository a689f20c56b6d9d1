"""Property tests (hypothesis) that tests/unit/test_chunking.py, test_citations.py and test_metrics.py do not
already hold: sentence spans of a range, document chunks as stored, marker text left after parsing, question
cleaning, and the metrics not covered there (nDCG, quote validity, normalisation)."""
from __future__ import annotations

import math
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import assume, given, settings, strategies as st

from eval.metrics import fact_recall, ndcg_at_k, normalise, quote_validity
from ingest.chunking import chunk_spans, text_sha
from ingest.pipeline import document_chunks
from rag.assistant import clean_question
from rag.errors import BadQuestion
from rag.answering.citations import answer_sentences, parse_markers
from rag.readers.llm_markers import BOXED as _MARKER
from rag.textspans import paragraph_spans, sentence_spans

# Pieces of news text plus the awkward ones: CRLF, a byte-order mark, CJK stops, combining marks, emoji,
# zero-width and right-to-left characters, no-break and ideographic spaces, bullets, reference marks.
_TOKENS = ["The ", "China", " said", ".", ". ", "? ", "! ", "U.S.", "Apr. 4", "3.5%", " - ", " – ", "•", "[3]",
           "中国", "。", "é", "e\u0301", "🙂", "\u200b", "\u200f", "שלום", " ", "\t", "\n", "\r\n", "\n\n",
           "\u00a0", "\u3000", "\ufeff", "a", "Z", "1"]
_texts = st.one_of(st.lists(st.sampled_from(_TOKENS), max_size=120).map("".join), st.text(max_size=300))


def _blank(ch: str) -> bool:
    return ch.isspace() or ch == "\ufeff"


# ---- sentence spans: the same sentence wherever it is computed


@settings(max_examples=300, deadline=None)
@given(_texts)
def test_sentences_of_each_paragraph_are_the_sentences_of_the_whole_text(text):
    whole = sentence_spans(text)
    per_paragraph = [s for p in paragraph_spans(text) for s in sentence_spans(text, p.start, p.end)]
    assert per_paragraph == whole  # the chunker (per paragraph) and the answerer (whole text) agree


@settings(max_examples=300, deadline=None)
@given(_texts, st.data())
def test_sentences_of_any_range_stay_inside_it_and_cover_it(text, data):
    start = data.draw(st.integers(min_value=0, max_value=len(text)))
    end = data.draw(st.integers(min_value=start, max_value=len(text)))
    spans = sentence_spans(text, start, end)
    for a, b in zip(spans, spans[1:]):
        assert a.end <= b.start
    covered = set()
    for s in spans:
        assert start <= s.start < s.end <= end
        assert not _blank(text[s.start]) and not _blank(text[s.end - 1]) and "\n" not in text[s.start:s.end]
        covered.update(range(s.start, s.end))
    assert all(i in covered or text[i] in "-–•▪" for i in range(start, end) if not _blank(text[i]))


# ---- chunks as the ingest stores them


@settings(max_examples=200, deadline=None)
@given(_texts, st.sampled_from([(450, 120), (60, 20), (25, 0), (200, 199)]))
def test_document_chunks_quote_the_text_exactly_with_unique_ids(text, sizes):
    size, overlap = sizes
    chunks = document_chunks("a/b.txt", Path("/x/a/b.txt"), text, text_sha(text), size, overlap)
    assert [(c.start, c.end) for c in chunks] == [(s.start, s.end) for s in chunk_spans(text, size, overlap)]
    assert len({c.id for c in chunks}) == len(chunks)
    for c in chunks:
        assert c.text == text[c.start:c.end] and c.source == "a/b.txt"
        # offsets into the text decoded from the file's own bytes, CRLF and BOM included
        assert text.encode("utf-8", "surrogatepass").decode("utf-8", "surrogatepass")[c.start:c.end] == c.text
    assert [c.paragraph for c in chunks] == sorted(c.paragraph for c in chunks)
    again = document_chunks("a/b.txt", Path("/x/a/b.txt"), text, text_sha(text), size, overlap)
    assert again == chunks  # deterministic: a re-ingest of the same text writes nothing


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_TOKENS), min_size=1, max_size=80).map("".join))
def test_crlf_and_lf_files_chunk_the_same_visible_text(text):
    assume("\r" not in text)
    lf, crlf = text, text.replace("\n", "\r\n")
    size = 10_000  # one chunk per document, so only the line-ending handling differs

    def visible(t):
        return ["".join(ch for ch in t[c.start:c.end] if not _blank(ch)) for c in chunk_spans(t, size, 0)]

    assert visible(lf) == visible(crlf)


# ---- citation markers: whatever the model writes, no marker outside 1..n is left in the text


_MARKUP = st.lists(st.sampled_from(["[", "]", "[1]", "[2]", "[9]", "[12]", "1", "9", "0", ",", "-", "–", " ", ";",
                                    "Source ", "sources", "a", ".", "\n", "[1-3]", "[2, 9]"]), max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.one_of(_MARKUP, st.text(max_size=80)), st.integers(min_value=0, max_value=4))
def test_no_marker_survives_in_the_cleaned_text(text, n_sources):
    clean, kept, dropped = parse_markers(text, n_sources)
    assert _MARKER.search(clean) is None, (text, clean)  # e.g. "[[9]9]" must not leave "[9]" behind
    assert all(1 <= n <= n_sources for n in kept) and not any(1 <= n <= n_sources for n in dropped)
    for sentence in answer_sentences(text):
        assert _MARKER.search(parse_markers(sentence, n_sources)[0]) is None


# ---- questions: whatever arrives, what is asked is clean and bounded, or a BadQuestion


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400), st.integers(min_value=1, max_value=120))
def test_clean_question_is_printable_bounded_and_idempotent(raw, limit):
    try:
        question, notice = clean_question(raw, limit)
    except BadQuestion as exc:
        assert "empty" in str(exc)
        assert not "".join(ch for ch in raw if unicodedata.category(ch)[0] != "C").strip()
        return
    assert question and question == question.strip() and len(question) <= limit
    assert not any(unicodedata.category(ch)[0] == "C" for ch in question)
    assert "  " not in question
    assert bool(notice) == (len(" ".join("".join(ch if unicodedata.category(ch)[0] != "C" else " "
                                                  for ch in raw).split())) > limit)
    assert clean_question(question, limit) == (question, "")


def test_clean_question_rejects_non_text():
    for value in (None, 42, b"bytes", ["list"]):
        with pytest.raises(BadQuestion, match="must be text"):
            clean_question(value, 100)


# ---- metrics not covered in test_metrics.py

_DOCS = st.sampled_from(list("abcdefg"))


@settings(max_examples=300, deadline=None)
@given(st.lists(_DOCS, max_size=12), st.dictionaries(_DOCS, st.integers(min_value=0, max_value=3), max_size=7),
       st.integers(min_value=1, max_value=12))
def test_ndcg_is_a_fraction_and_one_for_the_ideal_ranking(ranked, relevance, k):
    value = ndcg_at_k(ranked, relevance, k)
    if not any(g > 0 for g in relevance.values()):
        assert value is None
        return
    assert 0.0 <= value <= 1.0 + 1e-12
    ideal = sorted((d for d, g in relevance.items() if g > 0), key=lambda d: -relevance[d])
    assert math.isclose(ndcg_at_k(ideal + ranked, relevance, k), 1.0)
    assert ndcg_at_k([d for d in ranked if relevance.get(d, 0) <= 0], relevance, k) == 0.0


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=60), st.data())
def test_quote_validity_counts_exactly_the_true_quotes(text, data):
    texts = {"a": text}
    bounds = st.integers(min_value=0, max_value=len(text) - 1)
    starts = data.draw(st.lists(bounds, min_size=1, max_size=6))
    true = [("a", s, e, text[s:e]) for s in starts for e in [data.draw(st.integers(s + 1, len(text)))]]
    assert quote_validity(true, texts) == 1.0
    wrong = [("a", s, e, text[s:e] + "x") for _, s, e, _ in true] + [("missing", 0, 1, "q")]
    wrong += [("a", -1, len(text), text), ("a", 0, len(text) + 1, text), ("a", 1, 1, "")]  # out of range, empty
    assert quote_validity(wrong, texts) == 0.0
    assert math.isclose(quote_validity(true + wrong, texts), len(true) / (len(true) + len(wrong)))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_normalise_is_idempotent_and_fact_recall_ignores_case_and_spacing(text):
    once = normalise(text)
    assert normalise(once) == once and "  " not in once and once == once.strip()
    assume(once)
    spaced = "  " + re.sub(r" ", "\n\t ", once) + " "
    assert fact_recall(spaced, [text]) == 1.0
