"""LLM answerer: LangChain chat model + prompts/answer.md -> text with [n] markers -> checked, exactly quoted Answer.

The model only chooses what to say and which numbered source backs each sentence. Quotes are never taken from
the model: for every (sentence, source) pair the quote is the span of that source's chunk that best supports
the sentence, cut from the document text by offset, so ``quote == document_text[start:end]`` always holds.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Callable, Iterator
from urllib.parse import urlsplit, urlunsplit

import numpy as np

from rag.answering.citations import (answer_sentences, first_use_order, has_words, is_refusal, parse_markers,
                                     quote_spans)
from rag.answering.conflicts import find_conflict
from rag.errors import BackendUnavailable, BadArgument
from rag.prompts import load_prompt, render_messages
from rag.support import best as best_quote, score as claim_support  # the one support score (bench.attribution)
from rag.types import Answer, Citation, Conflict, Sentence

BACKENDS = ("openai", "ollama")
REFUSAL = "The sources do not answer this question."
_MAX_TOKENS = 600
_RELATED = 3  # passages listed as related reading when the model refuses
_HINTS = {401: "; check RAG_LLM_API_KEY", 403: "; check RAG_LLM_API_KEY",
          404: "; check RAG_LLM_MODEL and RAG_LLM_BASE_URL"}
_FENCE = re.compile(r"<(/?\s*sources?\b)", re.IGNORECASE)


class _BadReply(Exception):
    """The endpoint answered, but not with usable text."""


@dataclass(frozen=True)
class Evidence:
    """What the LLM answerer needs, and nothing more: the settings, the exact document text behind a chunk
    (raising IndexCorrupt when the index is out of step), an encoder for quote candidates and claims, and the
    extractive answerer to fall back on (question, hits, notice) -> Answer."""

    settings: object
    text_of: Callable  # Chunk -> str
    encode: Callable  # list[str] -> np.ndarray
    extractive: Callable  # (question, hits, notice) -> Answer


def llm_stream(evidence: Evidence, question: str, hits, backend: str, notice: str) -> Iterator[str]:
    """Stream the model's tokens, then return (as the generator's value) the checked Answer.

    On a down, refusing, slow or malformed endpoint: the extractive answer with a notice when
    ``settings.llm_fallback``, else BackendUnavailable.
    Example: ``final = yield from llm_stream(evidence, q, hits, "openai", "")``.
    """
    settings = evidence.settings
    if backend not in BACKENDS:
        raise BadArgument(f"unknown answerer {backend!r}; use extractive, openai or ollama")
    if not hits:
        return _refused(evidence, question, hits, backend, notice)
    messages = build_messages(settings, question, hits)
    pieces: list[str] = []
    try:
        model = chat_model(settings, backend)
        for piece in _stream_text(model, messages):
            pieces.append(piece)
            yield piece
        text = "".join(pieces)
        if not has_words(text):
            raise _BadReply("empty reply")
    except Exception as exc:  # noqa: BLE001 - any failure of the remote side is "unavailable", worded below
        fallback = fallback_notice(settings, describe_failure(exc, settings), notice)
        return _extractive(evidence, question, hits, fallback)
    if is_refusal(text, REFUSAL):
        return _refused(evidence, question, hits, backend, notice)
    return ground(evidence, question, hits, text, backend, notice)


def fallback_notice(settings, reason: str, notice: str = "") -> str:
    """The notice of an answer given extractively because the endpoint failed; BackendUnavailable (one line)
    when ``settings.llm_fallback`` is off. Example: reason 'HTTP 500' -> 'LLM endpoint unavailable (HTTP 500);
    answered extractively'."""
    if not settings.llm_fallback:
        raise BackendUnavailable(f"LLM endpoint unavailable ({reason}); set RAG_LLM=extractive or "
                                 f"RAG_LLM_FALLBACK=true to answer without it") from None
    return _join(notice, f"LLM endpoint unavailable ({reason}); answered extractively")


# ---- the request


def unreachable(exc: BaseException) -> bool:
    """Whether a failed call never got a reply (no connection, or none in time), as opposed to an HTTP error or
    a bad reply: asking the same endpoint again would only wait as long again.
    Example: ``unreachable(TimeoutError())`` -> True."""
    import httpx
    import openai

    if isinstance(exc, openai.APIStatusError):
        return False
    return isinstance(exc, (openai.APITimeoutError, openai.APIConnectionError, httpx.TimeoutException,
                            httpx.TransportError, TimeoutError, ConnectionError))


def build_messages(settings, question: str, hits) -> list[tuple[str, str]]:
    """Chat messages for ``prompts/answer.md``: numbered, fenced sources and the question."""
    return render_messages(load_prompt(settings, "answer"), refusal=REFUSAL, n_sources=str(len(hits)),
                           sources=format_sources(hits), question=question)


