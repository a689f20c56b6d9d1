"""What the app does, without Gradio: answer a question into a conversation (streamed), write memos, open the
viewer. ``ui/app.py`` only wires these methods to components, so they can be tested on their own."""
from __future__ import annotations

import re
import sys
import tempfile
import traceback
import uuid
from datetime import date
from pathlib import Path
from typing import Iterator

from rag.assistant import clean_question
from rag.errors import BackendUnavailable, RagError
from rag.memo import conversation_markdown, to_markdown
from rag.prompts import PromptError, load_prompt
from rag.types import Answer
from ui.articles import file_choices
from ui.render import Turn
from ui.viewer import viewer_html

def example_lines(text: str) -> list[tuple[str, str]]:
    """(question, key word) per "question|key word" line of ``prompts/examples.md``; blank and "#" lines skipped.

    Example: ``example_lines("# x\nWho won the final?|final")`` -> [('Who won the final?', 'final')].
    """
    out = []
    for line in text.splitlines():
        question, bar, needle = line.strip().partition("|")
        if question and bar and needle.strip() and not question.startswith("#"):
            out.append((question.strip(), needle.strip().lower()))
    return out


def memo_name(question: str, suffix: str = "") -> str:
    """A file name for a memo from its question. Example: ``memo_name("Who is PM?")`` -> 'memo-who-is-pm.md'."""
    slug = re.sub(r"[^a-z0-9]+", "-", question.lower()).strip("-")
    if len(slug) > 60:  # cut at a word boundary
        slug = slug[:61].rsplit("-", 1)[0]
    slug = slug or "answer"
    return f"memo-{slug}{suffix}.md"


def _is_date(value: str) -> bool:
    """True for a real calendar date written YYYY-MM-DD. Example: ``_is_date("2025-02-30")`` -> False."""
    try:
        return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)) and bool(date.fromisoformat(value))
    except ValueError:
        return False


def llm_backend(settings) -> str | None:
    """The LLM answerer the settings configure, if any. Example: RAG_LLM=ollama -> 'ollama'; nothing -> None."""
    if settings.llm and settings.llm != "extractive":
        return settings.llm
    if settings.llm_base_url:
        return "ollama" if ":11434" in settings.llm_base_url else "openai"
    return None


