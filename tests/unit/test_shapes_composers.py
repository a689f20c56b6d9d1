"""The shape composers (rag.answering.shaped) on tiny invented articles in several domains, with the real
embedding model's vectors and the real candidate scoring and support check: each picks the sentences its
shape asks for, every quote is the file's exact text at its offsets."""
from __future__ import annotations

import pytest

from rag.answering.extractive import Candidate, idf_weights, score_candidates
from rag.answering.answerers import scored_on_relevance
from rag.answering.shaped import shaped_answer
from rag.answering.shaped.common import is_statement, spread_pick, statements
from rag.answering.shaped.comparison import compose_comparison
from rag.answering.shaped.reaction import asked_actor, compose_reaction
from rag.answering.shaped.reason import compose_reason, states_cause
from rag.answering.shaped.summary import compose_list, compose_summary
from rag.answering.shaped.timeline import compose_timeline
from rag.answering.shaped.evidence import complement
from rag.answering.shaped.yesno import claims, compose_yesno, ordered_sides
from rag.support import check
from rag.textspans import content_terms, sentence_spans
from rag.types import Chunk, Hit


# Retrieved passages hold many sentences beside the answer's: a page of other news read with every file, so a
# composer meets a realistic pool (its relevance scale places each sentence among all it read).
OTHER_NEWS = {"other.txt": ("The bakery on Mill Lane won a regional award for its rye bread. A new cycling path "
                            "links the two villages along the canal. The library extended its weekend hours. "
                            "A choir from the valley toured three cities in the autumn. The lottery jackpot "
                            "rolled over for the fourth week. Volunteers planted 200 oak trees in the park.", "", "")}


def build(embedder, question: str, files: dict[str, tuple[str, str, str]]):
    """(candidates scored against the question, on the relevance the composers read, hits, texts) for files name -> (text, date, title), read with
    OTHER_NEWS."""
    candidates, hits, texts = [], [], {}
    for rank, (name, (text, date, title)) in enumerate({**files, **OTHER_NEWS}.items()):
        chunk = Chunk(name, name, f"/corpus/{name}", 0, len(text), text, title=title, date=date)
        hits.append(Hit(chunk, 1.0 / (rank + 1)))
        texts[name] = text
        candidates += [Candidate(chunk, s.start, s.end, text[s.start:s.end], rank) for s in sentence_spans(text)]
    vectors = embedder.encode([c.text for c in candidates])
    idf = idf_weights(content_terms(question), lambda term: 1, 10)
    score_candidates(question, embedder.query_vector(question), candidates, vectors, idf)
    return scored_on_relevance(candidates), hits, texts


def quotes_exact(answer, texts):
    return all(texts[c.source][c.start:c.end] == c.quote for c in answer.citations)


FERRY = {
    "gazette.txt": ("Island Ferry Halted\nThe island ferry stopped running on Monday because a storm damaged the "
                    "harbour ramp. Tickets for the summer season went on sale in March. The ferry carries about "
                    "400 passengers a day.", "2024-05-08", "Island Ferry Halted"),
    "courier.txt": ("Engineers said the ramp was damaged by the storm, which forced the operator to suspend the "
                    "ferry. The operator's chief executive said repairs would take two weeks. The company also "
                    "runs a bus line.", "2024-05-07", "Ramp Damage"),
}


def test_reason_quotes_the_sentences_stating_a_cause_from_several_files(embedder):
    candidates, _, texts = build(embedder, "Why did the island ferry stop running?", FERRY)
    blocks = compose_reason(statements(candidates, texts))
    quoted = [b.quotes[0].text for b in blocks]
    assert any("because a storm damaged" in q for q in quoted)
    assert {b.quotes[0].chunk.source for b in blocks} == {"gazette.txt", "courier.txt"}
    assert not any("buses" in q or "bus line" in q for q in quoted)
    assert states_cause("Trains stopped due to snow.") and not states_cause("Trains run every hour.")


