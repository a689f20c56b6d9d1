"""LLM answerer: the best few sentences of the evidence, numbered (rag.answering.llm_passages) -> LangChain chat
model + prompts/answer.md -> a reply with markers in whatever form the model writes them -> every sentence checked
(rag.answering.grounding, rag.support.check) -> an Answer whose citations are the numbered sentences themselves.

The model only chooses what to say and which numbered sentence backs it. Quotes are never taken from the model:
a citation is the cited sentence's span, cut from the document text by offset, so
``quote == document_text[start:end]`` always holds.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import Callable, Iterator

from rag.answering.citations import Numbering, first_use_order, is_refusal
from rag.answering.conflicts import find_conflict
from rag.answering.grounding import check_claims, is_decline, read_reply
from rag.answering.llm_passages import (Passage, choose, format_passages, hit_sentences, question_hint,
                                        reading_order, tokens)
from rag.answering.llm_errors import BadReply, describe_failure
from rag.answering.llm_quotes import quoted_first, quoted_sentences
from rag.answering.llm_verdict import disagreement_notice, opening_word, verdict_lead, without_opening_word
from rag.errors import BackendUnavailable, BadArgument
from rag.prompts import load_prompt, render_messages
from rag.readers.claims import has_words
from rag.textspans import sentence_spans
from rag.types import Answer, Citation, Conflict, ConflictValue, Sentence

BACKENDS = ("openai", "ollama")
REFUSAL = "The corpus does not say."
_RELATED = 3  # passages listed as related reading when the model refuses


@dataclass(frozen=True)
class Evidence:
    """What the LLM answerer needs, and nothing more: the settings, the exact document text behind a chunk
    (raising IndexCorrupt when the index is out of step), an encoder for quote candidates and claims, and the
    extractive answerer to fall back on (question, hits, notice) -> Answer."""

    settings: object
    text_of: Callable  # Chunk -> str
    encode: Callable  # list[str] -> np.ndarray
    extractive: Callable  # (question, hits, notice) -> Answer
    # (question, hits) -> the extractive answerer's scored candidate sentences (chunk, start, end, text, score);
    # None: the hit sentences ranked by cosine with the question (llm_passages.hit_sentences).
    sentences: Callable | None = None
    embedder: object = None  # what rag.support.check embeds with; None: its own copy of the default model
    shape: str = "fact"  # the question's shape (rag.answering.shapes): a shaped question reads its shaped evidence


def llm_stream(evidence: Evidence, question: str, hits, backend: str, notice: str) -> Iterator[str]:
    """Stream the model's tokens, then return (as the generator's value) the checked Answer.

    On a down, refusing, slow or malformed endpoint: the extractive answer with a notice when
    ``settings.llm_fallback``, else BackendUnavailable.
    Example: ``final = yield from llm_stream(evidence, q, hits, "openai", "")``.
    """
    settings = evidence.settings
    if backend not in BACKENDS:
        raise BadArgument(f"unknown answerer {backend!r}; use extractive, openai or ollama")
    # A why / reaction / summary / timeline / comparison / list question reads the sentences its shaped answer
    # quotes first (issue 25: the same shaped evidence for both answerers). Not a yes/no question: its claims are
    # checked with the support model before any sentence is chosen, seconds before the first token.
    reference = _reference(evidence, question, hits, notice) if hits and evidence.shape not in ("fact", "yesno") \
        else None
    passages = prompt_passages(evidence, question, hits, reference) if hits else []
    if not passages:
        return _refused(evidence, question, hits, passages, backend, notice)
    messages = build_messages(settings, question, passages)
    pieces: list[str] = []
    try:
        model = chat_model(settings, backend)
        for piece in _stream_text(model, messages):
            pieces.append(piece)
            yield piece
        text = "".join(pieces)
        if not has_words(text):
            raise BadReply("empty reply")
    except Exception as exc:  # noqa: BLE001 - any failure of the remote side is "unavailable", worded below
        fallback = fallback_notice(settings, describe_failure(exc, settings), notice)
        return _extractive(evidence, question, hits, fallback)
    if all(_declines(c.text) for c in read_reply(text, len(passages))[0]):
        # nothing but the refusal phrase (or a decline): a reply that also states something is checked instead,
        # its refusal read as declining part of the question
        return _refused(evidence, question, hits, passages, backend, notice)
    return ground(evidence, question, hits, passages, text, backend, notice, reference)


def fallback_notice(settings, reason: str, notice: str = "") -> str:
    """The notice of an answer given extractively because the endpoint failed; BackendUnavailable (one line)
    when ``settings.llm_fallback`` is off. Example: reason 'HTTP 500' -> 'LLM endpoint unavailable (HTTP 500);
    answered extractively'."""
    if not settings.llm_fallback:
        raise BackendUnavailable(f"LLM endpoint unavailable ({reason}); set RAG_LLM=extractive or "
                                 f"RAG_LLM_FALLBACK=true to answer without it") from None
    return _join(notice, f"LLM endpoint unavailable ({reason}); answered extractively")


# ---- the request


