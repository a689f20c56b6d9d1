"""rag.names: the one name finder, read whole (values) or cut into the names a run joins (abstain, citations)."""
from rag.names import is_name_word, name_key, name_runs, name_words, same_name


def test_a_run_is_read_whole_with_its_connectors_initials_and_numbers():
    runs = [name for name, _, _ in name_runs("The trophy went to Ann B. Carter of Port Wexley in 1998.")]
    assert runs == ["The", "Ann B. Carter of Port Wexley"]
    assert [n for n, _, _ in name_runs("She drove the Falcon 9 to Lake Orin.")] == ["She", "Falcon 9", "Lake Orin"]


def test_parts_cut_a_run_at_connectors_numbers_and_possessives():
    question = "Did the Harbour Times and Delta Radio say Norland's Trade Office opened Gate 7?"
    parts = [name for name, _, _ in name_runs(question, parts=True)]
    assert parts == ["Did", "Harbour Times", "Delta Radio", "Norland", "Trade Office", "Gate"]


def test_a_name_inside_a_word_is_no_name():
    assert [n for n, _, _ in name_runs("the iPhone and 6PPD-quinone")] == []


def test_the_end_of_a_run_is_where_it_ends_in_the_text():
    text = "Ask Ann Lee's aide."
    ((name, start, end),) = list(name_runs(text))
    assert (name, text[start:end]) == ("Ask Ann Lee", "Ask Ann Lee's")


def test_name_words_split_as_the_index_does_and_name_word_needs_two_letters():
    assert name_words("Jean-Luc O'Neil Jr.") == ["Jean", "Luc", "O", "Neil", "Jr"]
    assert is_name_word("Acme") and is_name_word("FTC") and not is_name_word("A") and not is_name_word("acme")


def test_name_keys_compare_variants():
    assert name_key("Zoë B. Ortiz's") == "zoe ortiz"
    assert same_name(name_key("Ortiz"), name_key("Zoë Ortiz")) and not same_name("zoe ortiz", "ann lee")


def test_a_word_capitalised_only_by_its_place_is_no_name():
    from rag.names import names

    # A contraction of a function word, a day or a month alone, a word opening a clause: none names anything.
    assert [v.text for v in names("I’ve seen worse, said Ann Lee.")] == ["Ann Lee"]
    assert [v.text for v in names("We're ready. Wednesday was busy in the bakery.")] == []
    assert [v.text for v in names("While Acme grew, Bo Lin left the choir.")] == ["Acme", "Bo Lin"]
    # A name with an apostrophe stays whole.
    assert [v.text for v in names("The tenor, Sean O’Neil, sang.")] == ["Sean O’Neil"]
