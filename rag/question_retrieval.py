"""The retrieve stage: a question's ranked passages from one index snapshot (dense + BM25 fused, rag.retrieval),
with the bonuses its reading asks for (files dated a day it names, files headed by a publication it credits)
and, for an LLM reader, its clauses searched too (rag.subqueries)."""
from __future__ import annotations

import math

import numpy as np

from rag.answering.reading import read_question
from rag.filters import Filters
from rag.readers.abstain import publications
from rag.subqueries import file_bonuses, subqueries
from rag.tuning import TUNING, Tuning


class QuestionRetriever:
    """Ranks passages for questions over one snapshot (``retrieval``: its Retrieval; ``names``: its CorpusNames)."""

    def __init__(self, retrieval, names, embedder, settings, tuning: Tuning = TUNING) -> None:
        self.retrieval, self.names, self.embedder, self.settings, self.tuning = retrieval, names, embedder, \
            settings, tuning

    def term_weight(self, term: str) -> float:
        """idf of a term in the indexed corpus (BM25's analyzer): rare terms say more about a topic."""
        n = max(1, len(self.retrieval.bm25.ids))
        df = self.retrieval.bm25.document_frequency(term)
        if df == 0:
            return 0.0  # a word the corpus never uses cannot help find this turn's passages
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def ranked(self, question: str, k: int, filters: Filters, asked: str = "", full: bool = True, days=None):
        """Top k hits for ``question``. A follow-up resolved from ``asked``: BM25 reads the resolved question,
        and the dense side the mean of the two questions' vectors, so the turn's own words still lead the
        meaning (MTRAG turns >= 2, nDCG@10: the resolved question's vector alone 0.662, the mean 0.669).
        ``full``: also the question's clauses and the masthead bonus (rag.subqueries); otherwise the question's
        own ranking, with the date bonus only (what the extractive answerer reads). ``days``: the reading's."""
        s, names, boost = self.settings, self.names, self.tuning.date_boost
        # A day the question names ("the report published on October 7, 2023") prefers the files dated that day,
        # a publication it credits ("as reported by X") the files X heads; those words then leave the query, and
        # a compound question's clauses are retrieved too (rag.subqueries).
        days = list(days if days is not None else read_question(question).days)
        if full:
            preferred, matched = file_bonuses(question, days, publications(question),
                                              lambda day: names.files_dated({day}),
                                              names.mastheads_mentioning if names.has_mastheads() else None,
                                              boost, self.tuning.masthead_boost)
            texts = subqueries(question, matched, split=not (asked and asked != question))
        else:
            preferred, texts = dict.fromkeys(names.files_dated({key for key, _ in days}), boost), [question]
        # BM25 stays on this thread: run beside the question's embedding it gained nothing measurable (100k
        # chunks, 600 questions, alternating: p50 8.64 vs 8.69 ms), as the ONNX pass already uses both cores.
        # The dense side keeps the question's own vector (the answerer scores sentences with it; the vector of
        # the question without the matched words ranked no better), the clauses are encoded in one short batch.
        if asked and asked != question:
            vector = np.sum(self.embedder.query_vectors([question, asked]), axis=0)
            vector = vector / (np.linalg.norm(vector) or 1.0)
        else:
            vector = self.embedder.query_vector(question)
        more = list(zip(texts[1:], self.embedder.query_vectors(texts[1:]))) if len(texts) > 1 else []
        if texts[0] != question:  # the question as asked still leads
            more.insert(0, (texts[0], vector))
        return self.retrieval.hybrid(question, vector, k, max(s.candidates, k), filters, s.dense_weight, s.rrf_c,
                                     s.mmr, preferred, more)
