"""Pure: a "how did X react / respond" question's answer: sentences whose subject is the asked actor and that
report what it did or said, quoted exactly. Example: asked how the council responded to the flood, "The
council said it would rebuild the dam." outranks "The flood reached the council offices."
"""
from __future__ import annotations

import re

from rag.answering.extractive import Candidate
from rag.answering.shaped.common import Block, blocks_of, relative, spread_pick
from rag.readers.speech import speaker_context
from rag.textspans import QUOTE_MARK, content_terms
from rag.tuning import TUNING

_ACTOR = re.compile(r"\bhow (?:did|does|do|has|have|had|will|would|is|are|was|were) (?P<a>.+?) (?:react|respond|reply|"
                    r"retaliate|answer|handle|deal with|present|frame|portray|characteri[sz]e|view|describe)\w*\b|"
                    r"\bwhat (?:did|does|has|have) (?P<b>.+?) (?:say|do|announce)\b|"
                    r"\bwhat (?:was|were|is|are|has been) (?:the )?(?P<c>.+?)['’]s? (?:reactions?|responses?)\b|"
                    r"\b(?:reactions?|responses?) (?:of|from|by) (?P<d>.+?)(?: to\b|\?|$)", re.I)
# What an actor does or says, as English verbs report it.
_ACTS = re.compile(r"\b(?:said|says|say|stated|states|told|announced|announces|launched|launches|urged|warned|"
                   r"blamed|fined|accused|praised|welcomed|rejected|approved|agreed|refused|"
                   r"responded|replied|called|vowed|pledged|promised|critici[sz]ed|condemned|emphasi[sz]ed|"
                   r"stressed|added|noted|argued|insisted|denied|admitted|confirmed|complained|reported|issued|"
                   r"imposed|took|moved|filed|began|started|decided|plans?|planned|is trying|are trying|sought|"
                   r"seeks|signal(?:l)?ed|retaliated|suspended|banned|halted|introduced|declared|demanded|"
                   r"summoned|protested|posted|wrote|described|framed|portrayed|interpreted|expressed|fear|feared|"
                   r"will|would)\b", re.I)


def asked_actor(question: str) -> str:
    """The actor a reaction question asks about. Example: ``asked_actor("How did the league respond to the
    ban?")`` -> 'the league'; "" when the form names none."""
    m = _ACTOR.search(question)
    return next((g for g in (m.group("a"), m.group("b"), m.group("c"), m.group("d")) if g), "").strip() if m else ""


def actor_phrase(question: str) -> str:
    """The question's actor with its verb, without what it responded to ("" when the form names no actor).
    Example: ``actor_phrase("How did the league respond to the ban?")`` -> 'How did the league respond'."""
    m = _ACTOR.search(question)
    return question[m.start():m.end()] if m and (m.group("a") or m.group("b")) else ""


def acts(sentence: str) -> bool:
    """Whether a sentence reports something done or said. Example: ``acts("The mayor said the pool will reopen.")``
    -> True."""
    return bool(_ACTS.search(sentence) or QUOTE_MARK.search(sentence))


def leads_with(sentence: str, actor_terms: set[str]) -> bool:
    """Whether the actor is the sentence's subject: named before its first reporting or acting verb (within the
    first four words when it has none). Example: ``leads_with("The club fined the player.", {"club"})`` -> True;
    ``leads_with("Fans blamed the club.", {"club"})`` -> False."""
    verb = _ACTS.search(sentence)
    head = sentence[:verb.start()] if verb else " ".join(sentence.split()[:4])
    return bool(actor_terms & set(content_terms(" ".join(head.split()[-8:]))))


def compose_reaction(question: str, candidates: list[Candidate], texts: dict[str, str] | None = None,
                     k: int = TUNING.reaction_sentences) -> list[Block]:
    """Up to ``k`` blocks: relevant sentences, those reporting what the actor did or said first (the actor
    named as their subject counts for more), spread over files. A sentence quoting someone whose name comes
    before the quotation (rag.readers.speech, read in ``texts``: source -> the file's text) is that speaker's
    act, and the actor's when the speaker's words name the actor."""
    actor = set(content_terms(asked_actor(question)))
    rel = relative(candidates)
    value = {}
    for cand in candidates:
        text = (texts or {}).get(cand.chunk.source, "")
        said_by = speaker_context(text, cand.start, cand.end) if text[cand.start:cand.end] == cand.text else ""
        by_actor = bool(actor) and (leads_with(cand.text, actor) or bool(actor & set(content_terms(said_by))))
        # A quotation goes on with what its lead-in sentence is about: as relevant as the lead-in, at least.
        lead_in = [rel[id(c)] for c in candidates if said_by and c.chunk.source == cand.chunk.source
                   and cand.start - len(said_by) <= c.start and c.end <= cand.start]
        value[id(cand)] = max([rel[id(cand)], *lead_in]) + (TUNING.actor_bonus if by_actor else 0.0) \
            + (TUNING.act_bonus if said_by or acts(cand.text) else 0.0)
    return blocks_of(spread_pick(candidates, value, k, TUNING.shape_floor,
                                 cover_floor=TUNING.cover_floor), candidates)
