"""Reading a model's reply: markers in the forms small models write, sentences, declines; what the prompt shows."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from rag.answering.grounding import Claim, check_claims, is_decline, plain, read_reply
from rag.readers.llm_markers import canonical, numbers_in
from rag.answering.llm_passages import (Passage, choose, format_passages, header, question_hint, reading_order,
                                        tokens)
from rag.types import Chunk


@pytest.mark.parametrize("reply, expected", [
    ("The striker scored twice [2].", "The striker scored twice [2]."),
    ("The striker scored twice [1, 3].", "The striker scored twice [1][3]."),
    ("The striker scored twice [1][3].", "The striker scored twice [1][3]."),
    ("The striker scored twice [Source 2].", "The striker scored twice [2]."),
    ("The striker scored twice [sentence 2-3].", "The striker scored twice [2][3]."),
    ("The striker scored twice (2).", "The striker scored twice [2]."),
    ("The striker scored twice (Sources 1 and 3).", "The striker scored twice [1][3]."),
    ("The striker scored twice\u30102\u3011.", "The striker scored twice [2]."),
    ("The striker scored twice\u30102\u2020source\u3011.", "The striker scored twice [2]."),
    ("The striker scored twice.[^2]", "The striker scored twice. [2]"),
    ("The striker scored twice [S2].", "The striker scored twice [2]."),
    ("Source 2: The striker scored twice.", "The striker scored twice [2]."),
    ("According to sentence 2, the striker scored twice.", "The striker scored twice [2]."),
    ("The striker scored twice, as stated in sentence 2.", "The striker scored twice [2]."),
])
def test_every_marker_form_becomes_brackets(reply, expected):
    assert canonical(reply, 3) == (expected, [])


def test_numbers_out_of_range_are_reported_and_a_year_in_brackets_stays_text():
    assert canonical("The telescope launched in (2021) [4].", 3) == ("The telescope launched in (2021).", [4])
    assert canonical("Prices fell (5).", 3) == ("Prices fell (5).", [])  # a bare (5) of 3 passages is not a marker
    assert canonical("The merger closed [Source 7, 1].", 3) == ("The merger closed [1].", [7])
    assert numbers_in("2, 4-6 and 9") == [2, 4, 5, 6, 9]


def test_reply_sentences_keep_their_markers_and_short_leads_join_the_next_sentence():
    claims, dropped = read_reply("**Answer:** No. The museum reopened in May (2). Tickets cost 12 euros [1] [5]", 3)
    assert claims == [Claim("No. The museum reopened in May.", (2,)), Claim("Tickets cost 12 euros", (1,))]
    assert dropped == [5]
    claims, _ = read_reply("- The rover found clay [1].\n- It drilled twice [2].", 2)
    assert [c.text for c in claims] == ["The rover found clay.", "It drilled twice."]


@pytest.mark.parametrize("sentence, declined", [
    ("The corpus does not say.", True),
    ("The provided sentences do not mention the transfer fee.", True),
    ("There is no information about the box office.", True),
    ("I cannot determine the winner from these sentences.", True),
    ("The mayor did not mention the budget [2].", False),
    ("The studio does not release figures, the report said.", False),
])
def test_declines_are_told_from_claims(sentence, declined):
    assert is_decline(sentence) is declined


@dataclass
class _Result:
    score: float
    index: int = 0
    end: int = 10**9  # where the quote the check rests on ends in its text (the toy checks read whole texts)
    start: int = 10**9  # ... and where it starts: in the cited sentence itself unless a toy says otherwise


def _toy_check(claim: str, texts: list[str]) -> _Result:
    """A stand-in for rag.support.check: the share of the claim's words in the best text."""
    words = set(claim.lower().strip(".").split())
    shares = [len(words & set(t.lower().strip(".").split())) / len(words) for t in texts]
    best = max(range(len(texts)), key=shares.__getitem__)
    return _Result(shares[best], best)


