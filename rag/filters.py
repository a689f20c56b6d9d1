"""Which documents a question may be answered from: source files and an inclusive date range, as a Chroma
``where`` clause and as a test on one document (BM25 side)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Filters:
    """Restrict retrieval to some source files and/or a date range (ISO dates, inclusive).

    Documents without a stated date are left out whenever a date bound is given.
    """

    sources: tuple[str, ...] = ()
    since: str = ""
    until: str = ""

    def active(self) -> bool:
        return bool(self.sources or self.since or self.until)

    def chroma_where(self) -> dict | None:
        """The same filter as a Chroma ``where`` clause."""
        clauses: list[dict] = []
        if self.sources:
            clauses.append({"source": {"$in": list(self.sources)}})
        if self.since:
            clauses.append({"date_num": {"$gte": int(self.since.replace("-", ""))}})
        if self.until:
            clauses.append({"date_num": {"$lte": int(self.until.replace("-", ""))}})
        if self.since and not self.until:
            clauses.append({"date_num": {"$gt": 0}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def allows(self, source: str, date: str) -> bool:
        """Whether a document passes. Example: ``Filters(since="2026-01-01").allows("a", "")`` -> False."""
        if self.sources and source not in self.sources:
            return False
        if (self.since or self.until) and not date:
            return False
        return not ((self.since and date < self.since) or (self.until and date > self.until))
