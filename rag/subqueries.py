"""What a question is retrieved with: the question split into its clauses, and without the words the file level
already matches (a day the question names, a publication heading files), whose files gain a bonus instead.

A multi-hop question ("Did the Herald report that rates rose, while the Gazette said they fell?") asks for
several passages, each matching one clause; matched as a whole, it ranks first the passages that share a
little with every clause (often an article's opening, whose masthead holds the publication and the date) over
the passage that answers one clause fully. Each clause is retrieved on its own as well and a chunk keeps its best
fused score (MultiHop-RAG dev, MRR@10: 0.434 -> 0.531 with the file-level bonuses; docs/benchmarks.md).
"""
from __future__ import annotations

import re
from rag.names import whole
from rag.readers.claims import has_words
from rag.textspans import close_punctuation
from rag.tuning import TUNING
from typing import Callable

# Where a clause ends: a semicolon or a question mark inside the text, a comma before a conjunction, a relative
# word or an auxiliary verb (", while ...", ", which ...", ", and did ..."), and a contrast wherever it stands.
_CLAUSE_BREAK = re.compile(
    r"\s*(?:[;?]|,(?=\s+(?:and|but|or|while|whereas|which|who|whom|whose|that|as|with|was|were|is|are|did|does|do"
    r"|has|have|had|in contrast|compared)\b)|\b(?:while|whereas|in contrast to|compared to|as opposed to)\b)\s*",
    re.IGNORECASE)
# A shorter piece ("and 2023", "which it denied") belongs to the clause before it. 8 rather than 4: MultiHop-RAG
# dev MRR@10 0.536 -> 0.534, and short conversational questions stay whole (MTRAG resolver nDCG@10 0.668 -> 0.670).
MIN_CLAUSE_WORDS = 8


def clauses(question: str, min_words: int = MIN_CLAUSE_WORDS) -> list[str]:
    """The clauses of a compound question, pieces shorter than ``min_words`` words joined to their neighbour.

    Example: ``clauses("Did the Herald say that rates rose in May, while the Gazette said that rates fell in
    June?")`` -> ['Did the Herald say that rates rose in May', 'the Gazette said that rates fell in June'].
    """
    out: list[str] = []
    for piece in _CLAUSE_BREAK.split(question):
        piece = piece.strip(" ,.")
        if not piece:
            continue
        if out and (len(piece.split()) < min_words or len(out[-1].split()) < min_words):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return out


def without(text: str, phrases: list[str]) -> str:
    """``text`` with every whole-word occurrence of the phrases removed (spaces collapsed); ``text`` itself when
    nothing would be left. Example: ``without("What did the Herald say on 3 May 2024?", ["Herald", "3 May 2024"])``
    -> 'What did the say on?'."""
    out = text
    for phrase in sorted(set(phrases), key=lambda p: (-len(p), p)):  # longest first, then a fixed order
        if phrase:
            out = whole(phrase, hyphen_joins=False).sub(" ", out)
    out = close_punctuation(" ".join(out.split()))
    return out if has_words(out) else text


def subqueries(question: str, matched: list[str], split: bool = True) -> list[str]:
    """The texts a question is retrieved with: itself without the ``matched`` phrases (which the file level
    rewards), then, for a compound question (when ``split``), each of its clauses likewise.

    Example: ``subqueries("Did the Herald say that rates rose in May, while the Gazette said that rates fell in
    June?", ["Herald"])`` -> ['Did the say that rates rose in May, while the Gazette said that rates fell in
    June?', 'Did the say that rates rose in May', 'the Gazette said that rates fell in June'].
    """
    parts = clauses(question) if split else []
    texts = [without(question, matched)] + ([without(p, matched) for p in parts] if len(parts) > 1 else [])
    return list(dict.fromkeys(texts))


def file_bonuses(question: str, day_keys: list[tuple[str, str]], credited: list[str],
                 dated_on: Callable[[str], frozenset], mastheads_of: Callable[[str], frozenset] | None,
                 date_boost: float,
                 masthead_boost: float = TUNING.masthead_boost) -> tuple[dict[str, float], list[str]]:
    """Bonus per file, and the phrases of the question those bonuses stand for. ``day_keys``: (ISO day, as
    written) of the days the question names, ``dated_on(day)`` the files dated that day; ``credited``: the publications it credits with a text; a day
    or a publication no file matches is left in the query. ``mastheads_of``: the files whose masthead names a
    publication (None when the corpus has no mastheads).

    Example: ``file_bonuses("q", [("2024-05-03", "3 May 2024")], ["Herald"], {"2024-05-03": {"a"}}.get,
    {"Herald": {"a", "b"}}.get, 0.3)`` -> ({'a': 0.6, 'b': 0.3}, ['3 May 2024', 'Herald']).
    """
    bonus: dict[str, float] = {}
    matched: list[str] = []
    for key, written in day_keys:
        files = dated_on(key) or ()
        for source in files:
            bonus[source] = date_boost
        if files:
            matched.append(written)
    headed: set[str] = set()
    for name in credited if mastheads_of is not None else ():
        files = mastheads_of(name) or ()
        headed |= set(files)
        if files:
            matched.append(name)
    for source in headed:
        bonus[source] = bonus.get(source, 0.0) + masthead_boost
    return {s: round(b, 6) for s, b in sorted(bonus.items())}, matched