def test_claims_keep_good_pointers_drop_wrong_ones_and_are_repointed_or_marked():
    passages = ["the comet passed earth in march", "the probe weighed 300 kg", "the launch was delayed twice"]
    claims = [Claim("The comet passed Earth in March.", (1, 3)),  # one wrong pointer among two
              Claim("The probe weighed 300 kg.", (3,)),  # wrong pointer, another passage supports it
              Claim("The probe weighed 300 kg.", ()),  # no marker, a passage supports it
              Claim("The crew landed on Mars.", (2,))]  # nothing supports it
    checked = check_claims(claims, passages, _toy_check, 0.5)
    assert [(c.cites, c.supported, c.repointed) for c in checked] == [
        ((0,), True, False), ((1,), True, True), ((1,), True, True), ((1,), False, False)]


def test_a_claim_only_the_passages_together_support_is_not_pinned_on_one_of_them():
    def union_check(claim: str, texts: list[str]) -> _Result:
        # supported only by two passages read together, as a check weighing the whole evidence may find
        return _Result(0.9 if len(texts) > 1 else 0.3, 0)

    (checked,) = check_claims([Claim("The comet passed Earth and the probe weighed 300 kg.", ())],
                              ["the comet passed earth", "the probe weighed 300 kg"], union_check, 0.5)
    assert checked.supported is False and checked.cites == ()


def test_symbols_glued_to_words_are_spaced_for_the_check_only():
    assert plain("\u25b2tin \u25b2zinc cost $5") == " tin  zinc cost $5"


def _chunk(source: str, title: str = "", date: str = "") -> Chunk:
    return Chunk(source, source, f"/tmp/{source}", 0, 100, "x" * 100, title=title, date=date)


def test_the_prompt_takes_the_best_sentences_within_the_budget_grouped_by_article():
    films, cities = _chunk("films.txt", "Festival report"), _chunk("cities.txt", "Transit plan", "2024-03-01")
    ranked = [Passage(cities, 40, 60, "The tram line opens in 2026.", 0.9),
              Passage(films, 10, 30, "The jury gave the prize to a debut.", 0.8),
              Passage(cities, 0, 20, "The council approved the plan on Monday after a long debate about costs "
                                     "and the route through the old town.", 0.7),
              Passage(films, 50, 70, "Ticket sales rose.", 0.6)]
    picked = choose(ranked, budget=59)  # 34 + 18 + 7 estimated tokens, the first line of an article with its header
    assert [p.text for p in picked] == [ranked[0].text, ranked[1].text, ranked[3].text]  # the long one did not fit
    text = format_passages(reading_order(picked))
    assert text.splitlines() == ['Article "Transit plan" (2024-03-01):', "[1] The tram line opens in 2026.",
                                 'Article "Festival report":', "[2] The jury gave the prize to a debut.",
                                 "[3] Ticket sales rose."]
    assert tokens("The bridge opened in 1932.") == 10  # the test model's tokenizer: 10 (a token per digit)


def test_the_token_estimate_counts_digits_symbols_and_wide_characters_apart_from_words():
    # Real counts of the test model's tokenizer, for comparison: 10, 4, 9 and 2.
    assert tokens("2031-07-15") >= 9  # a date is ten tokens, not the two its length would suggest
    assert 3 <= tokens("Ticket sales rose.") <= 5
    assert tokens("\u25b2tin \u25b2zinc \u25b2lead") > tokens("tin zinc lead") + 2  # each symbol is paid for
    assert tokens("\u8336\u56ed\u6625\u5b63") >= 2
    assert tokens("") == 1 and tokens("word " * 50) > tokens("word " * 10)


def test_the_budget_counts_headers_and_wide_characters_and_still_shows_two_sentences():
    harbour = _chunk("harbour.txt", "Dredging of the northern harbour channel resumes after the winter storms",
                     "2023-11-02")
    tea = _chunk("tea.txt", "\u8336\u56ed\u6625\u5b63\u91c7\u6458\u5f00\u59cb")  # a title in wide characters
    assert header(harbour) == 'Article "Dredging of the northern harbour channel resumes..." (2023-11-02):'
    assert tokens(header(harbour)) <= 12 + tokens('Article "" (2023-11-02):')
    long_line = "The dredger worked through the night, clearing silt from the berths used by the ferries " \
                "and the fishing fleet, while the pilots waited offshore for the tide."
    ranked = [Passage(harbour, 0, 150, long_line, 0.9),
              Passage(tea, 0, 30, "Pickers started on the upper terraces.", 0.8),
              Passage(tea, 40, 60, "Rain delayed the second flush.", 0.7)]
    picked = choose(ranked, budget=20)  # the best alone is over budget; nothing else fits beside it
    assert [p.text for p in picked] == [long_line, ranked[2].text]  # the cheaper of the next ones, not none
    assert choose(ranked, budget=400) == [Passage(p.chunk, p.start, p.end, p.text, p.score) for p in ranked]


