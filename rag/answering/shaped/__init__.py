"""Answers shaped to the question (issue 25): one pure composer per shape over the extractive answerer's
scored candidates, every sentence an exact quote of its file, cited. ``shaped_answer`` is the one entry:
(question, candidates, hits, texts, check) -> Answer, or None to keep the plain answer."""
from __future__ import annotations

from rag.answering.extractive import Candidate
from rag.answering.shaped.common import best_reading, build_answer, relative, statements
from rag.answering.shaped.comparison import compose_comparison
from rag.answering.shaped.listing import kind_phrase, spans_files, within_files
from rag.answering.shaped.reaction import actor_phrase, compose_reaction
from rag.answering.shaped.reason import compose_reason
from rag.answering.shaped.summary import compose_list, compose_summary
from rag.answering.shaped.timeline import compose_timeline, question_period
from rag.answering.shaped.yesno import compose_yesno
from rag.answering.shapes import ShapeReading, focus, read_shape
from rag.types import Answer, Hit
from rag.tuning import TUNING


def shaped_answer(question: str, candidates: list[Candidate], hits: list[Hit], texts: dict[str, str], check,
                  retrieved, notice: str, threshold: float, rescore=None,
                  reading: ShapeReading | None = None) -> Answer | None:
    """The answer in the question's shape, or None (a fact question; nothing relevant enough; the shape's
    composer found nothing to say: the plain answerer then answers or declines).

    ``texts``: source -> the file's exact text; ``check(claim, evidence)`` -> rag.support.SupportResult;
    ``rescore(text)``: the same passages' candidates scored against ``text`` (another reading of the question).
    """
    reading = reading or read_shape(question)
    if reading.shape == "fact":
        return None
    # The question read two or three ways: as asked, its focus (without "summarize", "the articles say"...),
    # and for a reaction the actor with its verb (what it did, whatever it answered); a sentence is as relevant
    # as its best reading finds it.
    phrases = [focus(question)] + ([actor_phrase(question)] if reading.shape == "reaction" else [])
    phrases = [p for p in dict.fromkeys(phrases) if p and p != question]
    readings = [candidates] + ([rescore(p) for p in phrases] if rescore is not None and reading.shape != "yesno" else [])
    pools = [statements(c, texts) for c in readings]
    if max((p[0].score for p in pools if p), default=0.0) < TUNING.shaped_abstain_below:
        return None
    pool = best_reading(pools)
    openings = []
    if reading.shape == "yesno":
        blocks, openings = compose_yesno(question, hits, texts, check, pool)
    elif reading.shape == "reason":
        blocks = compose_reason(pool)
    elif reading.shape == "reaction":
        blocks = compose_reaction(question, pool, texts)
    elif reading.shape == "comparison":
        blocks, openings = compose_comparison(question, pool)
    elif reading.shape == "timeline":
        blocks = compose_timeline(pool, texts, period=question_period(question))
    elif reading.shape == "summary":
        blocks = compose_summary(pool)
    else:
        blocks = compose_list(pool)
        kind = kind_phrase(question)
        if kind and rescore is not None:  # rag.answering.shaped.listing: read against the asked kind as well
            read = best_reading([pool, statements(rescore(kind), texts)])
            files = {q.chunk.source for b in blocks for q in b.quotes}
            blocks = (compose_list(read) if spans_files(question) else
                      compose_list(within_files(read, files), places=relative(read))) or blocks
    if not blocks and not openings:
        return None
    return build_answer(question, reading.shape, reading.reason, blocks, retrieved, notice, threshold, openings)
