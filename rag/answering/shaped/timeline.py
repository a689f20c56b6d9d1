"""Pure: a timeline: the relevant sentences that date their event (rag.answering.shaped.dating, relative dates
resolved against the article's date), distinct events only, ordered by date, each labelled with its ISO date;
undated sentences are left out. When the question names a period ("since March 2019", "in early 2021", "between
May 2020 and June 2021"), the events dated inside it enter whatever their words share with the question. Example: "The stadium opened on May 2, 1998." and "On Tuesday it was sold."
(article dated 2024-05-02) -> 1998-05-02, then 2024-04-30."""
from __future__ import annotations

import re

from rag.answering.extractive import Candidate
from rag.answering.shaped.common import Block, cosine, relative, spread_pick
from rag.answering.shaped.dating import event_date, latest_full_date
from rag.readers.values import dates
from rag.tuning import TUNING

# The word that bounds a period named after it: from ("since March 2019", "after the vote on May 4, 2022") or until
# ("before 2019"); "and" / "to" close a period opened by "between" / "from".
_SIDE = re.compile(r"\b(?:(?P<low>since|after|from|following|between|starting)|(?P<high>before|until|till|through|"
                   r"prior to|ahead of|to|and))\b", re.I)


def question_period(question: str) -> tuple[str, str]:
    """(earliest, latest) ISO keys of the period a question names ("" where open): "since X" and "after X" bound it
    below, "before X" and "until X" above, "between X and Y" / "from X to Y" both ways, "in X" is X itself; a decade
    ("the 1990s") is its three-digit key. Example: ``question_period("What happened since April 2025?")`` ->
    ('2025-04', ''); ``question_period("In what order did it unfold in early 2021?")`` -> ('2021', '2021')."""
    low = high = ""
    for value in dates(question):
        key = value.key[:3] if len(value.key) == 4 and value.text.endswith("s") else value.key
        side, found = "", list(_SIDE.finditer(question[max(0, value.start - 50):value.start]))
        for i in range(len(found) - 1, -1, -1):
            m = found[i]
            # "and" / "to" close a period only after "between" / "from" ("from May to June 2021")
            opened = low or any(f.group("low") for f in found[:i])
            side = "low" if m.group("low") else "high" if opened or m.group("high").lower() not in ("to", "and") else ""
            if side:
                break
        if side == "low":
            low = key
        elif side == "high":
            high = key
        else:
            low = high = key
    return low, high


def in_period(key: str, low: str, high: str) -> bool:
    """Whether an event's ISO key may fall within (low, high), each compared at the coarser of the two precisions.
    Example: ``in_period("2021-05-02", "2021", "2021")`` -> True; ``in_period("2019", "2020-03", "")`` -> False."""
    return (not low or key[:len(low)] >= low[:len(key)]) and (not high or key[:len(high)] <= high[:len(key)])


def dated(candidates: list[Candidate], texts: dict[str, str]) -> dict[int, str]:
    """id(candidate) -> the ISO date of its event, for the candidates that date one."""
    anchors: dict[str, tuple[str, bool]] = {}
    out = {}
    for cand in candidates:
        source = cand.chunk.source
        if source not in anchors:
            own = cand.chunk.date
            anchors[source] = (own, False) if own else (latest_full_date(texts.get(source, "")), True)
        anchor, estimated = anchors[source]
        found = event_date(cand.text, anchor, estimated)
        if found:
            out[id(cand)] = found[0]
    return out


def compose_timeline(candidates: list[Candidate], texts: dict[str, str], k: int = TUNING.timeline_sentences,
                     period: tuple[str, str] = ("", "")) -> list[Block]:
    """Up to ``k`` dated events in date order (ties: file, position), each block labelled with its date; with a
    ``period`` (question_period), the events within it are valued at least ``TUNING.timeline_floor``."""
    when = dated(candidates, texts)
    rel = relative(candidates)
    dated_cands = [c for c in candidates if id(c) in when]
    # An event dated within the asked period is relevant by its date: it enters at the floor whatever its words.
    # Events outside it stay (they keep a file covered; eval/gold_shapes.jsonl's timelines: every expected file
    # cited 0.75 -> 0.25 when they were left out).
    value = {id(c): max(rel[id(c)], TUNING.timeline_floor) if any(period) and in_period(when[id(c)], *period)
             else rel[id(c)] for c in dated_cands}
    # Each file about the question (its best sentence, dated or not, at least TUNING.cover_floor) gives its first
    # dated event before any file gives a second, however low that event's own words rank: a timeline's dated
    # sentences are few. A file about something else is not covered: its dated sentences enter only on their own
    # value, as a second sentence would (a folder of mixed news has a dated sentence in nearly every article).
    about = {c.chunk.source for c in candidates if rel[id(c)] >= TUNING.cover_floor}
    picked = spread_pick(dated_cands, value, k, TUNING.timeline_floor, cover_floor=TUNING.timeline_cover_floor,
                         cover=about)
    picked.sort(key=lambda c: (when[id(c)], c.chunk.source, c.start))
    # One event told by two files: the same date and close in meaning -> one entry citing both.
    blocks: list[Block] = []
    for cand in picked:
        same = next((b for b in blocks if b.label == when[id(cand)] and cand.chunk.source not in
                     {q.chunk.source for q in b.quotes} and cosine(b.quotes[0], cand) >= TUNING.agree_cosine), None)
        if same is not None:
            same.quotes.append(cand)
        else:
            blocks.append(Block([cand], when[id(cand)], when[id(cand)] + ": "))
    return blocks