def format_sources(hits) -> str:
    """Numbered sources as ``<source n=..>`` blocks. Text that could close the fence is defused, so a source
    cannot step out of its DATA block. Example: source 1 -> '<source n="1" file="a.txt" ...>\\ntext\\n</source>'."""
    blocks = []
    for n, hit in enumerate(hits, 1):
        chunk = hit.chunk
        attrs = " ".join(f'{k}="{_attr(v)}"' for k, v in
                         (("n", n), ("file", chunk.source), ("title", chunk.title), ("date", chunk.date)) if v)
        body = _FENCE.sub(lambda m: "\u2039" + m.group(1), chunk.text)
        blocks.append(f"<source {attrs}>\n{body}\n</source>")
    return "\n".join(blocks)


def _attr(value) -> str:
    return _FENCE.sub(lambda m: "\u2039" + m.group(1), str(value)).replace('"', "'").replace("\n", " ")


def chat_model(settings, backend: str):
    """The LangChain chat model for ``backend`` ("openai": any OpenAI-compatible server; "ollama")."""
    timeout = settings.llm_timeout_s
    if backend == "ollama":
        from langchain_ollama import ChatOllama

        return ChatOllama(model=settings.llm_model, base_url=settings.llm_base_url, temperature=0,
                          num_predict=_MAX_TOKENS, client_kwargs={"timeout": timeout})
    from langchain_openai import ChatOpenAI

    key = settings.llm_api_key or os.environ.get("OPENAI_API_KEY")
    if not key and settings.llm_base_url:
        key = "unused"  # local servers (vLLM, llama.cpp, LM Studio) accept any key, the client insists on one
    if not key:
        raise _BadReply("no API key: set RAG_LLM_API_KEY, or RAG_LLM_BASE_URL for a local server")
    # No retries: a second wait on a dead endpoint only delays the fallback answer.
    return ChatOpenAI(model=settings.llm_model, base_url=settings.llm_base_url, api_key=key, timeout=timeout,
                      max_retries=0, temperature=0, max_tokens=_MAX_TOKENS)


def _stream_text(model, messages) -> Iterator[str]:
    for chunk in model.stream(messages):
        content = chunk.content
        if isinstance(content, list):  # content blocks
            content = "".join(b.get("text", "") if isinstance(b, dict) else str(b) for b in content)
        if content:
            yield content


def describe_failure(exc: BaseException, settings) -> str:
    """A short, key-free reason for a failed call. Example: a 500 from the server -> 'HTTP 500'."""
    import httpx
    import openai

    where = redact_url(settings.llm_base_url) or "the default endpoint"
    if isinstance(exc, _BadReply):
        reason = str(exc)
    elif isinstance(exc, (openai.APITimeoutError, httpx.TimeoutException, TimeoutError)):
        reason = f"no reply from {where} within {settings.llm_timeout_s:g} s"
    elif isinstance(exc, openai.APIStatusError):
        reason = f"HTTP {exc.status_code} from {where}" + _HINTS.get(exc.status_code, "")
    elif isinstance(exc, (openai.APIConnectionError, httpx.TransportError, ConnectionError)):
        cause = exc.__cause__ or exc.__context__
        if isinstance(cause, (httpx.TimeoutException, TimeoutError)):
            reason = f"no reply from {where} within {settings.llm_timeout_s:g} s"
        else:
            reason = f"cannot connect to {where}"
    elif type(exc).__name__ == "ResponseError":  # ollama.ResponseError, without importing ollama eagerly
        status = getattr(exc, "status_code", "?")
        reason = f"HTTP {status} from {where}" + _HINTS.get(status, "")
    else:
        reason = f"malformed reply from {where} ({type(exc).__name__})"
    return scrub(reason, settings.llm_api_key)


def redact_url(url: str | None) -> str:
    """A URL without user:password. Example: ``redact_url("http://u:pw@h:1/v1")`` -> 'http://h:1/v1'."""
    if not url:
        return ""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        netloc = host + (f":{parts.port}" if parts.port else "")
        return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
    except ValueError:
        return "the configured endpoint"


def scrub(text: str, secret: str | None) -> str:
    """Remove a secret from a message. Example: ``scrub("key sk-1 bad", "sk-1")`` -> 'key *** bad'."""
    return text.replace(secret, "***") if secret else text


# ---- the answer


