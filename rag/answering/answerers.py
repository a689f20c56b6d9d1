"""The answerers behind one small protocol: ``answer(evidence, trace) -> Answer`` and ``stream(evidence, trace)``
yielding text pieces, then the Answer. Each receives the evidence (the question's reading, the hits, the
conversation's carried terms), never the Assistant; the LLM answerer receives the extractive one for its
fallback.

The extractive answerer runs its stages in one direction:
candidates -> score -> answer material -> abstain -> select (values compared) -> compose. Each stage's output goes
into ``trace`` (a dict) when one is given: `rag ask --explain` prints it.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Iterator, Protocol

from rag.answering.check import WH_QUESTION, not_an_answer
from rag.answering.compose import abstain_text, citation_of, compose
from rag.answering.extractive import select
from rag.answering.reading import QuestionReading
from rag.answering.shaped import shaped_answer
from rag.answering.shapes import ShapeReading
from rag.answering.trace import candidate_rows, selection_rows
from rag.readers.abstain import missing_terms, sources_silent_on_subject, unpublished
from rag.readers.claims import numbers
from rag.readers.question_kind import QUANTITY_KINDS
from rag.readers.values import dates, money
from rag.support import check as support_check
from rag.tuning import TUNING, Tuning
from rag.types import Answer, Hit


@dataclass(frozen=True)
class Evidence:
    """What an answerer reads: the standalone question's reading, the top hits (answerable), a pool of further
    passages (read only to find another side of a disagreement), the terms carried from earlier turns, the
    sentences the previous answer quoted, and a notice to pass on."""

    reading: QuestionReading
    hits: tuple[Hit, ...]
    pool: tuple[Hit, ...] = ()
    carried: frozenset = frozenset()
    said: frozenset = frozenset()
    notice: str = ""


class Answerer(Protocol):
    def answer(self, evidence: Evidence, trace: dict | None = None) -> Answer: ...

    def stream(self, evidence: Evidence, trace: dict | None = None) -> Iterator[str | Answer]: ...


@dataclass(frozen=True)
class AbstainDecision:
    """Whether to decline, and why: names the corpus never mentions, sources silent on the subject, or a best
    sentence's relevance under the bar (select applies the bar, the near-bar category rule and the evidence
    model's chance, rag.abstain_features)."""

    missing: tuple[str, ...]
    silent: tuple[str, ...]
    best_score: float
    bar: float
    value_absent: bool = False  # a quantity is asked and no sentence near the top states one

    @property
    def forced(self) -> bool:
        return bool(self.missing or self.silent or self.value_absent)

    def to_json(self) -> dict:
        return {"missing_names": list(self.missing), "sources_silent": list(self.silent),
                "value_absent": self.value_absent,
                "best_score": round(self.best_score, 4), "bar": self.bar,
                "decline": self.forced or self.best_score < self.bar}


