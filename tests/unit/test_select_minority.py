"""The extractive selection with a minority value: the minority's sentence is reported, not adopted, and the
minority file's other sentences that state neither its passage nor its value still answer."""
import numpy as np

from rag.answering.extractive import Candidate, select
from rag.types import Chunk


def _candidates(rows):
    out = []
    for rank, (source, text, score, vector) in enumerate(rows):
        chunk = Chunk(f"{source}-0", source, f"/{source}", 0, len(text), text)
        v = np.asarray(vector, dtype=float)
        out.append(Candidate(chunk, 0, len(text), text, rank, cosine=score, score=score, vector=v / np.linalg.norm(v),
                             relevance=score))
    return out


def test_a_minority_files_other_sentence_stays_but_its_value_is_only_reported():
    cands = _candidates([
        ("a.txt", "The Kestrel Bridge opened in 1932 after eight years of work.", 0.90, [1, 0.1, 0]),
        ("b.txt", "Kestrel Bridge opened to traffic in 1932, the city archive shows.", 0.86, [1, 0.12, 0.05]),
        ("c.txt", "A reader insists the Kestrel Bridge opened in 1936.", 0.84, [1, 0.1, 0.1]),
        ("c.txt", "Once the bridge opened, the ferry firm Tarn Lines closed its crossing for good.", 0.80,
         [0.3, 1, 0]),
    ])
    chosen = select("When did the Kestrel Bridge open?", cands, 0.3, max_sentences=4)
    assert chosen.conflict is not None
    minority = {side.value for side in chosen.conflict.sides if side.minority}
    assert minority == {"1936"}
    stated = [group[0].text for group in chosen.sentences]
    assert not any("1936" in text for text in stated)  # the minority's value is not adopted
    assert any("Tarn Lines" in text for text in stated)  # the same file's other sentence still answers
    assert any("1936" in c.text for group in chosen.minority for c in group)


def test_another_files_further_figure_beside_a_disagreement_is_reported_not_adopted():
    from rag.answering.conflicts import Disagreement, Side
    from rag.answering.file_conflicts import other_values

    rows = [("a.txt", "The courthouse was built in 1902 by a local firm.", 0.9, [1, 0, 0]),
            ("b.txt", "Built in 1902, the courthouse replaced a log cabin.", 0.88, [1, 0.1, 0]),
            ("c.txt", "The courthouse was completed in 1885, records say.", 0.85, [1, 0.2, 0]),
            ("a.txt", "The courthouse burned down in 1930 and was rebuilt.", 0.8, [0.5, 1, 0]),
            ("d.txt", "The courthouse has a clock tower and a dome.", 0.8, [0.2, 0, 1])]
    cands = _candidates(rows)
    by_id = dict(enumerate(cands))
    conflict = Disagreement("date", [Side("1902", [0, 1], ["a.txt", "b.txt"]),
                                     Side("1911", [4], ["d.txt"], minority=True)], False)
    kept, reported = other_values("When was the courthouse built?", [[c] for c in cands], conflict, by_id)
    assert [g[0].text for g in reported] == [rows[2][1]]  # another file's other year: not adopted
    assert rows[3][1] in [g[0].text for g in kept]  # an adopted file's other sentence stays
    assert rows[4][1] in [g[0].text for g in kept]  # a sentence stating no year stays
    # Not a figure question, or no disagreement: nothing moves.
    assert other_values("Who built the courthouse?", [[c] for c in cands], conflict, by_id)[1] == []
    assert other_values("When was the courthouse built?", [[c] for c in cands], None, by_id)[1] == []


def test_beside_a_disagreement_on_a_name_another_files_other_name_is_reported():
    from rag.answering.conflicts import Disagreement, Side
    from rag.answering.file_conflicts import other_values

    rows = [("a.txt", "Come Home is the debut album by the singer Gala Rizzatto.", 0.9, [1, 0, 0]),
            ("b.txt", "Come Home is the debut album by the American singer Joyce Sims.", 0.88, [1, 0.1, 0]),
            ("c.txt", "Come Home is a song recorded by Justin Bieber in 2015.", 0.85, [1, 0.2, 0])]
    cands = _candidates(rows)
    conflict = Disagreement("person", [Side("Gala Rizzatto", [0], ["a.txt"]), Side("Joyce Sims", [1], ["b.txt"])],
                            False)
    kept, reported = other_values('Who is the artist of the album "Come Home"?', [[c] for c in cands], conflict,
                                  dict(enumerate(cands)))
    assert [g[0].text for g in reported] == [rows[2][1]]
    assert [g[0].text for g in kept] == [rows[0][1], rows[1][1]]


def test_beside_a_disagreement_on_a_category_another_files_other_category_is_reported():
    from rag.answering.conflicts import Disagreement, Side
    from rag.answering.file_conflicts import other_values

    def similarity(noun, words):  # the model's cosines, as a table: languages are near "language"
        return [0.9 if w.casefold() in ("telugu", "hindi", "marathi") else 0.1 for w in words]

    rows = [("a.txt", "Devika is a 2001 Telugu film directed by Ravi Rao.", 0.9, [1, 0, 0]),
            ("b.txt", "Devika is a 1979 Hindi film starring Asha Mehta.", 0.88, [1, 0.1, 0]),
            ("c.txt", "Devika is a 2001 Marathi devotional film.", 0.85, [1, 0.2, 0]),
            ("d.txt", "Devika ran for twelve weeks in cinemas.", 0.8, [0.3, 1, 0])]
    cands = _candidates(rows)
    conflict = Disagreement("category", [Side("Telugu", [0], ["a.txt"]), Side("Hindi", [1], ["b.txt"])], False)
    question = 'What is the language of the film "Devika"?'
    kept, reported = other_values(question, [[c] for c in cands], conflict, dict(enumerate(cands)), similarity)
    assert [g[0].text for g in reported] == [rows[2][1]]
    assert rows[3][1] in [g[0].text for g in kept]  # no category named: it stays
    # Without the model a category cannot be read: nothing moves.
    assert other_values(question, [[c] for c in cands], conflict, dict(enumerate(cands)))[1] == []
