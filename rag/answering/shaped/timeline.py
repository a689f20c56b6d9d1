"""Pure: a timeline: the relevant sentences that date their event (rag.answering.shaped.dating, relative dates
resolved against the article's date), distinct events only, ordered by date, each labelled with its ISO date;
undated sentences are left out. Example: "The stadium opened on May 2, 1998." and "On Tuesday it was sold."
(article dated 2024-05-02) -> 1998-05-02, then 2024-04-30."""
from __future__ import annotations

from rag.answering.extractive import Candidate
from rag.answering.shaped.common import Block, cosine, relative, spread_pick
from rag.answering.shaped.dating import event_date, latest_full_date
from rag.tuning import TUNING


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


def compose_timeline(candidates: list[Candidate], texts: dict[str, str],
                     k: int = TUNING.timeline_sentences) -> list[Block]:
    """Up to ``k`` dated events in date order (ties: file, position), each block labelled with its date."""
    when = dated(candidates, texts)
    rel = relative(candidates)
    dated_cands = [c for c in candidates if id(c) in when]
    picked = spread_pick(dated_cands, {id(c): rel[id(c)] for c in dated_cands}, k, TUNING.timeline_floor,
                         cover_floor=TUNING.timeline_cover_floor)
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
