"""Filters: the same restriction as a Chroma where clause and as a per-document test (tiny values)."""
from rag.filters import Filters


def test_no_bound_allows_everything_and_has_no_where_clause():
    assert not Filters().active() and Filters().chroma_where() is None
    assert Filters().allows("match-report.txt", "")


def test_sources_and_dates_agree_between_the_where_clause_and_the_document_test():
    f = Filters(sources=("earnings.txt",), since="2024-01-01", until="2024-12-31")
    assert f.chroma_where() == {"$and": [{"source": {"$in": ["earnings.txt"]}}, {"date_num": {"$gte": 20240101}},
                                         {"date_num": {"$lte": 20241231}}]}
    assert f.allows("earnings.txt", "2024-06-30")
    assert not f.allows("earnings.txt", "2025-01-01") and not f.allows("film-review.txt", "2024-06-30")
    # An undated document is left out whenever a date bound is given (and Chroma is told: date_num > 0).
    assert not Filters(since="2024-01-01").allows("earnings.txt", "")
    assert {"date_num": {"$gt": 0}} in Filters(since="2024-01-01").chroma_where()["$and"]
