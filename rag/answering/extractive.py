"""The offline default answerer: pick the sentences of the retrieved passages that answer the question,
quote them exactly, cite every file that states the same fact, surface disagreements, or abstain."""
from __future__ import annotations

import math
from typing import Callable

import numpy as np

from rag import abstain_features, answer_features
from rag.answering.categories import names_asked_category
from rag.answering.check import not_an_answer
from rag.answering.file_conflicts import chosen_conflict, file_conflict, following_answer, other_values
from rag.readers.claims import numbers, support_score
from rag.textspans import content_terms, sentence_spans, without_references
from rag.types import Chunk, Hit, Span
from rag.tuning import TUNING
from rag.answering.candidates import Candidate, Selection  # noqa: F401 (re-exported)


def candidate_sentences(hits: list[Hit], text_of: Callable[[Chunk], str],
                        spans_of: dict | None = None) -> list[Candidate]:
    """Sentences of each hit, plus the sentence right after it (the answer often follows the sentence that
    restates the question), deduplicated by exact span. ``spans_of``: chunk id -> its sentences (span, text),
    kept across questions by the caller (one index snapshot's chunks never change under their ids)."""
    seen: set[tuple[str, int]] = set()
    out: list[Candidate] = []
    for rank, hit in enumerate(hits):
        chunk = hit.chunk
        sentences = spans_of.get(chunk.id) if spans_of is not None else None
        if sentences is None:
            sentences = _chunk_sentences(chunk, text_of(chunk))
            if spans_of is not None:
                spans_of[chunk.id] = sentences
        for span, sentence in sentences:
            key = (chunk.source, span.start)
            if key in seen:
                continue
            seen.add(key)
            out.append(Candidate(chunk, span.start, span.end, sentence, rank))
    return out


def _chunk_sentences(chunk: Chunk, text: str) -> list[tuple[Span, str]]:
    # A chunk's sentences and the first one after it, as (span in the file, exact text).
    spans = _stored_spans(chunk) or sentence_spans(text, chunk.start, chunk.end)
    following = sentence_spans(text, chunk.end, min(len(text), chunk.end + 600), most=1)
    trimmed = [without_references(text, span) for span in spans + following[:1]]
    return [(span, text[span.start:span.end]) for span in trimmed]


def _stored_spans(chunk: Chunk) -> list[Span]:
    # Ingest stored the chunk's sentence spans (``sentence_spans`` of its text) with their vectors: reading them
    # back is the same spans without re-splitting every hit per question (~1 ms a question at 100k chunks).
    return [Span(chunk.start + start, chunk.start + end) for start, end in chunk.stored_spans()]


def coverage(text: str, idf: dict[str, float]) -> float:
    """Share of the question's idf mass whose terms occur in ``text``. Example: all terms present -> 1.0."""
    terms = set(content_terms(text))
    return sum(w for t, w in idf.items() if t in terms) / (sum(idf.values()) or 1.0)


def idf_weights(terms: list[str], document_frequency: Callable[[str], int], n_docs: int) -> dict[str, float]:
    """BM25-style idf per question term; unseen terms weigh the most. Example: weights of ['harbour', 'kg']."""
    return {t: math.log(1 + (n_docs - document_frequency(t) + 0.5) / (document_frequency(t) + 0.5)) for t in terms}


def score_candidates(question: str, question_vector: np.ndarray, candidates: list[Candidate],
                     vectors: np.ndarray, idf: dict[str, float], said: frozenset = frozenset()) -> None:
    """Fill each candidate's cosine, coverage, features and score: the named measures of
    rag.answer_features combined by the learned model (rag/answer_weights.py), its log-odds mapped onto the hand
    blend's scale the selection shares were set on. ``said``: the sentences the conversation's previous answer
    quoted (answer_features.squashed): a follow-up asks for something more. A sentence that cannot answer
    (rag.answering.check.not_an_answer) is marked ``never``.
    """
    for cand, vector in zip(candidates, vectors):
        cand.vector = vector
        cand.cosine = float(np.dot(question_vector, vector))
    cues = answer_features.read_question(question, idf)
    x = answer_features.feature_matrix(cues, candidates, previous_sentences(candidates), said)
    logits = answer_features.logits(x)
    for cand, row, logit, score, near in zip(candidates, x, logits, answer_features.on_blend_scale(logits),
                                             answer_features.relevance(x, cues.kind)):
        cand.features, cand.logit, cand.score, cand.relevance = row, float(logit), float(score), float(near)
        cand.never = bool(not_an_answer(cand.text, question))


def previous_sentences(candidates: list[Candidate], text_of=None) -> dict[int, Candidate]:
    """Map each candidate to the candidate sentence right before it in the same paragraph, if any (a sentence
    continues its neighbour's thought only inside one paragraph)."""
    by_source: dict[str, list[Candidate]] = {}
    for cand in candidates:
        by_source.setdefault(cand.chunk.source, []).append(cand)
    previous = {}
    for group in by_source.values():
        group.sort(key=lambda c: c.start)
        for before, after in zip(group, group[1:]):
            if after.start - before.end <= 3 and after.chunk.source == before.chunk.source and \
                    _same_paragraph(before, after):
                previous[id(after)] = before
    return previous


def _same_paragraph(before: Candidate, after: Candidate) -> bool:
    gap_start, gap_end = before.end - before.chunk.start, after.start - before.chunk.start
    gap = before.chunk.text[gap_start:gap_end] if gap_end <= len(before.chunk.text) else " "
    return "\n" not in gap


