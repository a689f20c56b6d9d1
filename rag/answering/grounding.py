"""A model's reply, checked: its sentences and markers read (rag.readers.llm_markers), each sentence checked by
rag.support.check against the numbered sentences it cites, and kept, re-pointed, marked or dropped.

- a sentence whose cited passages support it keeps them (a cited passage that alone does not support it while
  another does is a wrong pointer, and goes);
- a sentence with no valid marker, or whose cited passages do not support it, cites the one prompt passage that
  does support it, when one does;
- otherwise it is marked ``supported: false`` (or dropped, with ``drop_unsupported``), keeping the model's own
  pointers so the reader can see what it claimed;
- a sentence saying the sources do not answer is a decline, not a claim: a reply of declines only is an abstention.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Callable

from rag.answering.citations import answer_sentences, parse_markers
from rag.prompts import unlabelled
from rag.readers.claims import has_words
from rag.readers.llm_markers import canonical
from rag.textspans import content_terms, sentence_spans

_MARKDOWN = re.compile(r"(\*\*|__|`+|^#+\s+|^\s*(?:[-*\u2022]|\d+[.)])\s+)", re.MULTILINE)
_SOURCES = r"(?:sources?|sentences?|passages?|articles?|texts?|context|information|documents?|corpus)"
_DECLINE = re.compile(
    r"\b(?:corpus does not say"
    rf"|{_SOURCES}\s+(?:provided\s+|given\s+|above\s+)?(?:do(?:es)?\s+not|don'?t|doesn'?t)\s+"
    r"(?:say|mention|contain|provide|answer|specify|state|include|give|address|discuss|indicate)"
    r"|no (?:relevant |specific )?(?:information|mention|details?|data)\b"
    r"|not (?:mentioned|stated|specified|provided|given|addressed|discussed) in"
    r"|(?:cannot|can'?t|unable to) (?:answer|determine|tell|find)"
    r"|not enough information|insufficient information|i (?:do not|don'?t) know)",
    re.IGNORECASE)


@dataclass(frozen=True)
class Claim:
    """One sentence of the reply, without markers, and the passage numbers (1..n) it cites."""

    text: str
    cited: tuple[int, ...]


@dataclass(frozen=True)
class Checked:
    """A claim after the check: the passages (0-based) it now cites, its support, and whether it was re-pointed."""

    text: str
    cites: tuple[int, ...]
    support: float
    supported: bool
    repointed: bool = False
    # (passage, offset): the support began this far into the passage's context, before the passage itself (the
    # claim's subject is in the sentence before it): the citation then shows the context from there on.
    begins: tuple[tuple[int, int], ...] = ()


def read_reply(reply: str, n: int) -> tuple[list[Claim], list[int]]:
    """The reply's sentences with their in-range markers, and the out-of-range numbers dropped. A sentence with
    too few words to be a claim ("Yes.") joins the next one; a stray marker run belongs to the sentence before.

    Example: ``read_reply("Yes. The dam opened in 1936 (2). It cost $49 million [9].", 3)``
    -> ([Claim('Yes. The dam opened in 1936.', (2,)), Claim('It cost $49 million.', ())], [9]).
    """
    text, dropped = canonical(_MARKDOWN.sub("", unlabelled(reply, "answer|response|final answer")), n)
    claims: list[Claim] = []
    pending = ""
    for raw in answer_sentences(text):
        clean, kept, _ = parse_markers(raw, n)
        if not has_words(clean):
            if kept and claims:
                claims[-1] = Claim(claims[-1].text, tuple(dict.fromkeys(claims[-1].cited + tuple(kept))))
            continue
        if not kept and len(content_terms(clean)) < 2 and not is_decline(clean):
            pending = f"{pending} {clean}".strip()  # "Yes." / "No." / "In short:" lead into the next sentence
            continue
        claims.append(Claim(f"{pending} {clean}".strip(), tuple(kept)))
        pending = ""
    if pending:
        if claims:
            claims[-1] = Claim(f"{claims[-1].text} {pending}", claims[-1].cited)
        else:
            claims.append(Claim(pending, ()))
    return claims, dropped


def is_decline(sentence: str) -> bool:
    """Whether a sentence says the sources do not answer (in any of the ways a model says it).
    Example: ``is_decline("The provided sentences do not mention the score.")`` -> True."""
    return bool(_DECLINE.search(sentence))


def plain(text: str) -> str:
    """Symbols (bullets, arrows, "▲") as spaces: glued to a word, the embedding model's word-piece vocabulary reads
    "▲samarium" as one unknown token and the check misses a name the passage plainly states. Only what the check
    reads is changed; quotes are cut from the document by offset.
    Example: ``plain("▲tin ▲zinc")`` -> ' tin  zinc'."""
    return text.translate(_SYMBOLS_AS_SPACES)


class _SymbolTable(dict):
    """str.translate's table, filled one character at a time as texts show them: the check runs ``plain`` on every
    quote of every answer, and a per-character category lookup in Python was most of the check stage's time
    (bench.latency --profile at 100k chunks)."""

    def __missing__(self, code: int) -> int:
        ch = chr(code)
        self[code] = 32 if unicodedata.category(ch).startswith("S") and ch not in "$%€£¥+<=>" else code
        return self[code]


_SYMBOLS_AS_SPACES = _SymbolTable()


def check_claims(claims: list[Claim], passages: list[str], check: Callable, threshold: float,
                 contexts: list[str] | None = None) -> list[Checked]:
    """Each claim checked against the passages it cites (``check(claim, texts) -> SupportResult``, i.e.
    rag.support.check), re-pointed to the one passage that supports it when its own do not. ``contexts[i]``, when
    given, is what the check reads for passage i when the sentence alone falls short: the text before the sentence
    in its chunk, then the sentence (``contexts[i]`` ends with ``passages[i]``), so "Its shares rose 8%" is read
    with the sentence that names the company; the quote the check rests on must still reach into the cited
    sentence itself, and the claim's ``begins`` says from where in the context the citation must then show."""
    sentences = [plain(p) for p in passages]
    reads = [plain(p) for p in contexts] if contexts is not None else sentences

    def holds(claim: str, indices: list[int]) -> tuple[bool, float, tuple]:
        result = check(claim, [sentences[i] for i in indices])
        if result.score >= threshold or contexts is None:
            return result.score >= threshold, result.score, ()
        result = check(claim, [reads[i] for i in indices])
        if result.score < threshold or not 0 <= result.index < len(indices):
            return False, result.score, ()
        index = indices[result.index]
        own_from = len(reads[index]) - len(sentences[index])
        if result.end <= own_from:
            return False, result.score, ()
        # The sentence alone fell short and its context carried it: the citation will start where the support did,
        # or at the sentence before when the check's quote lies in the sentence itself (the context's names count).
        begin = result.start
        if begin >= own_from:
            begin = next((s.start for s in reversed(sentence_spans(reads[index], 0, own_from))), 0)
        return True, result.score, ((index, begin),)

    out = []
    for claim in claims:
        cited = [k - 1 for k in claim.cited]
        ok, score, begins = holds(claim.text, cited) if cited else (False, 0.0, ())
        if ok:
            if len(cited) > 1:  # drop wrong pointers, unless the claim needs them all together
                cited = [i for i in cited if holds(claim.text, [i])[0]] or cited
            out.append(Checked(claim.text, tuple(cited), score, True,
                               begins=tuple(b for b in begins if b[0] in cited)))
            continue
        # The one sentence that supports the claim alone, since that passage is all the citation will show. Each
        # is read on its own: the check over all of them together may quote a sentence that lends the claim a word
        # or two ("reportedly") while another holds its substance (seen on the test model, 2026-12-07).
        supporting = [(i, *holds(claim.text, [i])) for i in range(len(sentences))]
        supporting = [(score, i, begins) for i, ok, score, begins in supporting if ok]
        if supporting:
            score, i, begins = max(supporting, key=lambda s: s[0])  # the first of equal scores
            out.append(Checked(claim.text, (i,), score, True, repointed=True, begins=begins))
            continue
        out.append(Checked(claim.text, tuple(cited), score, False))
    return out
