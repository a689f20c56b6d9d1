"""rag.subqueries (a compound question's clauses, the question without what the file level matches, the file
bonuses) and Retrieval.fuse over several queries' lists, on tiny strings from several domains."""
from rag.retrieval import Retrieval, best_of
from rag.subqueries import clauses, file_bonuses, subqueries, without
from rag.types import Chunk
from rag.tuning import TUNING


def test_a_contrast_splits_a_question_into_its_clauses():
    assert clauses("Did the Herald say that rates rose in May, while the Gazette said that rates fell in June?") == [
        "Did the Herald say that rates rose in May", "the Gazette said that rates fell in June"]
    # Sports: a comma before a relative word ends a clause.
    assert clauses("Which striker scored twice in the cup final last May, who was later sold to a rival club in "
                   "the north?") == ["Which striker scored twice in the cup final last May",
                                     "who was later sold to a rival club in the north"]
    # Film: "whereas" splits even without a comma.
    assert clauses("Was the sequel shot on location in Malta over the summer whereas the first film was shot in a "
                   "studio in Rome?") == ["Was the sequel shot on location in Malta over the summer",
                                          "the first film was shot in a studio in Rome"]


def test_a_comma_inside_a_clause_does_not_split_it():
    # A date's comma and a list's comma: one clause each.
    assert clauses("What did the quarterly report published on May 3, 2024 say about revenue?") == [
        "What did the quarterly report published on May 3, 2024 say about revenue"]
    assert clauses("Which enzymes, proteins and lipids does the cell membrane hold?") == [
        "Which enzymes, proteins and lipids does the cell membrane hold"]


def test_a_short_piece_joins_its_neighbour():
    # "and Lyon" is too short to be retrieved alone: it stays with the clause before it; so does a short question.
    assert clauses("Which enzyme binds the receptor, and is it inhibited by zinc?") == [
        "Which enzyme binds the receptor and is it inhibited by zinc"]
    assert clauses("Which enzyme binds the receptor, and is it inhibited by zinc?", min_words=4) == [
        "Which enzyme binds the receptor", "and is it inhibited by zinc"]
    assert clauses("Which trains run between Paris, and Lyon?") == ["Which trains run between Paris and Lyon"]
    assert clauses("Revenue rose; why?") == ["Revenue rose why"]
    assert clauses("") == []


def test_matched_phrases_leave_the_query_as_whole_words():
    assert without("What did the Herald say on 3 May 2024?", ["Herald", "3 May 2024"]) == "What did the say on?"
    # "Post" inside "Postal" stays; a phrase that is all of the text leaves the text as it was.
    assert without("Did the Post cover the Postal strike?", ["Post"]) == "Did the cover the Postal strike?"
    assert without("Reuters", ["Reuters"]) == "Reuters"
    assert without("How fast is the enzyme?", []) == "How fast is the enzyme?"


def test_subqueries_are_the_question_then_each_clause():
    question = "Did the Herald say that rates rose in May, while the Gazette said that rates fell in June?"
    assert subqueries(question, ["Herald"]) == [
        "Did the say that rates rose in May, while the Gazette said that rates fell in June?",
        "Did the say that rates rose in May", "the Gazette said that rates fell in June"]
    # A follow-up resolved from earlier turns is not split (``split=False``).
    assert subqueries(question, [], split=False) == [question]
    # A one-clause question is retrieved as itself only.
    assert subqueries("Which team won the cup in 1998?", []) == ["Which team won the cup in 1998?"]


def test_file_bonuses_reward_the_dated_and_the_named_files_and_list_what_matched():
    dated = {"2024-05-03": frozenset({"a.txt"})}.get
    heads = {"Herald": frozenset({"a.txt", "b.txt"})}.get
    bonus, matched = file_bonuses("q", [("2024-05-03", "May 3, 2024"), ("2024-06-01", "June 1, 2024")],
                                  ["Herald", "Courier"], dated, heads, 0.3)
    assert bonus == {"a.txt": round(0.3 + TUNING.masthead_boost, 6), "b.txt": TUNING.masthead_boost}
    # A day no file is dated on, a publication heading no file: left in the query.
    assert matched == ["May 3, 2024", "Herald"]
    # A corpus without mastheads: publications earn nothing and stay in the query.
    assert file_bonuses("q", [], ["Herald"], dated, None, 0.3) == ({}, [])


def test_best_of_keeps_each_keys_higher_score():
    assert best_of({"a": 0.2, "b": 0.9}, {"a": 0.5, "c": 0.1}) == {"a": 0.5, "b": 0.9, "c": 0.1}
    assert best_of({}, {"x": 1.0}) == {"x": 1.0}


class _Bm25:
    ids = ["c1", "c2", "c3"]


def _chunk(cid, text):
    return Chunk(id=cid, source=f"{cid}.txt", path=f"{cid}.txt", start=0, end=len(text), text=text)


def test_a_clause_lifts_the_chunk_that_answers_it_fully():
    retrieval = Retrieval(None, _Bm25(), {c: (f"{c}.txt", "") for c in _Bm25.ids}, None)
    chunks = {"c1": _chunk("c1", "Both teams met."), "c2": _chunk("c2", "The keeper saved two penalties."),
              "c3": _chunk("c3", "Rain fell.")}
    whole = [(chunks["c1"], 0.8), (chunks["c2"], 0.5), (chunks["c3"], 0.1)]
    clause = [(chunks["c2"], 0.9), (chunks["c3"], 0.2)]
    alone = retrieval.fuse(whole, [], 3, dense_weight=1.0)
    assert [h.chunk.id for h in alone] == ["c1", "c2", "c3"]
    both = retrieval.fuse(whole, [], 3, dense_weight=1.0, more=[(clause, [])])
    # c2 tops the clause's list (scaled 1.0) and ties c1; c3 keeps its better score (0.0 vs 0.0 -> 0.0).
    assert [h.chunk.id for h in both][:2] in (["c1", "c2"], ["c2", "c1"])
    assert {h.chunk.id: h.score for h in both}["c2"] == 1.0
    assert {h.chunk.id: h.dense for h in both}["c2"] == 0.9


def test_a_files_bonus_is_added_after_the_clauses_best_score():
    retrieval = Retrieval(None, _Bm25(), {c: (f"{c}.txt", "") for c in _Bm25.ids}, None)
    chunks = {"c1": _chunk("c1", "Both teams met."), "c2": _chunk("c2", "The keeper saved two penalties."),
              "c3": _chunk("c3", "Rain fell.")}
    whole = [(chunks["c1"], 0.8), (chunks["c2"], 0.5), (chunks["c3"], 0.1)]
    clause = [(chunks["c3"], 0.9), (chunks["c2"], 0.2)]
    hits = retrieval.fuse(whole, [], 3, dense_weight=1.0, more=[(clause, [])], preferred={"c2.txt": 0.5})
    # c3 lifted by the clause to 1.0, c1 1.0 from the whole question, c2 0.57 + its file's 0.5.
    assert [h.chunk.id for h in hits][0] == "c2" and {h.chunk.id: round(h.score, 2) for h in hits}["c2"] == 1.07
    assert [h.chunk.id for h in retrieval.fuse(whole, [], 2, dense_weight=1.0)] == ["c1", "c2"]
