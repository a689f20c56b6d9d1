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
        out.append(Candidate(chunk, 0, len(text), text, rank, cosine=score, score=score, vector=v / np.linalg.norm(v)))
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
