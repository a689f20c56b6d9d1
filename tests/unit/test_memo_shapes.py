"""The memo keeps an answer's shape: a timeline as a dated list, a comparison as one sub-heading per source, a
yes/no answer's verdict first; footnotes quote the files exactly, as for any answer. Invented articles."""
from __future__ import annotations

import re

from rag.memo import conversation_markdown, to_markdown
from rag.types import Answer, Citation, Sentence

FILES = {
    "bakery.txt": "Corner bakery expands\n2022-09-01\n\nThe bakery opened a second shop in May 2022.\nIts "
                  "sourdough   won a regional prize\nin August.",
    "council_a.txt": "City council approves tram\n2021-04-12\n\nThe council approved the tram line by 31 votes to 9.",
    "council_b.txt": "Tram vote splits council\n2021-04-13\n\nNine members voted against the tram, citing its cost.",
    "chem.txt": "Lab report\n2020-01-20\n\nThe catalyst cut the reaction time by half. The yield did not change.",
}


def _cite(marker: int, source: str, quote: str, title: str = "", date: str = "") -> Citation:
    start = FILES[source].index(quote)
    return Citation(marker, source, f"/docs/{source}", start, start + len(quote), quote, title, date)


def _answer(shape: str, pairs, cites, question: str) -> Answer:
    sentences = tuple(Sentence(text, tuple(m), 1.0 if ok else 0.1, ok, label) for text, m, label, ok in pairs)
    text = " ".join(s.text + "".join(f"[{m}]" for m in s.citations) for s in sentences)
    return Answer(question, text, False, tuple(cites), sentences, shape=shape)


def _footnotes_quote_the_files(memo: str) -> None:
    notes = re.findall(r'^\[\^(\d+)\]: "(.+)" — `([^`]+)`.*characters (\d+)–(\d+)\.$', memo, re.M)
    assert notes
    for _, quote, source, start, end in notes:
        assert quote == " ".join(FILES[source][int(start):int(end)].split())
    used = {int(n) for n in re.findall(r"\[\^(\d+)\](?!:)", memo)}
    assert used == {int(n) for n, *_ in notes}


def _timeline() -> Answer:
    shop = _cite(1, "bakery.txt", "The bakery opened a second shop in May 2022.", "Corner bakery expands", "2022-09-01")
    prize = _cite(2, "bakery.txt", "Its sourdough   won a regional prize\nin August.")
    return _answer("timeline", [("The bakery opened a second shop.", (1,), "2022-05", True),
                                ("Its sourdough won\na regional prize.", (2,), "2022-08", True),
                                ("One earlier event has no date.", (), "", False)],
                   (shop, prize), "When did the bakery grow?")


def test_a_timeline_memo_is_a_dated_list_in_order_with_footnotes():
    memo = to_markdown(_timeline())
    items = [line for line in memo.splitlines() if line.startswith("- ")]
    assert items == ["- **May 2022**: The bakery opened a second shop.[^1]",
                     "- **August 2022**: Its sourdough won a regional prize.[^2]"]  # one line each
    assert memo.startswith("## When did the bakery grow?\n\n- **May 2022**")
    assert "One earlier event has no date." in memo.split(items[-1])[1]
    assert "*Not supported by the cited passages:* One earlier event has no date." in memo
    _footnotes_quote_the_files(memo)


def test_a_comparison_memo_has_one_sub_heading_per_source_with_title_and_date():
    a = _cite(1, "council_a.txt", "The council approved the tram line by 31 votes to 9.",
              "City council approves tram", "2021-04-12")
    b = _cite(2, "council_b.txt", "Nine members voted against the tram, citing its cost.",
              "Tram vote\nsplits council", "2021-04-13")
    answer = _answer("comparison", [("The articles report the same vote.", (1, 2), "", True),
                                    ("The line was approved by 31 votes to 9.", (1,), "council_a.txt", True),
                                    ("Nine members voted against, citing cost.", (2,), "council_b.txt", True)],
                     (a, b), "How do the articles describe the tram vote?")
    memo = to_markdown(answer)
    assert [line for line in memo.splitlines() if line.startswith("### ")] == [
        "### City council approves tram, 12 April 2021 (`council_a.txt`)",
        "### Tram vote splits council, 13 April 2021 (`council_b.txt`)"]
    intro, first, second = memo.split("### ")
    assert "The articles report the same vote.[^1][^2]" in intro
    assert "The line was approved by 31 votes to 9.[^1]" in first and "Nine members" not in first
    assert "Nine members voted against, citing cost.[^2]" in second
    _footnotes_quote_the_files(memo)


def test_a_yes_no_memo_opens_with_the_verdict_in_bold():
    faster = _cite(1, "chem.txt", "The catalyst cut the reaction time by half.", "Lab report", "2020-01-20")
    same = _cite(2, "chem.txt", "The yield did not change.")
    answer = _answer("yesno", [("The reaction time was halved.", (1,), "", True),
                               ("No: the yield did not rise.", (2,), "verdict", True)],
                     (faster, same), "Did the catalyst raise the yield?")
    memo = to_markdown(answer)
    body = memo.split("\n\n")
    assert body[1] == "**No: the yield did not rise.**[^2]" and body[2] == "The reaction time was halved.[^1]"
    _footnotes_quote_the_files(memo)


def test_unshaped_answers_keep_the_running_text():
    c = _cite(1, "chem.txt", "The yield did not change.")
    answer = _answer("reason", [("The yield did not change.", (1,), "", True)], (c,), "Why?")
    assert to_markdown(answer).split("\n\n")[1] == "The yield did not change.[^1]"
    unlabelled = _answer("timeline", [("The yield did not change.", (1,), "", True)], (c,), "Why?")
    assert to_markdown(unlabelled) == to_markdown(answer)


def test_a_conversation_memo_renumbers_shaped_footnotes_and_keeps_question_headings():
    memo = conversation_markdown([_timeline(), _timeline()])
    assert [line[3:] for line in memo.splitlines() if line.startswith("## ")] == ["When did the bakery grow?"] * 2
    items = [line for line in memo.splitlines() if line.startswith("- **")]
    assert [re.findall(r"\[\^(\d+)\]", line) for line in items] == [["1"], ["2"], ["3"], ["4"]]
    _footnotes_quote_the_files(memo)


def test_a_generated_answer_memo_lists_its_quotes_under_a_heading_with_footnotes():
    faster = _cite(1, "chem.txt", "The catalyst cut the reaction time by half.")
    unchanged = _cite(2, "chem.txt", "The yield did not change.")
    answer = _answer("fact", [("The catalyst made the reaction faster.", (1,), "", True),
                              ("The catalyst cut the reaction time by half.", (1,), "quoted", True),
                              ("The yield did not change.", (2,), "quoted", True)],
                     (faster, unchanged), "What did the catalyst change?")
    memo = to_markdown(answer)
    body = memo.split("**From the articles:**")
    assert len(body) == 2 and "The catalyst made the reaction faster.[^1]" in body[0]
    assert "- The catalyst cut the reaction time by half.[^1]" in body[1]
    assert "- The yield did not change.[^2]" in body[1]
    _footnotes_quote_the_files(memo)
