"""`rag chat`: a conversation in the terminal. The loop owns the conversation (the earlier Answers) and hands
it to the Assistant with each question, so follow-ups ("And the year before?") are resolved; the Assistant
itself keeps no state. Readline gives line editing and an in-memory history (nothing is written to disk)."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from rag.errors import RagError
from rag.memo import conversation_markdown, resolved

HELP = "Commands: /new starts a new conversation, /memo FILE saves it as Markdown, /quit leaves (or Ctrl-D)."


def run_chat(assistant, format_answer: Callable, read: Callable[[str], str] = input,
             write: Callable[[str], None] = print) -> int:
    """Read questions until /quit, Ctrl-D or Ctrl-C; answer each in the context of the conversation so far.

    Example: ``run_chat(assistant, str)`` in a terminal -> 0 on leaving.
    """
    try:
        import readline  # noqa: F401 - importing it gives input() line editing and history
    except ImportError:  # not on every platform; the chat works without it
        pass
    answers: list = []
    write(f"Ask about the {len(assistant.sources)} indexed articles. {HELP}")
    while True:
        try:
            line = read("you> ").strip()
        except (EOFError, KeyboardInterrupt):
            write("")
            return 0
        if not line:
            continue
        if line.startswith("/"):
            command, _, argument = line.partition(" ")
            if command in ("/quit", "/exit"):
                return 0
            if command == "/new":
                answers = []
                write("(new conversation)")
            elif command == "/memo":
                write(save_memo(answers, argument.strip()))
            elif command == "/help":
                write(HELP)
            else:
                write(f"rag: unknown command {command!r}. {HELP}")
            continue
        try:
            answer = assistant.ask(line, conversation=answers)
        except KeyboardInterrupt:
            write("")
            return 0
        except RagError as exc:
            write(f"rag: {exc}")
            continue
        answers.append(answer)
        if resolved(answer):
            write(f"(understood as: {answer.standalone_question})")
        write(format_answer(answer))


def save_memo(answers: list, target: str) -> str:
    """Write the conversation as a Markdown memo; one line saying what happened (never raises for a bad path)."""
    if not target:
        return "rag: /memo needs a file name, e.g. /memo memo.md"
    if not answers:
        return "rag: nothing to save yet: ask a question first"
    path = Path(target).expanduser()
    try:
        path.write_text(f"# Research memo\n\n{conversation_markdown(answers)}", encoding="utf-8")
    except OSError as exc:
        return f"rag: cannot write {path} ({exc.strerror or exc})"
    return f"saved {len(answers)} answer{'s' if len(answers) != 1 else ''} to {path}"
