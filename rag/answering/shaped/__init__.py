"""Answers shaped to the question (issue 25): one pure composer per shape over the extractive answerer's
scored candidates, every sentence an exact quote of its file, cited. ``shaped_answer`` is the one entry:
(question, candidates, hits, texts, check) -> Answer, or None to keep the plain answer."""
from __future__ import annotations

from rag.answering.extractive import Candidate
from rag.answering.shaped.common import build_answer, statements
from rag.answering.shaped.comparison import compose_comparison
from rag.answering.shaped.reaction import compose_reaction
from rag.answering.shaped.reason import compose_reason
from rag.answering.shaped.summary import compose_list, compose_summary
from rag.answering.shaped.timeline import compose_timeline
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
    ``rescore(text)``: the same passages' candidates scored against ``text`` (the question's focus, without
    the words that only shape the answer).
    """
    reading = reading or read_shape(question)
    if reading.shape == "fact":
        return None
    subject = focus(question)
    if rescore is not None and subject != question and reading.shape != "yesno":
        candidates = rescore(subject)
    pool = statements(candidates, texts)
    if not pool or pool[0].score < TUNING.shaped_abstain_below:
        return None
    openings = []
    if reading.shape == "yesno":
        blocks, openings = compose_yesno(question, hits, texts, check, pool)
    elif reading.shape == "reason":
        blocks = compose_reason(pool)
    elif reading.shape == "reaction":
        blocks = compose_reaction(question, pool)
    elif reading.shape == "comparison":
        blocks, openings = compose_comparison(question, pool)
    elif reading.shape == "timeline":
        blocks = compose_timeline(pool, texts)
    elif reading.shape == "summary":
        blocks = compose_summary(pool)
    else:
        blocks = compose_list(pool)
    if not blocks and not openings:
        return None
    return build_answer(question, reading.shape, reading.reason, blocks, retrieved, notice, threshold, openings)