def prompt_passages(evidence: Evidence, question: str, hits, first: Answer | None = None) -> list[Passage]:
    """The numbered sentences the model reads: the best-scored ones within ``settings.llm_prompt_tokens`` (the
    sentences ``first`` quotes, in its order, before any other), grouped by article in reading order."""
    ranked = evidence.sentences(question, hits) if evidence.sentences is not None else \
        hit_sentences(hits, evidence.text_of, evidence.encode, question)
    if first is not None and not first.abstained:
        ranked = quoted_first(ranked, first)
    # The budget is the whole user message, what the model reads anew for each question (the system message is
    # cached): its frame, the question and its hint are paid for first, so a long question leaves fewer sentences.
    frame = build_messages(evidence.settings, question, [])[-1][1]
    return reading_order(choose(ranked, evidence.settings.llm_prompt_tokens - tokens(frame)))


def build_messages(settings, question: str, passages: list[Passage]) -> list[tuple[str, str]]:
    """Chat messages for ``prompts/answer.md``: the numbered, fenced sentences and the question. The system
    message does not change between questions, so a server that caches a prompt prefix (llama.cpp) reads it once.
    """
    hint = question_hint(question)
    return render_messages(load_prompt(settings, "answer"), refusal=REFUSAL, n_sources=str(len(passages)),
                           sources=format_passages(passages), question=question, hint=hint + "\n" if hint else "")


def chat_model(settings, backend: str):
    """The LangChain chat model for ``backend`` ("openai": any OpenAI-compatible server; "ollama")."""
    timeout = settings.llm_timeout_s
    if backend == "ollama":
        from langchain_ollama import ChatOllama

        return ChatOllama(model=settings.llm_model, base_url=settings.llm_base_url, temperature=0,
                          num_predict=settings.llm_max_tokens, client_kwargs={"timeout": timeout})
    from langchain_openai import ChatOpenAI

    key = settings.llm_api_key or os.environ.get("OPENAI_API_KEY")
    if not key and settings.llm_base_url:
        key = "unused"  # local servers (vLLM, llama.cpp, LM Studio) accept any key, the client insists on one
    if not key:
        raise BadReply("no API key: set RAG_LLM_API_KEY, or RAG_LLM_BASE_URL for a local server")
    # A limit the server honours: langchain-openai sends ``max_completion_tokens``, which llama.cpp's Python server
    # (and other local servers) ignore, generating up to the context size. A local server is sent ``max_tokens``.
    limit = {"extra_body": {"max_tokens": settings.llm_max_tokens}} if settings.llm_base_url else \
        {"max_tokens": settings.llm_max_tokens}
    # No retries: a second wait on a dead endpoint only delays the fallback answer.
    return ChatOpenAI(model=settings.llm_model, base_url=settings.llm_base_url, api_key=key, timeout=timeout,
                      max_retries=0, temperature=0, **limit)


def _stream_text(model, messages) -> Iterator[str]:
    for chunk in model.stream(messages):
        content = chunk.content
        if isinstance(content, list):  # content blocks
            content = "".join(b.get("text", "") if isinstance(b, dict) else str(b) for b in content)
        if content:
            yield content


# ---- the answer


def ground(evidence: Evidence, question: str, hits, passages: list[Passage], text: str, backend: str,
           notice: str, reference: Answer | None = None) -> Answer:
    """Check a model reply against the numbered sentences it was given (rag.answering.grounding): markers read in
    any form, every sentence checked, citations renumbered by first use; disagreements from the evidence."""
    from rag.support import check

    settings = evidence.settings
    threshold = settings.support_threshold
    claims, dropped = read_reply(text, len(passages))
    declines = [c for c in claims if _declines(c.text)]
    claims = [c for c in claims if not _declines(c.text)]
    if dropped:
        notice = _join(notice, "The model cited sources that do not exist (" + ", ".join(f"[{n}]" for n in dropped)
                       + "); those markers were removed.")
    # A yes/no answer leads with the checked verdict, the model's own opening word taken off
    # (rag.answering.llm_verdict): a reply of "No [2]" alone leaves the verdict and the quotes, not a refusal.
    numbering, lead = Numbering(), None
    if evidence.shape == "yesno":
        reference = reference if reference is not None else _reference(evidence, question, hits, notice)
        lead, checked_word = verdict_lead(reference, numbering)
    if lead is not None and claims:
        notice = _join(notice, disagreement_notice(opening_word(claims[0].text), checked_word))
        claims = [c for c in (replace(claims[0], text=without_opening_word(claims[0].text)), *claims[1:])
                  if has_words(c.text)]
    if not claims and lead is None:
        return _refused(evidence, question, hits, passages, backend, notice)

    def checker(claim: str, texts: list[str]):
        return check(claim, texts, evidence.embedder, threshold)

    checked = check_claims(claims, [p.text for p in passages], checker, threshold,
                           contexts=[_in_context(evidence, p) for p in passages]) if claims else []
    if lead is None and not any(c.supported for c in checked):
        withheld = "The model's answer was withheld: no sentence of it is supported by the articles."
        return _refused(evidence, question, hits, passages, backend, _join(notice, withheld))
    if settings.llm_drop_unsupported and not all(c.supported for c in checked):
        gone = sum(not c.supported for c in checked)
        checked = [c for c in checked if c.supported]
        notice = _join(notice, f"{gone} sentence(s) of the model's answer that the articles do not support "
                               "were left out.")
    if declines:
        notice = _join(notice, "The model said the articles do not answer part of the question.")

    reference = reference if reference is not None else _reference(evidence, question, hits, notice)
    # A claim whose support began in the sentence before its cited one cites from that sentence on: the citation
    # shows all the check read (the quote stays the document's text at the span's offsets).
    spans = [[_widened(evidence, passages[i], dict(c.begins).get(i)) for i in c.cites] for c in checked]
    order = first_use_order(spans)
    markers = {span: numbering.marker_of(_citation(evidence, 0, span)) for span in order}
    sentences = ((lead,) if lead is not None else ()) + tuple(
        Sentence(c.text, tuple(markers[span] for span in cited), round(c.support, 4), c.supported)
        for c, cited in zip(checked, spans))
    conflicts = _conflicts(question, reference, numbering)
    if settings.llm_quotes:
        sentences += tuple(quoted_sentences(reference, numbering, list(sentences)))
    citations = numbering.citations
    answer_text = " ".join(s.text + "".join(f"[{m}]" for m in s.citations) for s in sentences)
    return Answer(question=question, answer=answer_text, abstained=False, citations=tuple(citations),
                  sentences=sentences, conflicts=conflicts, retrieved=_retrieved(hits), backend=backend, notice=notice,
                  shape=evidence.shape)


