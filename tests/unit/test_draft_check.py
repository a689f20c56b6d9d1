"""The draft check's markup and sentence splitting on tiny inputs."""
from rag.drafts import CheckedSentence, draft_sentences
from rag.types import Citation
from ui.draft_check import draft_html


def test_draft_sentences_drop_markers_and_empty_pieces():
    assert draft_sentences("Sales rose 5% [1]. Costs fell.[2][3] [4]") == ["Sales rose 5%.", "Costs fell."]


def test_draft_html_escapes_sentences_and_quotes():
    quote = Citation(1, "a<b>.txt", "/x", 0, 9, "<i>quote</i>")
    markup = draft_html([CheckedSentence("A <b>bold</b> claim.", "contradicted", 0.31, (quote,))])
    assert "&lt;b&gt;bold&lt;/b&gt;" in markup and "&lt;i&gt;quote&lt;/i&gt;" in markup and "a&lt;b&gt;.txt" in markup
    assert ">contradicted</span>" in markup and "0.31" in markup and "<b>" not in markup