def test_reaction_prefers_what_the_asked_actor_did_or_said(embedder):
    files = {
        "a.txt": ("The flood reached the council offices on Friday. The council said it would rebuild the dam "
                  "and compensate the farmers. Rain is expected next week.", "2023-10-02", ""),
        "b.txt": ("Farmers blamed the council for the flood. The mayor announced an inquiry into the dam's "
                  "maintenance. The river is the region's longest.", "2023-10-03", ""),
    }
    question = "How did the council respond to the flood?"
    assert asked_actor(question) == "the council"
    candidates, _, texts = build(embedder, question, files)
    blocks = compose_reaction(question, statements(candidates, texts))
    assert "The council said it would rebuild the dam" in blocks[0].quotes[0].text
    assert not any("longest" in b.quotes[0].text for b in blocks[:2])


def test_reaction_reads_a_quotation_as_its_speaker_s_act(embedder):
    # The actor's own words name neither the actor nor the event: the lead-in sentence before the quotation does.
    files = {
        "a.txt": ("The orchestra cancelled its winter tour after the hall's roof collapsed. Tickets will be "
                  "refunded. The conductor, Mara Quist, addressed the players on Monday. “I am heartbroken. "
                  "We will play in the park instead, free for everyone.”", "2023-12-01", ""),
        "b.txt": ("The hall's roof collapsed under heavy snow. Engineers inspected the beams. The city owns the "
                  "building.", "2023-12-02", ""),
    }
    question = "How did the conductor react to the cancelled tour?"
    candidates, _, texts = build(embedder, question, files)
    pool = statements(candidates, texts)
    quoted = [b.quotes[0].text for b in compose_reaction(question, pool, texts)]
    assert any("play in the park" in q for q in quoted)
    without_texts = [b.quotes[0].text for b in compose_reaction(question, pool)]  # no file text: no speaker read
    assert quoted != without_texts


def test_summary_spreads_over_files_and_merges_restatements(embedder):
    files = {
        "review1.txt": ("The film took $40 million in its opening week. Critics praised the score by Lena Hart. "
                        "The film took $40 million during its first week.", "", ""),
        "review2.txt": ("The director Omar Vidal shot the film in Lisbon over eleven weeks. The cast includes "
                        "three newcomers.", "", ""),
    }
    candidates, _, texts = build(embedder, "Summarize the film's release.", files)
    blocks = compose_summary(statements(candidates, texts))
    heads = [b.quotes[0].text for b in blocks]
    assert {b.quotes[0].chunk.source for b in blocks} == {"review1.txt", "review2.txt"}
    assert sum("$40 million" in h for h in heads) == 1  # the restatement is not a second sentence


def test_list_prefers_sentences_that_enumerate(embedder):
    files = {
        "x.txt": ("The league also fined the club, banned two coaches and closed the away stand. The season "
                  "starts in August.", "", ""),
        "y.txt": ("Besides the fine, the league ordered a replay of the match. The club has 30,000 members.", "", ""),
    }
    candidates, _, texts = build(embedder, "What other sanctions did the league impose on the club?", files)
    blocks = compose_list(statements(candidates, texts))
    assert "banned two coaches" in blocks[0].quotes[0].text


def _compared(embedder, question: str, files: dict):
    candidates, _, texts = build(embedder, question, files)
    return compose_comparison(question, statements(candidates, texts))


def test_comparison_gives_each_file_a_labelled_block_and_the_differing_figures(embedder):
    files = {
        "north.txt": ("Turnout in the referendum was 61%, the paper reported. Polling stations closed at ten.",
                      "2022-09-12", "North Post"),
        "south.txt": ("Officials put turnout in the referendum at 58%. Counting finished overnight.",
                      "2022-09-13", "South Herald"),
    }
    blocks, openings = _compared(embedder, "How do the reports compare on turnout in the referendum?", files)
    assert {b.label for b in blocks} == {"north.txt", "south.txt"}  # not the unrelated page
    assert any(b.prefix.startswith("North Post (2022-09-12)") for b in blocks)
    opening = "".join(text for text, _ in openings[0].parts)
    assert opening.startswith("The sources differ:") and "61%" in opening and "58%" in opening
    assert opening.endswith("(the passages may be about different things).")  # two sentences, not one retold


