"""rag.readers.speech on tiny invented reports in several domains: a quoted sentence's speaker is named before
its quotation opened, across sentences, paragraphs and a colon lead-in; a sentence outside quotes has none."""
from __future__ import annotations

from rag.readers.speech import speaker_context


def _context(text: str, sentence: str) -> str:
    start = text.index(sentence)
    return speaker_context(text, start, start + len(sentence))


def test_a_sentence_inside_a_quotation_reads_the_words_before_it_opened():
    text = "The coach spoke after the final. “We were tired. Nobody gave up.” Fans sang outside."
    assert "The coach spoke" in _context(text, "Nobody gave up.”")
    assert _context(text, "Fans sang outside.") == ""
    assert _context(text, "The coach spoke after the final.") == ""


def test_a_quotation_continued_in_a_new_paragraph_keeps_its_speaker():
    text = ("“The harvest was late,” said the grower, Ida Holm. “Prices will rise.\n\n"
            "“Buyers should order early. Stocks are thin.”\n\nThe market opens on Monday.")
    assert "Ida Holm" in _context(text, "“Buyers should order early.")
    assert "Ida Holm" in _context(text, "Stocks are thin.”")
    assert _context(text, "The market opens on Monday.") == ""


def test_a_statement_introduced_by_a_colon_is_the_speaker_s():
    text = "The museum said in an email:\n\nWe regret closing the east wing for repairs.\n\nEntry stays free."
    assert "The museum said" in _context(text, "We regret closing the east wing for repairs.")
    assert _context(text, "Entry stays free.") == ""


def test_straight_quotes_pair_by_parity_and_a_long_lead_in_is_cut_to_whole_sentences():
    lead = "The board met twice. " * 20
    text = lead + 'The chair, Rui Costa, wrote: "The vote was fair. We will publish the minutes."'
    context = _context(text, "We will publish the minutes.")
    assert "Rui Costa" in context and context.startswith("The ")
    assert len(context) <= 300 + len('"The vote was fair. ')  # the reach counts back from the quotation's opening
    assert _context('He said "no" twice. The rain stopped.', "The rain stopped.") == ""


def test_a_quotation_left_open_ends_with_its_paragraph_written_one_a_line():
    # One paragraph a line, a closing mark missing: the lines after it are not the speaker's words.
    text = ("The ferry line, Nordvik, posted a notice. “Crossings resume at noon.\n"
            "Storms closed the harbour for two days.\n"
            "Subscribe to our newsletter for sailing updates!")
    assert "Nordvik" in _context(text, "“Crossings resume at noon.")
    assert _context(text, "Storms closed the harbour for two days.") == ""
    assert _context(text, "Subscribe to our newsletter for sailing updates!") == ""


def test_a_wrapped_line_inside_a_sentence_does_not_end_the_quotation():
    text = "The chef, Aino Berg, said: “We buy from local\nfarms only. Menus change weekly.”"
    assert "Aino Berg" in _context(text, "Menus change weekly.”")