def _similar(a: Candidate, b: Candidate) -> float:
    return float(np.dot(a.vector, b.vector)) if a.vector is not None and b.vector is not None else 0.0


def select(question: str, candidates: list[Candidate], abstain_below: float, max_sentences: int = 3,
           keep_ratio: float = TUNING.keep_ratio, corroborate_at: float = TUNING.corroborate_at, force_abstain: bool = False,
           relevance=None, conflict_pool: list[Candidate] = (), similarity=None) -> Selection:
    """Choose a short, non-redundant set of answer sentences; attach same-fact sentences from other files as
    extra citations; detect disagreement; abstain when even the most relevant sentence's relevance is under
    ``abstain_below`` (answer_features.relevance) or the evidence model (rag.abstain_features) gives the best
    sentences less than TUNING.evidence_below chance of answering. A sentence that is no answer (Candidate.never:
    a question, a headline, a restatement of the question) is neither quoted nor weighed for abstaining; it stays
    in the value comparison, where a file's title line is what its best passage is measured against."""
    everything = sorted(candidates, key=lambda c: -c.score)
    ranked = [c for c in everything if not c.never]
    chance = answer_chance(question, ranked)
    near = sorted(ranked, key=lambda c: -c.relevance)
    off_topic = not near or near[0].relevance < abstain_below and not names_asked_category(
        question, [c.text for c in near if c.relevance >= abstain_below * TUNING.near_bar][:TUNING.near_sentences],
        similarity)
    if force_abstain or off_topic or chance < TUNING.evidence_below:
        related, seen = [], set()
        for cand in ranked:
            if cand.chunk.source not in seen:
                related.append(cand)
                seen.add(cand.chunk.source)
            if len(related) == 3:
                break
        return Selection(True, [], related, None, ranked[0].score if ranked else 0.0, chance=chance)

    best = ranked[0].score
    # The shares of the best (keep_ratio, the file-conflict shares) were set on the hand blend's best over every
    # candidate: they read the relevance (answer_features.relevance), the learned score only orders.
    top_relevance = max(c.relevance for c in everything)
    chosen: list[list[Candidate]] = []
    used: set[tuple[str, int]] = set()
    for cand in ranked:
        if len(chosen) >= max_sentences:
            break
        if cand.relevance < top_relevance * keep_ratio:
            continue
        if (cand.chunk.source, cand.start) in used:
            continue
        twin = next((group for group in chosen if _similar(group[0], cand) >= TUNING.twin_cosine), None)
        if twin is not None:
            continue  # a restatement of a sentence already chosen
        group = [cand]
        used.add((cand.chunk.source, cand.start))
        for other in ranked:
            key = (other.chunk.source, other.start)
            if key in used or other.chunk.source in {g.chunk.source for g in group}:
                continue
            if _corroborates(cand, other, corroborate_at):
                group.append(other)
                used.add(key)
        chosen.append(group)

    pooled = sorted(everything + list(conflict_pool), key=lambda c: -c.relevance)
    conflict, by_id = file_conflict(question, pooled, top_relevance, relevance, similarity)
    if conflict is None:
        conflict, by_id = chosen_conflict(question, chosen)
    minority: list[list[Candidate]] = []
    if conflict:
        majority_sources = {s for side in conflict.majority for s in side.sources}
        minority_ids = {i for side in conflict.sides if side.minority for i in side.ids}
        # A sentence only a minority states is not the answer: it is reported as a minority, not adopted. The
        # minority file's other sentences stay when they state neither its passage nor its value (the file may
        # say something else the question asks, in other words).
        minority_heads = {id(by_id[i]) for i in minority_ids}
        minority_values = [side.value.casefold() for side in conflict.sides if side.minority]
        chosen = [g for g in chosen if g[0].chunk.source in majority_sources
                  or (id(g[0]) not in minority_heads and not any(v in g[0].text.casefold() for v in minority_values))]
        for side in conflict.sides:
            head = by_id[side.ids[0]]
            if side.minority:
                minority.append([by_id[i] for i in side.ids])
            elif not any(head is g[0] or head in g for g in chosen):
                chosen.append([head])
    chosen = following_answer(question, chosen, conflict, by_id)
    chosen, unweighed = other_values(question, chosen, conflict, by_id, similarity)
    minority.extend(unweighed)
    order = {}
    for group in chosen:
        order.setdefault(group[0].chunk.source, len(order))
    chosen.sort(key=lambda g: (order[g[0].chunk.source], g[0].start))
    return Selection(False, chosen, [], conflict, best, by_id, minority, chance)


def answer_chance(question: str, ranked: list[Candidate]) -> float:
    """The abstention model's chance (rag.abstain_features) that candidates ranked best first answer the question.
    Example: ``answer_chance("Who won?", [])`` -> a small chance."""
    return abstain_features.probability(abstain_features.of_candidates(question, ranked))


def _corroborates(claim: Candidate, other: Candidate, bar: float) -> bool:
    """Another file states the same fact: close in meaning, and it holds the claim's numbers, if any."""
    mine, theirs = numbers(claim.text), numbers(other.text)
    if mine and not mine & theirs:
        return False
    if mine - theirs and theirs - mine:
        return False  # each states a number the other lacks: the same sentence with a value swapped contradicts it
    return support_score(claim.text, other.text, _similar(claim, other)) >= bar or _similar(claim, other) >= TUNING.corroborate_cosine