def test_a_hint_only_for_yes_no_and_comparison_questions():
    assert question_hint("Did the orchestra tour Japan?").startswith("It is a yes or no question")
    assert question_hint("How do the two vaccines compare on side effects?").startswith("It is a comparison")
    assert question_hint("Was the sequel longer than the original?").startswith("It is a yes or no question")
    assert question_hint("Who directed the film?") == ""
    assert question_hint("Is the stadium in the north or the south?") == ""


def test_a_sentence_is_checked_with_the_text_before_it_and_keeps_its_own_pointer():
    sentences = ["The orchard opened in May.", "It sold 900 crates.", "Frost came late."]
    contexts = [sentences[0], sentences[0] + " " + sentences[1], " ".join(sentences)]
    claim = Claim("The orchard sold 900 crates.", (2,))
    (with_context,) = check_claims([claim], sentences, _toy_check, 0.9, contexts=contexts)
    (alone,) = check_claims([claim], sentences, _toy_check, 0.9)
    assert with_context.supported and with_context.cites == (1,)  # "It" is read with the sentence naming it
    assert not alone.supported
    (unmarked,) = check_claims([Claim("The orchard sold 900 crates.", ())], sentences, _toy_check, 0.9,
                               contexts=contexts)
    assert unmarked.supported and unmarked.cites == (1,)  # not the later sentence whose context also holds it


def _sentence_check(claim: str, texts: list[str]) -> _Result:
    """A stand-in that, like rag.support.check, rests on one sentence: the share of the claim's words in the best
    sentence joined with the sentence before it (a pronoun read with its antecedent), and where that sentence ends."""
    words = set(claim.lower().strip(".").split())
    best = _Result(-1.0)
    for index, text in enumerate(texts):
        parts = [p for p in text.split(". ") if p]
        end = 0
        for n, part in enumerate(parts):
            end = text.index(part, end) + len(part)
            window = " ".join(parts[max(0, n - 1):n + 1]).lower().replace(".", "").split()
            share = len(words & set(window)) / len(words)
            if share > best.score:
                best = _Result(share, index, end)
    return best


def test_support_found_only_in_the_text_before_the_cited_sentence_is_not_the_citations():
    sentences = ["The dam was finished in 1931.", "It holds 40 tonnes of fish.", "Its turbines came later."]
    contexts = [sentences[0], sentences[0] + " " + sentences[1], " ".join(sentences)]
    (pronoun,) = check_claims([Claim("The dam holds 40 tonnes of fish.", (2,))], sentences, _sentence_check, 0.9,
                              contexts=contexts)
    assert pronoun.supported and pronoun.cites == (1,)
    # cites the third sentence, whose context holds the first: the support is the first sentence's, re-pointed there
    (borrowed,) = check_claims([Claim("The dam was finished in 1931.", (3,))], sentences, _sentence_check, 0.9,
                               contexts=contexts)
    assert borrowed.supported and borrowed.cites == (0,) and borrowed.repointed


def test_plain_spaces_every_symbol_but_money_percent_and_comparison_signs():
    import unicodedata

    text = "▲rye ►oats ★ 5% $3 €2 £1 ¥9 a+b<c=d>e x^y `q` p|r ~s © ™ — “fine” ½ 東京"
    expected = "".join(" " if unicodedata.category(ch).startswith("S") and ch not in "$%€£¥+<=>" else ch for ch in text)
    assert plain(text) == expected and plain(text) == plain(text)  # the table fills on first use, then reads
    assert plain("▲rye") == " rye" and plain("5% $3 a<b") == "5% $3 a<b"


@dataclass
class _Spanned:
    score: float
    index: int
    start: int
    end: int


