"""Pure: what a list question asks for, as a phrase the passages can be read against: the things of one kind it
names ("Which coastal towns ...?" -> 'coastal towns'). A sentence that enumerates such things often shares few
words with the rest of the question ("Which firms would be hurt?" answered by "Its shipping, retail and mining
sectors would suffer."): read against the kind as well, it rises. Such things are gathered across files when the
question asks the articles as a whole ("according to the reports", "what do the sources name"); otherwise the
kind reading only reorders what the files the question itself finds say: a "which ..." question is usually
answered by one report's passage (eval/gold_qa.jsonl, eval/gold_conversations.jsonl: gathering across files for
every list question cost 2 and 3 of their answers a file outside the expected ones)."""
from __future__ import annotations

import re

from rag.answering.extractive import Candidate
from rag.language import AUXILIARIES, GENERIC_FOCUS

# "which (other) [up to two words] PLURAL": the asked kind with its modifiers ("list / name (all) (the) ..." too);
# <src>: the articles named as a whole.
_LIST_WORDS = re.compile(r"\b(?:what|which)\s+(?:other\s+|else\s+|kinds?\s+of\s+|types?\s+of\s+)?"
                         r"(?P<a>(?:[\w-]+\s+){0,2}?[\w-]+s)\b(?!')|"
                         r"^\s*(?:list|name|enumerate)\s+(?:all\s+)?(?:the\s+)?(?P<b>(?:[\w-]+\s+){0,2}?[\w-]+s)\b(?!')|"
                         r"\b(?P<src>(?:the|these|all|both)\s+(?:articles|reports|sources|outlets|accounts|stories|"
                         r"coverage))\b", re.I)
_NOT_PLURAL = ("ss", "us", "is", "'s", "’s")


def kind_phrase(question: str) -> str:
    """The kind of thing a list question asks for, with its modifiers ("" when it names none).

    Example: ``kind_phrase("Which coastal towns were flooded?")`` -> 'coastal towns';
    ``kind_phrase("Apart from the fine, what other penalties did the club face?")`` -> 'penalties';
    ``kind_phrase("What else did the band release?")`` -> ''; ``kind_phrase("What other steps were taken?")`` -> ''.
    """
    for m in _LIST_WORDS.finditer(question):
        phrase = m.group("a") or m.group("b")
        if not phrase:
            continue
        words = phrase.split()
        if any(w.lower() in AUXILIARIES for w in words) or phrase.lower().endswith(_NOT_PLURAL) or \
                words[0].lower() == "about":  # "What about reserves?" asks about one thing
            continue
        if words[0].lower() in ("other", "else"):
            words = words[1:]
        # "What other measures / steps / items ...": a word naming no kind (its things share no word for it)
        return "" if words[-1].lower() in GENERIC_FOCUS else " ".join(words)
    return ""


def spans_files(question: str) -> bool:
    """Whether a list question asks the articles as a whole, so its things are gathered across files.
    Example: ``spans_files("Which towns were flooded, according to the reports?")`` -> True;
    ``spans_files("Which towns were flooded?")`` -> False."""
    return any(m.group("src") for m in _LIST_WORDS.finditer(question))


def within_files(pool: list[Candidate], files: set[str]) -> list[Candidate]:
    """The candidates of ``files`` only. Example: a pool over files a and b, files {"a"} -> a's candidates."""
    return [c for c in pool if c.chunk.source in files]
