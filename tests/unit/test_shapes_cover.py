"""Covering files first (rag.answering.shaped.common.spread_pick with cover_floor, other_files): pure functions
over candidates whose sentence vectors are given, on tiny invented articles in several domains."""
from __future__ import annotations

import numpy as np

from rag.answering.candidates import Candidate
from rag.answering.shaped.common import other_files, spread_pick
from rag.types import Chunk


def _cands(rows):
    """rows: (file, sentence, score, direction) -> Candidates with unit vectors along ``direction`` (a list)."""
    out, texts = [], {}
    for source, sentence, score, direction in rows:
        start = len(texts.get(source, ""))
        texts[source] = texts.get(source, "") + sentence + " "
        vector = np.array(direction, dtype=float)
        out.append(Candidate(Chunk(source, source, f"/c/{source}", 0, 1000, ""), start, start + len(sentence),
                             sentence, 0, score=score, vector=vector / np.linalg.norm(vector)))
    return out


ORCHARD = [("a.txt", "The orchard lost half its apples to an early frost.", 1.0, [1, 0, 0, 0]),
           ("a.txt", "Frost nets had been ordered too late for the spring.", 0.95, [0, 1, 0, 0]),
           ("a.txt", "The cider press ran for only two weeks.", 0.9, [0, 0, 1, 0]),
           ("b.txt", "Growers in the valley blamed the cold snap for thin harvests.", 0.6, [0, 0, 0, 1]),
           ("c.txt", "The village fete raised money for the school roof.", 0.1, [1, 1, 1, 1])]


def test_each_file_before_a_second_when_covering():
    cands = _cands(ORCHARD)
    value = {id(c): c.score for c in cands}
    plain = spread_pick(cands, value, 3, 0.3, new_file=0.0)
    covered = spread_pick(cands, value, 3, 0.3, new_file=0.0, cover_floor=0.4)
    assert [c.chunk.source for c in plain] == ["a.txt", "a.txt", "a.txt"]
    # b's best comes second; c's is under the cover floor (not about the subject) and never enters.
    assert [c.chunk.source for c in covered] == ["a.txt", "b.txt", "a.txt"]


def test_a_file_under_the_cover_floor_is_not_forced_in():
    cands = _cands(ORCHARD)
    value = {id(c): c.score for c in cands}
    covered = spread_pick(cands, value, 5, 0.3, new_file=0.0, cover_floor=0.4)
    assert "c.txt" not in {c.chunk.source for c in covered}
    assert len(covered) == 4


def test_cover_floor_below_the_shape_floor_admits_each_files_best_only():
    rows = [("x.txt", "The ferry timetable changes on 3 March.", 1.0, [1, 0, 0]),
            ("y.txt", "Winter sailings were cut on 12 January.", 0.2, [0, 1, 0]),
            ("y.txt", "Fares rose by a tenth on 1 February.", 0.15, [0, 0, 1])]
    cands = _cands(rows)
    value = {id(c): c.score for c in cands}
    picked = spread_pick(cands, value, 3, 0.5, cover_floor=0.0)
    # y's best enters through covering; y's second is under the shape's floor of 0.5.
    assert [c.text[:10] for c in picked] == ["The ferry ", "Winter sai"]


def test_other_files_quotes_one_sentence_of_each_file_not_yet_quoted():
    rows = [("p.txt", "The museum reopened its east wing after repairs.", 1.0, [1, 0, 0, 0]),
            ("q.txt", "Visitor numbers doubled in the first week of the reopening.", 0.9, [0, 1, 0, 0]),
            ("q.txt", "The wing holds the bronze age collection.", 0.85, [0, 0, 1, 0]),
            ("r.txt", "The east wing repairs cost the council two million.", 0.8, [0, 0, 0, 1]),
            ("s.txt", "A jazz night is planned in the garden.", 0.0, [1, 1, 0, 0]),
            ("s.txt", "Parking near the harbour is free on Sundays.", 0.0, [0, 1, 1, 0]),
            ("s.txt", "The swimming pool closes for cleaning in May.", 0.0, [0, 0, 1, 1]),
            ("s.txt", "A farmers' market opens on the square each Friday.", 0.0, [1, 0, 0, 1])]
    cands = _cands(rows)
    more = other_files(cands, {"p.txt"}, 3)
    assert [c.chunk.source for c in more] == ["q.txt", "r.txt"]
    assert other_files(cands, {"p.txt"}, 1)[0].text.startswith("Visitor numbers")


def test_only_the_files_named_in_cover_are_covered_first():
    cands = _cands(ORCHARD)
    value = {id(c): c.score for c in cands}
    # Every file could be covered at a floor of 0; covering only a and c leaves b to compete on its value.
    picked = spread_pick(cands, value, 3, 0.7, new_file=0.0, cover_floor=0.0, cover={"a.txt", "c.txt"})
    assert [c.chunk.source for c in picked] == ["a.txt", "c.txt", "a.txt"]
