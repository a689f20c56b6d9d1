"""Assistant: the one Python API the CLI, UI and evaluation share. Built once from Settings; ``ask`` and
``stream`` run retrieve -> answer -> check -> Answer."""
from __future__ import annotations

import threading
import time
import unicodedata
from dataclasses import replace
from typing import Iterator

import numpy as np

from rag.answering.answerers import Evidence, ExtractiveAnswerer, LlmAnswerer
from rag.answering.check import check_answer
from rag.answering.reading import read_question
from rag.answering.repeats import quoted_before
from rag.answering.trace import hit_rows
from rag.corpus_names import CorpusNames
from rag.errors import BadArgument, BadQuestion, IndexCorrupt, RagError
from rag.filters import Filters
from rag.question_retrieval import QuestionRetriever
from rag.readers.values import DATE_ISO
from rag.retrieval import Retrieval
from rag.settings import Settings
from rag.sentence_scores import SentenceScorer
from rag.store import IndexStore
from rag.textspans import content_terms
from rag.types import Answer, Chunk
from rag.tuning import TUNING

GENERATION_CHECK_S = 0.25  # server mode: at most this often a running Assistant asks the published generation


def clean_question(question: str, limit: int) -> tuple[str, str]:
    """Normalise a question: drop control characters, collapse whitespace, cut to ``limit`` characters.

    Returns (question, notice). Raises BadQuestion when nothing is left.
    Example: ``clean_question("  what\\x00 now? ", 100)`` -> ('what now?', '').
    """
    if not isinstance(question, str):
        raise BadQuestion("the question must be text")
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in question)
    text = " ".join(text.split())
    if not text:
        raise BadQuestion("the question is empty: type a question about the documents")
    notice = ""
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] or text[:limit]
        notice = f"The question was cut to its first {limit} characters."
    return text, notice