class ExtractiveAnswerer:
    """Quotes the sentences that answer. ``scorer``: the snapshot's SentenceScorer; ``names``: its CorpusNames;
    ``max_sentences`` and ``threshold`` from Settings."""

    def __init__(self, scorer, names, max_sentences: int, threshold: float, text_of=None, embedder=None,
                 tuning: Tuning = TUNING) -> None:
        self.scorer, self.names, self.text_of, self.embedder = scorer, names, text_of, embedder
        self.max_sentences, self.threshold, self.tuning = max_sentences, threshold, tuning

    def stream(self, evidence: Evidence, trace: dict | None = None) -> Iterator[str | Answer]:
        final = self.answer(evidence, trace)
        for sentence in final.sentences:
            yield sentence.text + "".join(f"[{m}]" for m in sentence.citations) + " "
        if final.abstained:
            yield final.answer
        yield final

    def _candidates(self, evidence: Evidence) -> tuple[list, list, dict]:
        """All scored candidates, those of the hits themselves, and the ones never quoted (with why)."""
        question = evidence.reading.text
        hits = list(evidence.hits)
        # (a follow-up's sentences the previous answer quoted, and their neighbours, are features of the score)
        candidates, _ = self.scorer.score(question, hits + list(evidence.pool), evidence.carried, evidence.said)
        answerable = {h.chunk.id for h in hits}
        own = [c for c in candidates if c.chunk.id in answerable]
        # answer material: a question line, a headline or a restatement of the question is never quoted as an
        # answer. They stay candidates for the value comparison: there a file's headline is still what its best
        # passage is measured against (taken out, a file's next sentence stated an unrelated figure as a side:
        # seeds q28, q31).
        rejected = {id(c): not_an_answer(c.text, question) for c in own if c.never}  # marked by the scorer
        return candidates, own, rejected

    def declined_by_the_corpus(self, evidence: Evidence) -> bool:
        """Whether a corpus rule declines the question before any answer is composed: a name it asks about is in no
        article, the sources it credits are silent on its subject, or no sentence near the top states the quantity
        asked. Any answerer is bound by it (an LLM cannot know what the corpus never mentions). The candidates are
        scored only when the last rule can apply (a wh-question asking for a quantity)."""
        missing, silent = self._names_unmet(evidence.reading)
        if missing or silent:
            return True
        if not self._asks_quantity(evidence.reading):
            return False
        _, own, rejected = self._candidates(evidence)
        return self.decide(evidence.reading, [c for c in own if id(c) not in rejected]).forced

    def answer(self, evidence: Evidence, trace: dict | None = None) -> Answer:
        question = evidence.reading.text
        hits = list(evidence.hits)
        # candidates + score
        candidates, own, rejected = self._candidates(evidence)
        answerable = {h.chunk.id for h in hits}
        if trace is not None:
            trace["candidates"] = candidate_rows(own)
            trace["not_answers"] = [{"text": c.text[:160], "why": rejected[id(c)]}
                                    for c in own if id(c) in rejected][:8]
        # abstain
        decision = self.decide(evidence.reading, [c for c in own if id(c) not in rejected])
        if trace is not None:
            trace["abstain"] = decision.to_json()
        # a why / reaction / comparison / summary / timeline / yes-no / list question: composed in its shape
        # (rag.answering.shaped); None: the plain answer below
        if evidence.reading.shape != "fact" and not decision.missing and not decision.silent \
                and self.text_of is not None:
            shaped = self._shaped(evidence, candidates, hits)
            if shaped is not None:
                if trace is not None:
                    trace["compose"] = {"shape": shaped.shape, "why": shaped.shape_reason}
                return shaped
        # select (values compared across files) -> compose
        selection = select(question, own, decision.bar, self.max_sentences, force_abstain=decision.forced,
                           relevance=(self.scorer.clause_relevance(question),  # as asked, and without its names
                                      self.scorer.clause_relevance(evidence.reading.predicate)),
                           conflict_pool=[c for c in candidates if c.chunk.id not in answerable],
                           similarity=self.scorer.word_similarity)
        if rejected and not selection.abstained:
            selection = _answers_only(selection, rejected)
        if trace is not None:
            trace["select"] = selection_rows(selection)
        retrieved = tuple(dict.fromkeys(h.chunk.source for h in hits))
        if selection.abstained:
            related = tuple(citation_of(i + 1, c) for i, c in enumerate(selection.related))
            absent = evidence.reading.kind if decision.value_absent else ""
            return Answer(question, abstain_text(list(decision.missing), list(decision.silent), absent), True, (), (),
                          related, (), retrieved, "extractive", evidence.notice)
        return compose(question, selection, retrieved, evidence.notice, self.threshold)

    def _shaped(self, evidence: Evidence, candidates, hits) -> Answer | None:
        passages = hits + list(evidence.pool)
        return shaped_answer(evidence.reading.text, scored_on_relevance(candidates), passages,
                             {c.chunk.source: self.text_of(c.chunk) for c in candidates},
                             functools.partial(support_check, embedder=self.embedder),
                             tuple(dict.fromkeys(h.chunk.source for h in hits)), evidence.notice, self.threshold,
                             lambda text: scored_on_relevance(self.scorer.score(text, passages, evidence.carried)[0]),
                             ShapeReading(evidence.reading.shape, evidence.reading.shape_reason))

    def decide(self, reading: QuestionReading, candidates) -> AbstainDecision:
        """Decline when a name the question asks about is nowhere in the corpus, when every source it credits is
        silent on its subject, or (in select) when even the most relevant sentence is under the bar."""
        missing, silent = self._names_unmet(reading)
        best = max((c.relevance for c in candidates), default=0.0)
        top = sorted(candidates, key=lambda c: -c.score)[:self.tuning.value_sentences]
        absent = bool(top) and self._asks_quantity(reading) and \
            not any(states_quantity(c.text, reading.kind) for c in top)
        return AbstainDecision(tuple(missing), tuple(silent), best, self.tuning.abstain_below, absent)

    def _names_unmet(self, reading: QuestionReading) -> tuple[list, list]:
        """Names asked about that no article mentions; sources credited that are silent on the subject."""
        names, question = self.names, reading.text
        missing = missing_terms(question, names.in_corpus, names.passages_mentioning, names.names_word)
        silent = [] if missing else sources_silent_on_subject(question, names.files_mentioning,
                                                              names.mastheads_mentioning, names.passages_mentioning)
        if not missing and not silent and reading.publications and names.has_mastheads():
            silent = unpublished(question, names.mastheads_mentioning)
        return missing, silent

    @staticmethod
    def _asks_quantity(reading: QuestionReading) -> bool:
        # Only a wh-question asks for the quantity itself ("How many", "What share"); a yes/no question that
        # mentions one ("Did sales rise 5%?") is settled by other sentences too.
        return reading.kind in _QUANTITIES and bool(WH_QUESTION.match(reading.text))


