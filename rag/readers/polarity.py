"""Pure: whether a passage states a claim's polarity, and whether it is about the claim at all: the readers the
yes/no answer's checks lean on (rag.answering.shaped.yesno). A negation governs a few words after it, within its
clause; a quote denies a claim when a negation governs claim terms on one side only.

Example: ``polarity_differs("the council approved the plan", "The council never approved the plan.")`` -> True.
"""
from __future__ import annotations

import re

from rag.language import CLAUSE_BREAKS
from rag.textspans import PUNCTUATION, WORD, content_terms

_NEGATION = re.compile(r"\b(?:not|no|never|neither|nor|none|without)\b|n['’]t\b", re.I)
_NEGATION_REACH = 4  # words after a negation it governs ("did not specifically name X")
# A quote is about a claim when it holds at least this share of the claim's content terms: only then can it
# settle the claim either way (a passage on something else neither states nor contradicts it).
ABOUT = 0.5


def negated_terms(text: str) -> set[str]:
    """Content terms within reach after a negation, in clauses (``clauses``) negated an odd number of times ("no
    one can win without luck" asserts that luck is needed).
    Example: ``negated_terms("The law did not name any fees.")`` -> {'name', 'fee'} (stems, as
    rag.textspans.content_terms gives them)."""
    out = set()
    for clause in clauses(text):
        found = list(_NEGATION.finditer(clause))
        if len(found) % 2:
            for m in found:
                out |= set(content_terms(" ".join(clause[m.end():].split()[:_NEGATION_REACH])))
    return out


def clauses(text: str) -> list[str]:
    """The spans a negation's scope stays within: cut at punctuation and before a word opening a new clause
    (rag.language.CLAUSE_BREAKS). Example: ``clauses("No deal was made since they would not talk")`` ->
    ['No deal was made', 'since they would not talk']."""
    out = []
    for part in PUNCTUATION.split(text):
        start = 0
        for m in WORD.finditer(part):
            if m.group().lower() in CLAUSE_BREAKS and part[start:m.start()].strip():
                out.append(part[start:m.start()].strip())
                start = m.start()
        if part[start:].strip():
            out.append(part[start:].strip())
    return out


def about(claim: str, quote: str) -> bool:
    """Whether a quote is about what the claim is about: it holds at least ABOUT of the claim's content terms.
    A passage on something else cannot contradict a claim. Example: ``about("the ferry resumed in May", "The
    ferry service resumed.")`` -> True."""
    return about_share(claim, quote) >= ABOUT


def polarity_differs(claim: str, quote: str) -> bool:
    """Whether the quote denies what the claim asserts (or asserts what it denies): a negation governs two of
    the claim's terms on one side only. Example: ``polarity_differs("the report named the buyer", "The report
    did not name the buyer.")`` -> True."""
    terms = set(content_terms(claim))
    theirs, mine = negated_terms(quote) & terms, negated_terms(claim) & terms
    return len(theirs - mine) >= 2 and not mine or len(mine - theirs) >= 2 and not theirs


def about_share(claim: str, quote: str) -> float:
    """The share of the claim's content terms the quote holds (0 for a claim without any)."""
    terms = set(content_terms(claim))
    return len(terms & set(content_terms(quote))) / len(terms) if terms else 0.0