def ground(evidence: Evidence, question: str, hits, text: str, backend: str, notice: str) -> Answer:
    """Check a model reply against its sources: per sentence, keep in-range markers, quote the best supporting
    span of each cited chunk, score support, renumber citations by first use."""
    threshold = evidence.settings.support_threshold
    claims, dropped = [], []
    for raw in answer_sentences(text):
        clean, kept, gone = parse_markers(raw, len(hits))
        dropped += [n for n in gone if n not in dropped]
        if has_words(clean):
            claims.append((clean, kept))
        elif kept and claims:  # a stray marker run after a sentence belongs to it
            claims[-1] = (claims[-1][0], list(dict.fromkeys(claims[-1][1] + kept)))
    if not claims:
        raise _BadReply("no sentences in the reply")  # cannot happen after has_words(text); kept as a guard

    quotes = _QuoteFinder(evidence, hits)
    checked = []  # (text, [(hit index, span)], support)
    for clean, kept in claims:
        picks = [(n - 1, *quotes.best(clean, n - 1)) for n in kept]  # (hit, span, score)
        if not picks:
            checked.append((clean, [], 0.0))
            continue
        support = max(score for _, _, score in picks)
        if len(picks) > 1:  # a sentence joining facts from two sources: check it against both quotes together
            joined = " ".join(quotes.text_of(h, span) for h, span, _ in picks)
            cosine = max(quotes.cosine(clean, h, span) for h, span, _ in picks)
            support = max(support, claim_support(clean, joined, cosine))
        # A cited passage that does not support the sentence while another one does is a wrong pointer: drop it.
        strong = [(h, span) for h, span, score in picks if score >= threshold]
        checked.append((clean, strong or [(h, span) for h, span, _ in picks], support))

    order = first_use_order([[(h, span) for h, span in cited] for _, cited, _ in checked])
    citations = [quotes.citation(marker, h, span) for (h, span), marker in order.items()]
    sentences = tuple(Sentence(clean, tuple(order[c] for c in cited), round(support, 4), support >= threshold)
                      for clean, cited, support in checked)
    answer_text = " ".join(s.text + "".join(f"[{m}]" for m in s.citations) for s in sentences)
    if dropped:
        notice = _join(notice, "The model cited sources that do not exist (" + ", ".join(f"[{n}]" for n in dropped)
                       + "); those markers were removed.")
    conflict = find_conflict(question, [(c.marker, c.source, c.quote) for c in citations])
    conflicts = (Conflict(conflict[0], tuple((v, tuple(m)) for v, m in conflict[1])),) if conflict else ()
    return Answer(question=question, answer=answer_text, abstained=False, citations=tuple(citations),
                  sentences=sentences, conflicts=conflicts, retrieved=_retrieved(hits), backend=backend, notice=notice)


class _QuoteFinder:
    """Candidate quote spans of the cited chunks, their vectors (one batch per chunk) and the best per claim."""

    def __init__(self, evidence: Evidence, hits) -> None:
        self.evidence, self.hits = evidence, hits
        self._spans: dict[int, tuple[list, np.ndarray]] = {}
        self._claims: dict[str, np.ndarray] = {}

    def _document(self, h: int) -> str:
        return self.evidence.text_of(self.hits[h].chunk)  # checked against the chunk: IndexCorrupt if not

    def _candidates(self, h: int):
        if h not in self._spans:
            chunk = self.hits[h].chunk
            text = self._document(h)
            spans = quote_spans(text, chunk.start, chunk.end)
            self._spans[h] = (spans, self.evidence.encode([text[s.start:s.end] for s in spans]))
        return self._spans[h]

    def _claim_vector(self, claim: str) -> np.ndarray:
        if claim not in self._claims:
            self._claims[claim] = self.evidence.encode([claim])[0]
        return self._claims[claim]

    def text_of(self, h: int, span) -> str:
        return self._document(h)[span.start:span.end]

    def cosine(self, claim: str, h: int, span) -> float:
        spans, vectors = self._candidates(h)
        return float(vectors[spans.index(span)] @ self._claim_vector(claim))

    def best(self, claim: str, h: int):
        """(span, support score) of the span of hit ``h`` that best supports ``claim``."""
        spans, vectors = self._candidates(h)
        cosines = (vectors @ self._claim_vector(claim)).tolist()
        index, score = best_quote(claim, [self.text_of(h, s) for s in spans], cosines)
        return spans[index], score

    def citation(self, marker: int, h: int, span) -> Citation:
        chunk = self.hits[h].chunk
        return Citation(marker=marker, source=chunk.source, path=chunk.path, start=span.start, end=span.end,
                        quote=self.text_of(h, span), title=chunk.title, date=chunk.date)


def _refused(evidence: Evidence, question: str, hits, backend: str, notice: str) -> Answer:
    """The model declined: say so, and list the closest sentences as related reading (never as support)."""
    related = []
    if hits:
        quotes = _QuoteFinder(evidence, hits)
        for h in range(min(_RELATED, len(hits))):
            span, _ = quotes.best(question, h)
            related.append(quotes.citation(len(related) + 1, h, span))
    text = REFUSAL + " The closest passages are listed as related reading, not as support."
    return Answer(question=question, answer=text, abstained=True, related=tuple(related), retrieved=_retrieved(hits),
                  backend=backend, notice=notice)


def _extractive(evidence: Evidence, question: str, hits, notice: str) -> Answer:
    return evidence.extractive(question, hits, notice)


def _retrieved(hits) -> tuple[str, ...]:
    return tuple(dict.fromkeys(h.chunk.source for h in hits))


def _join(*notices: str) -> str:
    return " ".join(n for n in notices if n)
