"""The chat's example questions are data (prompts/examples.md), shown only for a corpus holding their key word."""
from tests.conftest import small_corpus
from ui.session import Session, example_lines


def test_example_lines_read_question_and_key_word_in_several_domains():
    text = "# comment|ignored\nWho won the 1998 final?|final\n\nWhat did Acme earn in 2024?| Revenue \nno bar here\n|x"
    assert example_lines(text) == [("Who won the 1998 final?", "final"), ("What did Acme earn in 2024?", "revenue")]


def test_examples_fit_the_corpus_they_were_written_for_and_vanish_elsewhere(assistant, tmp_path, embedder):
    shown = Session(assistant).examples()
    assert len(shown) == 4 and all(q.endswith("?") for q in shown)
    _, other = small_corpus(tmp_path, {"match.txt": "Rovers beat United 2-1 in the cup final on Saturday.\n"}, embedder)
    assert Session(other).examples() == []
    # Without the examples file the chat simply offers none.
    from rag.assistant import Assistant

    bare = Assistant(assistant.settings.with_(prompts_dir=tmp_path / "none"), embedder)
    assert Session(bare).examples() == []