def test_comparison_of_one_sentence_told_with_two_figures_is_a_plain_disagreement(embedder):
    files = {
        "east.txt": ("The bakery sold 1,200 loaves on the opening day. Queues formed early.", "2021-04-02", ""),
        "west.txt": ("The bakery sold 900 loaves on the opening day. The mayor cut the ribbon.", "2021-04-03", ""),
    }
    _, openings = _compared(embedder, "How do the reports compare on the loaves sold on the opening day?", files)
    opening = "".join(text for text, _ in openings[0].parts)
    assert "1,200" in opening and "900" in opening and "different things" not in opening


def test_comparison_does_not_call_a_file_that_is_silent_on_a_value_a_difference(embedder):
    # Both report the same reopening day; one also dates the works. That is more detail, not a disagreement.
    files = {
        "dock.txt": ("The marina reopened on 3 June 2023 after a refit. Dredging had finished in April 2022.",
                     "2023-06-05", "Dock News"),
        "coast.txt": ("The refitted marina reopened on 3 June 2023, two months late. Berth fees went up.",
                      "2023-06-06", "Coast Weekly"),
    }
    blocks, openings = _compared(embedder, "How do the reports compare on the marina's reopening?", files)
    assert {b.label for b in blocks} >= {"dock.txt", "coast.txt"}
    assert not openings, "".join(t for t, _ in openings[0].parts)


def test_comparison_sides_leave_out_the_value_every_file_states():
    from rag.answering.shaped.comparison import differences, disagree
    from rag.readers.values import dates, shares

    day, april, may = dates("3 June 2023")[0], dates("April 2022")[0], dates("May 2022")[0]
    assert not disagree([[day, april], [day]]) and disagree([shares("61%"), shares("58%")])
    assert disagree([[day, april], [day, may]])  # a shared day, a differing month
    assert not disagree([[dates("June 2023")[0]], [day]])  # a month and a day within it say the same
    # A count of other things is no other figure for it: 7 flavours against 20 stalls do not differ.
    from rag.readers.values import quantities
    assert not disagree([quantities("7 flavours"), quantities("20 stalls")])
    assert disagree([quantities("7 flavours"), quantities("9 flavours, 20 stalls")])
    a = _sentence("a.txt", "The marina reopened on 3 June 2023; dredging ended in April 2022.", 0, 0.9)
    b = _sentence("b.txt", "The marina reopened on 3 June 2023; dredging ended in May 2022.", 0, 0.8)
    opening = "".join(text for text, _ in differences("When did the marina works happen?", [a, b]).parts)
    assert "April 2022" in opening and "May 2022" in opening and "3 June 2023" not in opening, opening


def test_timeline_orders_dated_events_and_leaves_undated_ones_out(embedder):
    files = {
        "club.txt": ("The stadium opened on May 2, 1998 with a friendly. On Tuesday the club sold the stadium to "
                     "the city. Fans have long complained about parking.", "2024-05-02", ""),
        "city.txt": ("The city council approved the purchase of the stadium on 14 March 2024. The stadium seats "
                     "20,000.", "2024-03-20", ""),
    }
    candidates, _, texts = build(embedder, "What is the sequence of events in the stadium's history?", files)
    blocks = compose_timeline(statements(candidates, texts), texts)
    labels = [b.label for b in blocks]
    assert labels == sorted(labels) and labels[0] == "1998-05-02"
    assert "2024-04-30" in labels  # "On Tuesday" resolved against the article's date
    assert not any("parking" in b.quotes[0].text or "seats" in b.quotes[0].text for b in blocks)