class Assistant:
    """Answers questions over one index. Holds the model, the Chroma collection and the BM25 index."""

    def __init__(self, settings: Settings, embedder=None) -> None:
        from rag.embeddings import Embedder

        from rag.vectors import single_threaded_blas

        single_threaded_blas()  # the answerer's small matrix products (see there)
        self.settings = settings
        # Fail fast, before the seconds of loading the model: a missing index or a down server is one line now.
        IndexStore(settings).check_exists()
        # ``is None``, not ``or``: a caching embedder with nothing cached yet has len() 0 and is still the one to use.
        self.embedder = embedder if embedder is not None else Embedder(settings.embed_backend,
                                                                       settings.embed_batch_size)
        self.store = IndexStore(settings, self.embedder.chroma_function())
        self._generation = None
        self._texts: dict[str, str] = {}
        self._sentence_vectors: dict[str, np.ndarray] = {}
        self._refresh_lock = threading.Lock()
        self._checked = 0.0
        self._load()

    # ---- index snapshot
    def _load(self) -> None:
        # One generation's manifest and BM25 (in server mode: the published one, cached under --db or rebuilt
        # from the server), published below in one assignment each after everything is built.
        manifest, bm25 = self.store.snapshot()
        collection = self.store.collection()
        id_info = {cid: (doc.source, doc.date) for doc in manifest.documents.values() for cid in doc.chunk_ids}
        following = {a: b for doc in manifest.documents.values() for a, b in zip(doc.chunk_ids, doc.chunk_ids[1:])}
        retrieval = Retrieval(collection, bm25, id_info, self.embedder, following)
        retrieval.fusion = self.settings.fusion
        names = CorpusNames(bm25, id_info, manifest.documents.values(), retrieval.chunks)
        self._previous_documents = getattr(self, "manifest", manifest).documents
        self._next_chunk, self.manifest, self.retrieval = following, manifest, retrieval
        self.scorer = SentenceScorer(self.embedder, retrieval, following, self._text_of, self._sentence_vectors)
        self.names = names
        self.retriever = QuestionRetriever(retrieval, names, self.embedder, self.settings)
        self.extractive = ExtractiveAnswerer(self.scorer, names, self.settings.max_answer_sentences,
                                             self.settings.support_threshold, self._text_of, self.embedder)
        self._generation = manifest.generation
        self._manifest_mtime = self._mtime()

    def _mtime(self) -> float:
        if self.settings.chroma_url:
            return 0.0
        try:
            return self.store.manifest_path.stat().st_mtime
        except OSError:
            return 0.0

    def refresh(self) -> None:
        """Pick up a newer index written by `rag ingest` since this Assistant was built (cheap when unchanged).

        Server mode asks the server which generation is published, at most every GENERATION_CHECK_S seconds
        (one small request), so every app process over one server moves to a new generation within that time."""
        if self.settings.chroma_url:
            now = time.monotonic()
            if now - self._checked < GENERATION_CHECK_S:
                return
            self._checked = now
            if self.store.published_generation() == self._generation:
                return
            with self._refresh_lock:  # one thread rebuilds; the others keep answering from the old snapshot
                if self.store.published_generation() != self._generation:
                    self._load()
            return
        if self._mtime() != self._manifest_mtime:
            # Chroma's embedded client keeps the vector index it opened: reopen it, or vectors written by
            # another process's ingest stay invisible to dense search (only BM25 would find the new text).
            self.store.close()
            self._load()

    @property
    def sources(self) -> list[str]:
        """Files in the index, in name order."""
        return sorted(self.manifest.documents)

    def document_text(self, source: str) -> str:
        """The exact text a source's offsets index into (raises NotInCorpus for anything else)."""
        from rag.errors import NotInCorpus

        entry = self.manifest.documents.get(source)
        if entry is None:
            raise NotInCorpus(f"{source!r} is not a file of the ingested corpus")
        return self._read(entry)

    def _read(self, entry) -> str:
        if entry.sha not in self._texts:
            self._texts[entry.sha] = self.store.read_text(entry)
        return self._texts[entry.sha]

    def _text_of(self, chunk: Chunk) -> str:
        # The document version the chunk was cut from: a question that began just before another thread moved
        # this Assistant to a new generation still reads its own generation's text.
        entry = next((docs[chunk.source] for docs in (self.manifest.documents, self._previous_documents)
                      if chunk.source in docs and (not chunk.doc_sha or docs[chunk.source].sha == chunk.doc_sha)),
                     None)
        text = self._read(entry) if entry is not None else self.document_text(chunk.source)
        if text[chunk.start:chunk.end] != chunk.text:
            raise IndexCorrupt(f"the index in {self.store.describe()} is out of step with {chunk.source}; "
                               "run `rag ingest` again")
        return text

    # ---- arguments
    def filters(self, sources=None, since: str | None = None, until: str | None = None) -> Filters:
        """Validate filters against the corpus. Raises BadArgument with the fix."""
        sources = (sources,) if isinstance(sources, str) else sources  # one name, not its characters
        sources = tuple(s for s in (sources or ()) if s)
        unknown = [s for s in sources if s not in self.manifest.documents]
        if unknown:
            known = ", ".join(self.sources[:8]) + (" ..." if len(self.sources) > 8 else "")
            raise BadArgument(f"unknown source {unknown[0]!r}; files in the index: {known}")
        for name, value in (("since", since), ("until", until)):
            if value and not DATE_ISO.fullmatch(value):
                raise BadArgument(f"--{name} must be a date like 2026-01-31, not {value!r}")
        return Filters(sources, since or "", until or "")

    # ---- answering
    def ask(self, question: str, k: int | None = None, sources=None, since: str | None = None,
            until: str | None = None, backend: str | None = None, conversation=(), explain: bool = False) -> Answer:
        """Answer one question with cited sentences, or abstain. ``conversation``: the earlier turns, oldest
        first (Answers, rag.conversation.Turn, dicts or question strings), owned by the caller.
        Example: ``assistant.ask("Since when?", conversation=[first_answer]).standalone_question``."""
        answer = None
        for answer in self.stream(question, k, sources, since, until, backend, conversation, explain):
            pass
        return answer

    def stream(self, question: str, k: int | None = None, sources=None, since: str | None = None,
               until: str | None = None, backend: str | None = None, conversation=(),
               explain: bool = False) -> Iterator[str | Answer]:
        """Yield text pieces as they are produced, then the final Answer (always last). The stages run one way:
        resolve (a follow-up against ``conversation``) -> read (the question, once) -> retrieve -> answer
        (rag.answering.answerers) -> check (rag.answering.check). ``explain``: the Answer carries each stage's
        output as ``trace``."""
        started = time.perf_counter()
        question, notice = clean_question(question, self.settings.max_question_chars)
        k = self.settings.top_k if k is None else k
        if not isinstance(k, int) or k < 1 or k > 100:
            raise BadArgument(f"the number of passages must be between 1 and 100, not {k}")
        self.refresh()
        filters = self.filters(sources, since, until)
        backend = backend or self.settings.llm
        trace = {} if explain else None
        asked = question
        # resolve
        resolution, unreachable = self._resolution(question, conversation, backend)
        question = resolution.standalone
        if unreachable:  # the condense call found no endpoint: answer offline now rather than wait for it again
            from rag.answering.llm import fallback_notice

            notice, backend = fallback_notice(self.settings, unreachable, notice), "extractive"
        # The new turn's own words lead: terms carried from earlier turns count for less in sentence selection,
        # and a follow-up is not answered with the very sentences the previous answer quoted when others qualify.
        carried = frozenset(content_terms(" ".join(resolution.carried))) - frozenset(content_terms(asked))
        said = quoted_before(conversation) if resolution.changed else frozenset()
        # read
        reading = read_question(question)
        if trace is not None:
            trace["resolve"] = {"asked": asked, "standalone": question, "carried": sorted(carried)}
            trace["reading"] = reading.to_json()
        resolved_ms = (time.perf_counter() - started) * 1000
        # retrieve. For a comparable value (a share, a date, a name) the extractive answerer also reads a few
        # passages beyond the top k (a disagreement is worth reporting even when one side ranks lower): one
        # retrieval serves both, its first k being exactly the top k. Two readers, two rankings: an LLM reads the
        # full ranking (the question's clauses and the masthead bonus too), as the published MultiHop-RAG
        # pipelines do; the extractive answerer reads the question's own ranking (handed the clause-ranked
        # passages it lost answers: MultiHop-RAG inference 0.764 -> 0.728, seeds citation precision 0.884 -> 0.871).
        # A shaped question (why, compare, sum up, in order, yes/no...) reads more: its answer is spread over as
        # many files as hold the facts; a timeline more again (its dated sentences are few).
        extractive = backend == "extractive" and not self.settings.mmr
        extra = TUNING.timeline_pool if extractive and reading.shape == "timeline" else \
            TUNING.shaped_pool if extractive and reading.shape != "fact" else \
            TUNING.conflict_pool if extractive and reading.kind else 0
        ranked = self._retrieve(question, k + extra, filters, asked if resolution.changed else "",
                                full=backend != "extractive", days=reading.days)
        hits, pool = ranked[:k], ranked[k:]
        if trace is not None:
            trace["retrieve"] = hit_rows(hits)
        retrieved_ms = (time.perf_counter() - started) * 1000
        # answer
        evidence = Evidence(reading, tuple(hits), tuple(pool), carried, said, notice)
        answerer = self.extractive if backend == "extractive" else LlmAnswerer(
            self.settings, backend, self._text_of, self.embedder, self.scorer, self.extractive)
        final = None
        for piece in answerer.stream(evidence, trace):
            if isinstance(piece, Answer):
                final = piece
            else:
                yield piece
        answered_ms = (time.perf_counter() - started) * 1000
        # check
        final, checks = check_answer(final, self.document_text, self.settings.support_threshold, self.embedder)
        if trace is not None:
            trace["check"] = [c.to_json() for c in checks]
        total_ms = (time.perf_counter() - started) * 1000
        timings = {"resolve_ms": round(resolved_ms, 2), "retrieve_ms": round(retrieved_ms, 2),
                   "answer_ms": round(answered_ms, 2), "total_ms": round(total_ms, 2)}
        yield replace(final, question=asked, standalone_question=question, timings_ms=timings, trace=trace)

    def resolve(self, question: str, conversation=(), backend: str | None = None):
        """The question as it stands alone (rag.conversation.Resolution): earlier turns' topic terms carried,
        ranked by their corpus idf, into a follow-up; a self-contained question unchanged. With an LLM backend
        the model condenses it (prompts/condense.md), the offline resolver standing in when the call fails."""
        return self._resolution(question, conversation, backend)[0]

    def _resolution(self, question: str, conversation=(), backend: str | None = None):
        """(Resolution, why the LLM endpoint could not be reached or "")."""
        from rag.conversation import Resolution, resolve

        if not conversation:
            return Resolution(question, question), ""
        if (backend or self.settings.llm) not in ("extractive", None, ""):
            from rag.condense import condense

            condensed = condense(self.settings, backend or self.settings.llm, question, conversation,
                                 self.term_weight)
            return condensed.resolution, condensed.unreachable
        return resolve(question, conversation, self.term_weight), ""

    def retrieve(self, question: str, k: int, asked: str = "", filters: Filters | None = None):
        """The hits an LLM backend answers from (the extractive answerer reads the question's own ranking: see
        ``stream``): ``question`` as resolved from ``asked`` (see _retrieve).
        Example: ``assistant.retrieve("How tall is it? (Eiffel Tower)", 10, asked="How tall is it?")``."""
        return self._retrieve(question, k, filters or Filters(), asked)

    def term_weight(self, term: str) -> float:
        """idf of a term in the indexed corpus (BM25's analyzer): rare terms say more about a topic."""
        return self.retriever.term_weight(term)

    def _retrieve(self, question: str, k: int, filters: Filters, asked: str = "", full: bool = True, days=None):
        try:
            return self.retriever.ranked(question, k, filters, asked, full, days)
        except RagError:
            raise
        except Exception as exc:
            raise self.store._wrap(exc) from None
