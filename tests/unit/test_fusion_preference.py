"""Retrieval.fuse adds a preferred file's bonus to its chunks' fused scores (tiny id lists, no index)."""
from rag.retrieval import Retrieval
from rag.types import Chunk


class _Bm25:
    ids = ["c1", "c2", "c3"]


def _retrieval():
    info = {"c1": ("match-report.txt", "2024-05-01"), "c2": ("budget.txt", "2024-05-02"),
            "c3": ("film-review.txt", "2024-05-03")}
    return Retrieval(None, _Bm25(), info, None)


def _chunks():
    return [(Chunk(id=cid, source=src, path=src, start=0, end=len(text), text=text), sim) for cid, src, text, sim in
            (("c1", "match-report.txt", "The Rovers won 2-1.", 0.9), ("c2", "budget.txt", "Taxes rise.", 0.5),
             ("c3", "film-review.txt", "A slow thriller.", 0.1))]


def test_a_preferred_file_rises_by_its_bonus():
    plain = _retrieval().fuse(_chunks(), [], 3, dense_weight=1.0)
    assert [h.chunk.source for h in plain] == ["match-report.txt", "budget.txt", "film-review.txt"]
    preferred = _retrieval().fuse(_chunks(), [], 3, dense_weight=1.0, preferred={"film-review.txt": 1.5})
    assert [h.chunk.source for h in preferred] == ["film-review.txt", "match-report.txt", "budget.txt"]
    assert preferred[0].score == 1.5  # min-max scaled cosine 0.0 plus the bonus


def test_under_rrf_the_bonus_is_a_share_of_one_lists_best_score():
    plain = _retrieval().fuse(_chunks(), [], 3, dense_weight=1.0, method="rrf")
    preferred = _retrieval().fuse(_chunks(), [], 3, dense_weight=1.0, method="rrf",
                                  preferred={"budget.txt": 0.3})
    # RRF scores are about 1/61 apart from 1/62: 0.3 of the best one (0.3/61) lifts the preferred file first.
    assert [h.chunk.source for h in preferred] == ["budget.txt", "match-report.txt", "film-review.txt"]
    assert abs(preferred[0].score - plain[1].score - 0.3 / 61) < 1e-9
