"""Pure: a "why" question's answer: sentences stating a cause of the asked event (a causal or in-response-to
relation), preferring several files that state it, each quoted exactly. Example: asked why a match was
postponed, "The match was postponed because the pitch froze." outranks "The match drew 40,000 fans last year."
"""
from __future__ import annotations

import re

from rag.answering.extractive import Candidate
from rag.answering.shaped.common import Block, blocks_of, cosine, relative, spread_pick
from rag.tuning import TUNING

# English relations that state a cause, a motive or what something answers (no topic words): strong ones name
# the relation; weak ones ("after", "amid", "following") often only place an event in time.
_STRONG = re.compile(r"\b(?:because|due to|owing to|thanks to|as a result of|resulting from|results? from|stems? from|"
                     r"in (?:response|reaction|retaliation|reply|protest) to|to respond to|respond(?:s|ed|ing)? to|"
                     r"retaliat\w*|triggered|prompted|sparked|spurred|provoked|led to|caused?|driven by|"
                     r"motivated by|traces? back to|in order to|so as to|aimed at|intended to|framed as|forc(?:ed|ing)|"
                     r"compelled|therefore|hence|consequently|thus|so that|"
                     r"taking issue with|reasons?|why|justif\w+|on the grounds|for fear|to punish|to pressure|"
                     r"to safeguard|to protect|to prevent|to avoid|blamed?|the (?:result|consequence) of)\b", re.I)
_WEAK = re.compile(r"\b(?:after|following|amid|since|given that|considering|over (?:its|his|her|their|the))\b", re.I)


def states_cause(sentence: str) -> bool:
    """Whether a sentence states a cause or motive. Example: ``states_cause("Trains stopped due to snow.")`` -> True;
    ``states_cause("Trains run every hour.")`` -> False."""
    return bool(_STRONG.search(sentence) or _WEAK.search(sentence))


def compose_reason(candidates: list[Candidate], k: int = TUNING.reason_sentences) -> list[Block]:
    """Up to ``k`` blocks: relevant sentences, those stating a cause first (a cause stated in other files too
    counts for more: files that agree), several files first. A "why" is often answered by a plain fact ("it
    sources all of it from one supplier"), so a relevant sentence without a causal word still counts."""
    rel = relative(candidates)
    value = {}
    for cand in candidates:
        if not states_cause(cand.text):
            value[id(cand)] = rel[id(cand)]
            continue
        agree = len({o.chunk.source for o in candidates if o.chunk.source != cand.chunk.source
                     and states_cause(o.text) and cosine(cand, o) >= TUNING.agree_cosine})
        value[id(cand)] = rel[id(cand)] + TUNING.agree_bonus * min(agree, 2) + \
            (TUNING.cause_bonus if _STRONG.search(cand.text) else 0.0)
    return blocks_of(spread_pick(candidates, value, k, TUNING.reason_floor,
                                 cover_floor=TUNING.cover_floor), candidates)
