"""The earlier turns of a conversation as the resolver reads them, and a resolved question: plain data, with
the one function that reads turns from whatever a caller holds (Answers, dicts, strings)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Turn:
    """One earlier turn of a conversation: what was asked, how it was understood, what was answered and the
    sentences the answer cited. Example: ``Turn("Who founded Acme?", answer="Jane Doe founded it.")``."""

    question: str
    answer: str = ""
    cited: tuple[str, ...] = ()
    standalone: str = ""  # the question as resolved when it was asked (empty: the question itself)

    @property
    def understood(self) -> str:
        return self.standalone or self.question


@dataclass(frozen=True)
class Resolution:
    """The question as resolved: ``standalone`` is what retrieval and answering use (the question itself when
    it needed no context); ``carried`` the earlier terms added, strongest first; ``reason`` why it is a follow-up."""

    question: str
    standalone: str
    carried: tuple[str, ...] = ()
    reason: str = ""

    @property
    def changed(self) -> bool:
        return self.standalone != self.question


def as_turns(conversation) -> list[Turn]:
    """Earlier turns from what a caller holds: Turn objects, Answers (``question``/``standalone_question``/
    ``sentences``), dicts ``{"question", "answer"?, "cited"?, "standalone"?}`` or plain question strings.
    Example: ``as_turns(["Who founded Acme?"])`` -> [Turn(question='Who founded Acme?', ...)]."""
    turns = []
    for item in conversation or ():
        if isinstance(item, Turn):
            turns.append(item)
        elif isinstance(item, str):
            if item.strip():
                turns.append(Turn(item))
        elif isinstance(item, dict):
            question = str(item.get("question") or "")
            if question.strip():
                cited = item.get("cited") or ()
                turns.append(Turn(question, str(item.get("answer") or ""),
                                  tuple(str(c) for c in cited) if not isinstance(cited, str) else (cited,),
                                  str(item.get("standalone") or item.get("standalone_question") or "")))
        elif hasattr(item, "question"):  # an Answer
            cited = tuple(s.text for s in getattr(item, "sentences", ()) or ())
            turns.append(Turn(item.question, "" if getattr(item, "abstained", False) else getattr(item, "answer", ""),
                              () if getattr(item, "abstained", False) else cited,
                              getattr(item, "standalone_question", "") or ""))
    return turns
