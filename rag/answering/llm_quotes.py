"""Under a generated answer, the passages behind it, quoted: the extractive answer's sentences on the same evidence,
labelled QUOTED, their citations merged into the generated answer's numbering.

Why: a small local model writes two to four sentences and leaves out much of what a why / summary / timeline
question needs (bench.llm, eval/gold_shapes.jsonl: facts 0.36 generated against 0.63 quoted, 2026-12-07). The
reader gets the model's synthesis first, each sentence checked, then the verbatim quotes it rests on; the check
stage checks those too. ``settings.llm_quotes`` turns it off. The quotes are computed anyway: the disagreement
between sources is read from the same extractive answer.
"""
from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from rag.answering.check import is_report
from rag.answering.citations import Numbering
from rag.shape_layout import QUOTED, VERDICT
from rag.textspans import WORD
from rag.tuning import TUNING
from rag.types import Answer, Sentence


def quoted_sentences(reference: Answer | None, numbering: Numbering, generated: list[Sentence]) -> list[Sentence]:
    """The reference (extractive) answer's quoted sentences not already said, labelled QUOTED, cited in
    ``numbering`` (extended in place). Nothing when the reference declined.
    Example: a reference quoting "Ferries stopped at noon." [1] -> [Sentence("Ferries stopped at noon.", (3,), ...,
    label="quoted")] when the generated answer already cites two passages."""
    if reference is None or reference.abstained:
        return []
    by_marker = {c.marker: c for c in reference.citations}
    said = [s.text for s in generated]
    out = []
    for sentence in reference.sentences:
        if sentence.label == VERDICT or is_report(sentence.text) or any(restates(s, sentence.text) for s in said):
            # the verdict is a judgement, not a quote (it leads a yes/no answer: llm_verdict); the disagreement
            # is shown from the conflicts, in the answer's own words
            continue
        cites = tuple(numbering.marker_of(by_marker[m]) for m in sentence.citations if m in by_marker)
        if not cites:
            continue
        out.append(Sentence(sentence.text, cites, sentence.support, sentence.supported, QUOTED))
    return out


def restates(sentence: str, quote: str, share: float | None = None) -> bool:
    """Whether ``sentence`` says ``quote`` again nearly word for word: at least ``share`` of the quote's words
    (TUNING.quote_restated) appear in it in the same order. Quotes, brackets and case do not count.
    Example: restates("The 'harbour' was shut at dawn.", 'The harbour (port) was shut at dawn.') -> True."""
    quote_words = [w.lower() for w in WORD.findall(quote)]
    if not quote_words:
        return False
    words = [w.lower() for w in WORD.findall(sentence)]
    matched = sum(block.size for block in SequenceMatcher(None, quote_words, words, autojunk=False).get_matching_blocks())
    return matched >= (TUNING.quote_restated if share is None else share) * len(quote_words)


def quoted_first(ranked: list, reference: Answer) -> list:
    """``ranked`` (objects with chunk, start, end, text, score) with the sentences ``reference`` cites first, in
    the order it cites them, then the rest as ranked; each item keeps its fields, its score made to sort so.
    Example: ranked [a (0.9), b (0.2)] and a reference citing b -> [b, a]."""
    order: dict = {}
    for sentence in reference.sentences:
        for marker in sentence.citations:
            order.setdefault(marker, len(order))
    spans = {(c.source, c.start, c.end): order.get(c.marker, len(order)) for c in reference.citations}
    top = max((float(r.score) for r in ranked), default=0.0) + 1.0 + len(spans)
    out = []
    for r in ranked:
        place = spans.get((r.chunk.source, r.start, r.end))
        score = top - place if place is not None else float(r.score)
        out.append(_Ranked(r.chunk, r.start, r.end, r.text, score))
    return sorted(out, key=lambda r: -r.score)


@dataclass(frozen=True)
class _Ranked:
    chunk: object
    start: int
    end: int
    text: str
    score: float