class Session:
    """The app's behaviour over one Assistant; conversation state lives in the caller (one list per browser)."""

    def __init__(self, assistant, memo_dir: Path | None = None) -> None:
        self.assistant = assistant
        self.settings = assistant.settings
        self.memo_dir = Path(memo_dir or tempfile.mkdtemp(prefix="rag-ui-memos-"))

    # ---- choices for the controls
    def answerers(self) -> list[tuple[str, str]]:
        """(label, value) pairs: extractive always, plus the configured LLM."""
        choices = [("Extractive (offline)", "extractive")]
        llm = llm_backend(self.settings)
        if llm:
            choices.append((f"{llm} · {self.settings.llm_model}", llm))
        return choices

    def default_answerer(self) -> str:
        """The answerer selected on load: the configured one."""
        return llm_backend(self.settings) or "extractive"

    def source_choices(self) -> list[tuple[str, str]]:
        """(label, source) pairs for the file filter: title and file name."""
        return file_choices(self.assistant.manifest.documents)

    def examples(self, limit: int = 4) -> list[str]:
        """Example questions whose key word occurs in the corpus (a bounded look at the first documents)."""
        texts = []
        for source in self.assistant.sources[:200]:
            try:
                texts.append(self.assistant.document_text(source).lower())
            except RagError:
                continue
        corpus = "\n".join(texts)
        try:  # the examples are data of the corpus they were written for, not code: prompts/examples.md
            lines = example_lines(load_prompt(self.assistant.settings, "examples"))
        except PromptError:
            return []
        return [q for q, needle in lines if needle in corpus][:limit]

    def meta(self) -> dict:
        """source -> (title, date) from the manifest, for display."""
        return {s: (d.title, d.date) for s, d in self.assistant.manifest.documents.items()}

    def text_of(self, source: str) -> str | None:
        """Document text for the sources panel, or None when the file left the index."""
        try:
            return self.assistant.document_text(source)
        except RagError:
            return None

    # ---- answering
    def ask(self, question, turns: list[Turn], backend=None, k=None, files=None, since=None,
            until=None) -> Iterator[list[Turn]]:
        """Append a turn for ``question`` and yield the conversation after each streamed piece; the last yield
        holds the checked Answer or a one-line error (never raises for bad input or a failing backend)."""
        turns = list(turns or [])
        # The conversation so far (this session's earlier answers) goes with the question: follow-ups resolve.
        earlier = [t.answer for t in turns if t.answer is not None]
        asked = str(question or "")
        try:  # shown as the assistant reads it: control characters dropped, cut to the limit (a notice says so)
            shown = clean_question(asked, self.settings.max_question_chars)[0]
        except RagError:
            shown = ""
        turn = Turn(question=shown)
        turns.append(turn)
        yield turns
        try:
            options = self._options(backend, k, files, since, until)
            turn.meta = self.meta()
            for piece in self.assistant.stream(asked, **options, conversation=earlier):
                if isinstance(piece, Answer):
                    turn.answer = piece
                elif isinstance(piece, str) and piece:
                    turn.draft += piece
                    yield turns
            if turn.answer is None:
                turn.error = "the answerer stopped without an answer; try again"
        except BackendUnavailable as exc:
            turn.error = f"{exc}; or pick Extractive as the answerer" if self._uses_llm(backend) else str(exc)
        except RagError as exc:
            turn.error = str(exc)
        except Exception as exc:  # the edge: a person gets one line, the log gets the traceback
            traceback.print_exc(file=sys.stderr)
            turn.error = f"something went wrong ({type(exc).__name__}: {exc})"
        yield turns

    def _uses_llm(self, backend) -> bool:
        return (backend or self.default_answerer()) != "extractive"

    def _options(self, backend, k, files, since, until) -> dict:
        allowed = [value for _, value in self.answerers()]
        backend = backend or self.default_answerer()
        if backend not in allowed:
            raise RagError(f"unknown answerer {backend!r}; choose one of {', '.join(allowed)}")
        try:
            k = int(k) if k not in (None, "") else None
        except (TypeError, ValueError):
            raise RagError(f"the number of passages must be a whole number, not {k!r}") from None
        if isinstance(files, str):
            files = [files]
        since, until = (str(v or "").strip() or None for v in (since, until))
        for label, value in (("Since", since), ("Until", until)):
            if value and not _is_date(value):
                raise RagError(f"{label} must be a date like 2026-01-31, not {value!r}")
        return {"k": k, "sources": list(files or []) or None, "since": since, "until": until, "backend": backend}

    # ---- memo export
    def memo_files(self, turns: list[Turn]) -> tuple[str | None, str | None]:
        """Write the latest answer and the whole conversation as Markdown memos; their paths (None if no answer)."""
        answers = [t.answer for t in turns if t.answer is not None]
        if not answers:
            return None, None
        folder = self.memo_dir / uuid.uuid4().hex
        folder.mkdir(parents=True, exist_ok=True)
        current = folder / memo_name(answers[-1].question)
        current.write_text(to_markdown(answers[-1]), encoding="utf-8")
        whole = folder / "memo-conversation.md"
        whole.write_text(f"# Research memo\n\n{conversation_markdown(answers)}", encoding="utf-8")
        return str(current), str(whole)

    # ---- source viewer
    def open_source(self, turns: list[Turn], request) -> str:
        """Viewer HTML for a request {source, start, end, turn} sent by the page (untrusted: validated here)."""
        request = request if isinstance(request, dict) else {}
        source = request.get("source")
        spans = []
        try:
            number = int(request.get("turn"))
            if number < 1:
                raise IndexError(number)
            turn = turns[number - 1]
            cited = turn.answer.citations or turn.answer.related if turn.answer else ()
            spans = [(c.start, c.end) for c in cited if c.source == source]
        except (TypeError, ValueError, IndexError, AttributeError):
            pass
        return viewer_html(self.assistant, source, request.get("start"), request.get("end"), spans)