def _declines(sentence: str) -> bool:
    return is_refusal(sentence, REFUSAL) or is_decline(sentence)


def _in_context(evidence: Evidence, passage: Passage) -> str:
    """The passage's sentence with what precedes it in its chunk (a chunk is a few sentences), which is how the
    reader meets it in the article viewer."""
    start = min(passage.chunk.start, passage.start)
    return evidence.text_of(passage.chunk)[start:passage.end]


def _widened(evidence: Evidence, passage: Passage, begin: int | None) -> Passage:
    """``passage`` from the start of the context sentence holding offset ``begin`` of its context
    (``_in_context``); the passage itself when ``begin`` is None."""
    if begin is None:
        return passage
    text = evidence.text_of(passage.chunk)
    context_start = min(passage.chunk.start, passage.start)
    start = next((s.start for s in sentence_spans(text, context_start, passage.start)
                  if s.start <= context_start + begin < s.end), passage.start)
    return replace(passage, start=start, text=text[start:passage.end])


def _citation(evidence: Evidence, marker: int, passage: Passage) -> Citation:
    chunk = passage.chunk
    quote = evidence.text_of(chunk)[passage.start:passage.end]  # from the document itself (IndexCorrupt if stale)
    return Citation(marker=marker, source=chunk.source, path=chunk.path, start=passage.start, end=passage.end,
                    quote=quote, title=chunk.title, date=chunk.date)


def _reference(evidence: Evidence, question: str, hits, notice: str) -> Answer | None:
    """The extractive answer on the same hits: where disagreements are read, and the quotes under the answer."""
    try:
        return evidence.extractive(question, hits, notice)
    except Exception:  # noqa: BLE001 - extra information: never lose the generated answer over it
        return None


def _conflicts(question: str, reference: Answer | None, numbering: Numbering) -> tuple:
    """Disagreements computed from the evidence, as the extractive answerer finds them, their passages added to
    the citations; else between the cited passages themselves."""
    found = reference.conflicts if reference is not None else ()
    if found:
        extractive = {c.marker: c for c in reference.citations}
        return tuple(Conflict(k.topic, tuple(ConflictValue(v.value, tuple(numbering.marker_of(extractive[m])
                                                                          for m in v.citations if m in extractive),
                                                           v.sources, v.minority) for v in k.values))
                     for k in found)
    cited = numbering.citations
    conflict = find_conflict(question, [(c.marker, c.source, c.quote) for c in cited])
    return (Conflict(conflict[0], tuple((v, tuple(m)) for v, m in conflict[1])),) if conflict else ()


def _refused(evidence: Evidence, question: str, hits, passages: list[Passage], backend: str, notice: str) -> Answer:
    """The model declined, or said nothing the articles support: the corpus does not say; the best-scored
    sentences are listed as related reading (never as support)."""
    best = sorted(passages, key=lambda p: -p.score)[:_RELATED]
    related = tuple(_citation(evidence, n, p) for n, p in enumerate(best, 1))
    text = REFUSAL + " None of the indexed articles answers this question; the closest passages are listed as " \
                     "related reading, not as support."
    return Answer(question=question, answer=text, abstained=True, related=related, retrieved=_retrieved(hits),
                  backend=backend, notice=notice)


def _extractive(evidence: Evidence, question: str, hits, notice: str) -> Answer:
    return evidence.extractive(question, hits, notice)


def _retrieved(hits) -> tuple[str, ...]:
    return tuple(dict.fromkeys(h.chunk.source for h in hits))


def _join(*notices: str) -> str:
    return " ".join(n for n in notices if n)
