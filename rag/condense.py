"""Follow-up resolution with an LLM backend: the chat model rewrites the latest question into a standalone one
through ``prompts/condense.md`` (LangChain's history-aware retrieval pattern). When the endpoint fails or
replies with something unusable, the offline resolver (rag.conversation) decides instead, so a follow-up is
never asked bare. A call that could not reach the endpoint at all (no connection, no reply in time) is reported
back, so the caller answers offline at once instead of waiting for the same dead endpoint a second time."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from rag.conversation import Resolution, as_turns, resolve
from rag.prompts import defused, load_prompt, render_messages, unlabelled

_MAX_ANSWER_CHARS = 400  # of each earlier answer shown to the model: enough to resolve a reference
_MAX_REWRITE_TOKENS = 80


def history_text(conversation, limit: int = 6) -> str:
    """The earlier turns as "User: ... / Assistant: ..." lines, fence-proofed.
    Example: ``history_text(["Who founded Acme?"])`` -> 'User: Who founded Acme?'."""
    lines = []
    for turn in as_turns(conversation)[-limit:]:
        lines.append(f"User: {turn.question}")
        answer = " ".join((turn.answer or "").split())
        if answer:
            lines.append(f"Assistant: {answer[:_MAX_ANSWER_CHARS]}")
    return defused("\n".join(lines), "conversation")


def clean_rewrite(reply: str, question: str) -> str:
    """The model's rewrite as one question line, or "" when unusable (empty, or far longer than a question).
    Example: ``clean_rewrite('Standalone question: "Who runs Acme?"', "Who runs it?")`` -> 'Who runs Acme?'."""
    lines = [line for line in (reply or "").strip().splitlines() if line.strip()]
    if not lines:
        return ""
    text = unlabelled(lines[0], "standalone question|question|rewritten question").strip().strip('"“”\'').strip()
    if not text or len(text) > 3 * len(question) + 300:
        return ""
    return text


@dataclass(frozen=True)
class Condensed:
    """The resolution, and why the endpoint could not be reached ("" when it was: it answered, even badly)."""

    resolution: Resolution
    unreachable: str = ""


def condense(settings, backend: str, question: str, conversation, weight: Callable[[str], float] | None = None,
             model=None) -> Condensed:
    """The standalone question from the chat model; the offline resolver's when the call fails.
    Example: ``condense(settings, "openai", "And of mining?", [first_answer]).resolution.standalone``."""
    from rag.answering.llm import chat_model
    from rag.answering.llm_errors import describe_failure, unreachable

    if not as_turns(conversation):
        return Condensed(Resolution(question, question))
    failure = ""
    try:
        # A rewrite is one question: a short limit keeps a rambling local model from holding up the answer.
        model = model or chat_model(settings.with_(llm_max_tokens=_MAX_REWRITE_TOKENS), backend)
        messages = render_messages(load_prompt(settings, "condense"), history=history_text(conversation),
                                   question=question)
        reply = model.invoke(messages).content
        if isinstance(reply, list):  # content blocks
            reply = "".join(b.get("text", "") if isinstance(b, dict) else str(b) for b in reply)
        rewrite = clean_rewrite(str(reply), question)
    except Exception as exc:  # noqa: BLE001 - any failure of the remote side: resolve offline instead
        rewrite = ""
        if unreachable(exc):
            failure = describe_failure(exc, settings)
    if not rewrite:
        return Condensed(resolve(question, conversation, weight), failure)
    return Condensed(Resolution(question, rewrite, (), "llm"))