_QUANTITIES = QUANTITY_KINDS  # share, money, number


def scored_on_relevance(candidates) -> list:
    """Copies of the candidates scored by their relevance (rag.answer_features.relevance, the hand blend): the
    shaped composers' floors and bonuses (rag.answering.shaped) were set on it, and the learned score was fitted to
    find the one sentence that answers a fact question, not the several a why / list / summary answer spreads over
    files (eval/gold_shapes.jsonl: files spread 0.448 on the blend, 0.414 on the learned score)."""
    from dataclasses import replace

    return [replace(c, score=c.relevance) for c in candidates]


def states_quantity(text: str, kind: str) -> bool:
    """Whether ``text`` states a quantity that could answer a question asking for ``kind`` (a share, money, a
    number): digits or a number word will do, as articles write "seven plants" or "half of it".
    Example: ``states_quantity("Seven plants closed in 2024.", "number")`` -> True."""
    for value in sorted(dates(text), key=lambda v: -v.start):  # a year or a day is no count, share or price
        text = text[:value.start] + " " + text[value.end:]
    if kind == "money":
        return bool(money(text)) or bool(numbers(text, spelled=True))
    return bool(numbers(text, spelled=True))


def _answers_only(selection, rejected: dict):
    """The selection without answer sentences that are no answer; declined when nothing is left to say. Minority
    reports stay: "One source says: ..." reports a value a file states (often in its title line), it adopts
    nothing (RAMDocs dev: dropping them hid 4 gold values stated only in a title)."""
    from dataclasses import replace

    sentences = [g for g in selection.sentences if id(g[0]) not in rejected]
    if not sentences and selection.conflict is None:
        return replace(selection, abstained=True, sentences=[], minority=[],
                       related=[g[0] for g in selection.sentences][:3])
    return replace(selection, sentences=sentences)


class LlmAnswerer:
    """A chat model through LangChain (rag.answering.llm): it reads the scorer's best sentences, its sentences are
    checked with ``embedder``; the extractive answerer is its fallback."""

    def __init__(self, settings, backend: str, text_of, embedder, scorer, fallback: ExtractiveAnswerer) -> None:
        self.settings, self.backend, self.text_of, self.embedder = settings, backend, text_of, embedder
        self.scorer, self.fallback = scorer, fallback

    def answer(self, evidence: Evidence, trace: dict | None = None) -> Answer:
        final = None
        for final in self.stream(evidence, trace):
            pass
        return final

    def stream(self, evidence: Evidence, trace: dict | None = None) -> Iterator[str | Answer]:
        from dataclasses import replace

        from rag.answering.llm import Evidence as LlmEvidence, llm_stream

        def extractive(question, hits, notice):
            # The fallback reads the same reading and conversation, only the hits the model was given.
            return self.fallback.answer(replace(evidence, hits=tuple(hits), pool=(), notice=notice), trace)

        def sentences(question, hits):
            return self.scorer.score(question, list(hits), evidence.carried)[0]

        # The abstention stage binds both answerers: where a corpus rule declines (a name asked about is in no
        # article...), the model is not asked; it would answer from passages about something else (seen on the
        # real model: "What did <an agency no article names> say ..." answered with another body's statement).
        if evidence.hits and self.fallback.declined_by_the_corpus(evidence):
            final = self.fallback.answer(evidence, trace)
            if final.abstained:
                yield final.answer
                yield final
                return
        llm_evidence = LlmEvidence(self.settings, self.text_of, self.embedder.encode, extractive,
                                   sentences=sentences, embedder=self.embedder, shape=evidence.reading.shape)
        final = yield from llm_stream(llm_evidence, evidence.reading.text, list(evidence.hits), self.backend,
                                      evidence.notice)
        yield final