def test_statements_leave_out_headlines_questions_and_labels(embedder):
    text = ("Harbour Bridge Reopens\nWhat will the tolls be? The bridge reopened on May 2 after repairs. "
            "Part 2: Harbour Works And Tolls. The council paid for the repairs.")
    candidates, _, texts = build(embedder, "When did the bridge reopen?", {"h.txt": (text, "", "")})
    kept = [c.text for c in statements(candidates, texts)]
    assert "The bridge reopened on May 2 after repairs." in kept
    assert not any(k.startswith(("Harbour Bridge", "What will", "Part 2")) for k in kept)
    assert all(is_statement(c, text) == (c.text in kept) for c in candidates)


def test_a_statement_in_a_script_without_case_or_spaces_is_kept(embedder):
    text = "新图书馆周六开放，市民可以免费借阅图书和使用阅览室。开放时间？"
    candidates, _, texts = build(embedder, "图书馆什么时候开放", {"z.txt": (text, "", "")})
    kept = [c.text for c in statements(candidates, texts) if c.chunk.source == "z.txt"]
    assert kept == ["新图书馆周六开放，市民可以免费借阅图书和使用阅览室。"]


def test_spread_pick_takes_a_new_file_before_a_restatement(embedder):
    files = {"a.txt": ("The plant will close in June. The plant is to close in June.", "", ""),
             "b.txt": ("About 300 workers will lose their jobs.", "", "")}
    candidates, _, _ = build(embedder, "What happens to the plant?", files)
    value = {id(c): 1.0 for c in candidates if c.chunk.source != "other.txt"}
    picked = spread_pick(candidates, value, 2, 0.5)
    assert {c.chunk.source for c in picked} == {"a.txt", "b.txt"}


def test_yes_no_claims_and_their_order():
    assert [c.text for c in claims("Did the mill close in 1990, and did the town shrink?")] == \
        ["the mill close in 1990", "the town shrink"]
    assert ordered_sides("the Post reported the sale before the Star covered the strike") == \
        ("the Post reported the sale", "before", "the Star covered the strike")
    # Who says it and the question's reading of it are not part of what is checked.
    claim, = claims("Does the Tribune article suggest that the dam will open in spring, indicating a change of plan?")
    assert claim.text == "the dam will open in spring" and claim.source_name == "Tribune"
    first, second = claims("Did the Valley Times report that the mill reopened, while the Coast Echo reported that "
                           "output doubled?")
    assert (first.text, second.text) == ("the mill reopened", "output doubled")
    assert second.source_name == "Coast Echo"


SCIENCE = {
    "lab.txt": ("The telescope detected a second planet orbiting the star in 2021. The second planet is about 2.1 "
                "times the size of Earth.", "2022-01-10", "Lab News"),
    "journal.txt": ("The survey found no water on the second planet. Its orbit lasts 40 days.", "2022-02-01",
                    "Journal Digest"),
}


def _yes_no(embedder, question: str, files: dict):
    """(the evidence blocks, the verdict opening, its text) of compose_yesno over ``files`` with the real check."""
    candidates, hits, texts = build(embedder, question, files)
    blocks, openings = compose_yesno(question, hits, texts, lambda c, e: check(c, e, embedder),
                                     statements(candidates, texts))
    return blocks, openings[0], "".join(text for text, _ in openings[0].parts)


@pytest.mark.parametrize("question, opening", [
    ("Did the telescope detect a second planet orbiting the star?", "Yes"),
    ("Is the second planet about 5 times the size of Earth?", "No"),
    # Nothing states or denies it: the fitted verdict (rag.answering.shaped.verdict) leans one way and says so.
    ("Did the survey find a moon around the second planet's neighbour comet?", "on balance"),
])
def test_yes_no_verdicts_follow_the_support_check(embedder, question, opening):
    blocks, first, verdict = _yes_no(embedder, question, SCIENCE)
    if opening == "on balance":
        assert verdict.startswith(("Yes, on balance", "No, on balance")), verdict
        assert "the articles state" not in verdict
        assert first.support == 0.0  # an inference no passage states: the check flags it
    else:
        assert verdict.startswith(opening + ": the articles state"), verdict
        assert first.support >= 0.5  # what the claims' checks found, whatever the fitted model leans to
    assert first.label == "verdict"
    assert blocks  # the evidence, or the closest passages, quoted