def test_a_claim_whose_support_began_in_the_sentence_before_cites_from_that_sentence():
    from rag.answering.llm import Evidence, _widened

    document = "Rain closed the pass. The ferry to the island ran twice a day. It carried 40 cars."
    own = document.index("It carried")
    chunk = Chunk("c1", "isle.txt", "/tmp/isle.txt", 0, len(document), document)
    passage = Passage(chunk, own, len(document), document[own:])
    ferry = document.index("ferry")  # the passage's context is the chunk up to it: here the whole document

    def check(claim: str, texts: list[str]) -> _Spanned:  # "It carried 40 cars" alone does not name the ferry
        return _Spanned(0.9, 0, ferry, len(texts[0])) if "ferry" in texts[0] else _Spanned(0.3, 0, 0, len(texts[0]))

    (checked,) = check_claims([Claim("The island ferry carried 40 cars.", (1,))], [passage.text], check, 0.5,
                              contexts=[document])
    assert checked.supported and checked.cites == (0,) and checked.begins == ((0, ferry),)
    evidence = Evidence(settings=None, text_of=lambda c: document, encode=None, extractive=None)
    widened = _widened(evidence, passage, dict(checked.begins)[0])
    assert widened.text == "The ferry to the island ran twice a day. It carried 40 cars."
    assert document[widened.start:widened.end] == widened.text
    assert _widened(evidence, passage, None) == passage


def test_a_claim_its_sentence_supports_alone_keeps_its_span_and_one_needing_the_context_shows_the_sentence_before():
    document = "Rain closed the pass. The ferry ran twice a day. It carried 40 cars."
    own = document.index("It carried")

    def check(claim: str, texts: list[str]) -> _Spanned:  # the quote is always "It carried 40 cars."
        holds = "ferry" in texts[0] or "ferry" not in claim
        return _Spanned(0.9 if holds else 0.3, 0, len(texts[0]) - len(document[own:]), len(texts[0]))

    alone, needs = check_claims([Claim("It carried 40 cars.", (1,)), Claim("The ferry carried 40 cars.", (1,))],
                                [document[own:]], check, 0.5, contexts=[document])
    assert alone.supported and alone.begins == ()
    assert needs.supported and needs.begins == ((0, document.index("The ferry")),)


def test_the_prompt_budget_pays_for_the_question_before_any_sentence():
    from rag.answering.llm import Evidence, build_messages, prompt_passages
    from rag.settings import Settings

    orchard = _chunk("orchard.txt", "Orchard notes")
    ranked = [Passage(orchard, i * 40, i * 40 + 30, f"The pickers filled {i + 2} crates before noon.", 1 - i / 10)
              for i in range(8)]
    settings = Settings(llm_prompt_tokens=150, _env_file=None)
    evidence = Evidence(settings, None, None, None, sentences=lambda q, h: ranked)
    short = "How many crates?"
    long = "How many crates did the pickers fill on the upper terraces of the orchard before the rain came " \
           "in from the west and the foremen sent everyone home for the rest of the week?"
    few, many = prompt_passages(evidence, long, ["hit"]), prompt_passages(evidence, short, ["hit"])
    assert 2 <= len(few) < len(many)
    for question, passages in ((short, many), (long, few)):
        user = build_messages(settings, question, passages)[-1][1]
        assert tokens(user) <= 150 + 10  # the whole user message, give or take the per-line rounding


def test_an_unmarked_claim_cites_the_sentence_that_supports_it_alone_not_the_pooled_best_quote():
    def pooling_check(claim: str, texts: list[str]) -> _Result:
        # Like rag.support.check over several texts: the words of all of them count together, and the quote it
        # names is the text sharing the most words with the claim's opening, which need not be the one that holds
        # its substance.
        words = set(claim.lower().strip(".").split())
        pooled = set(" ".join(texts).lower().strip(".").split())
        opening = [len(set(claim.lower().split()[:3]) & set(t.lower().split())) for t in texts]
        share = len(words & pooled) / len(words)
        return _Result(share if len(texts) > 1 else len(words & set(texts[0].lower().strip(".").split())) / len(words),
                       max(range(len(texts)), key=opening.__getitem__))

    passages = ["officials reportedly said the ferry was late", "the night ferry carried 40 cars across the bay"]
    (checked,) = check_claims([Claim("Officials reportedly said the night ferry carried 40 cars.", ())], passages,
                              pooling_check, 0.5)
    assert checked.supported and checked.cites == (1,) and checked.repointed