ORDERED = {
    "spring.txt": ("The town council approved the new library on Monday. Builders start in the autumn.", "2023-03-06",
                   "Town Post"),
    "summer.txt": ("The old library closed its doors for good on Friday. Its books move to the school.", "2023-07-14",
                   "Valley News"),
}


@pytest.mark.parametrize("question, opening", [
    ("Was the new library approved before the old library closed its doors?", "Yes"),
    ("Was the new library approved after the old library closed its doors?", "No"),
])
def test_a_claim_ordering_two_events_is_settled_by_the_dates_of_the_files_stating_them(embedder, question, opening):
    blocks, _, verdict = _yes_no(embedder, question, ORDERED)
    assert verdict.startswith(opening), verdict
    assert {q.chunk.source for b in blocks for q in b.quotes} >= {"spring.txt", "summer.txt"}


def _sentence(source: str, text: str, start: int, score: float) -> Candidate:
    chunk = Chunk(source, source, f"/corpus/{source}", 0, 500, text, title="", date="")
    cand = Candidate(chunk, start, start + len(text), text, 0)
    cand.score = score
    return cand


def test_complement_quotes_the_sentence_holding_what_the_first_quote_leaves_out():
    claim = "the audit of the canal trust found its costs rose 8% while visits fell"
    quote = _sentence("a.txt", "The audit of the canal trust began in May.", 0, 0.6)
    costs = _sentence("a.txt", "Costs rose 8% as visits fell, the auditors found.", 100, 0.4)
    other = _sentence("b.txt", "The canal trust's audit was led by a former judge.", 0, 0.9)
    assert complement(claim, [quote], [quote, other, costs], set()) is costs
    assert complement(claim, [quote], [quote, other, costs], {("a.txt", 100)}) is None  # already cited
    # A quote stating the whole claim needs no second one; a sentence adding too little is not one.
    assert complement("costs rose 8%", [costs], [quote, other, costs], set()) is None
    assert complement(claim, [quote], [quote, other], set()) is None


def test_a_yes_no_claim_gets_its_substance_quoted_beside_the_sentence_naming_its_subject(embedder):
    question = "Did the inspection of the lighthouse find the lamp dimmer even as repair bills grew?"
    files = {"coast.txt": ("The coastguard opened an inspection of the lighthouse on the 3rd, a week after the "
                           "storm. The keeper's cottage was repainted last year. The lamp was found 30% dimmer, "
                           "while repair bills grew every year since 2019, the inspectors said.", "2024-04-01", "")}
    candidates, hits, texts = build(embedder, question, files)
    blocks, openings = compose_yesno(question, hits, texts, lambda c, e: check(c, e, embedder),
                                     statements(candidates, texts))
    quoted = " ".join(q.text for b in blocks for q in b.quotes)
    assert "30% dimmer" in quoted and "inspection of the lighthouse" in quoted


def test_shaped_answer_is_cited_exact_and_labelled(embedder):
    question = "What is the sequence of events in the stadium's history?"
    files = {
        "club.txt": ("The stadium opened on May 2, 1998 with a friendly. On Tuesday the club sold the stadium to "
                     "the city.", "2024-05-02", ""),
        "city.txt": ("The city council approved the purchase of the stadium on 14 March 2024.", "2024-03-20", ""),
    }
    candidates, hits, texts = build(embedder, question, files)
    answer = shaped_answer(question, candidates, hits, texts, lambda c, e: check(c, e, embedder),
                           tuple(files), "", 0.5)
    assert answer.shape == "timeline" and answer.shape_reason == "asks for events in order"
    assert quotes_exact(answer, texts)
    assert [s.label for s in answer.sentences] == sorted(s.label for s in answer.sentences)
    assert {c.source for c in answer.citations} == {"club.txt", "city.txt"}
    assert answer.to_json()["sentences"][0]["label"] == "1998-05-02"
    # A fact question keeps the plain answerer.
    assert shaped_answer("Who bought the stadium?", candidates, hits, texts, None, (), "", 0.5) is None
