"""Pure: a comparison across sources: each file's best passage, one block per file labelled with its title and
date, and, when the files state different figures of one kind, an opening naming them side by side (the
typed values of rag.readers.values). Example: two reviews of one film, "It runs 128 minutes." and "The
2-hour-10 cut ..." -> a block per review; "The sources differ: 40% [1] vs 55% [2] (the passages may be about
different things)." when their shares differ, without the caveat when one sentence is told with another figure."""
from __future__ import annotations

from rag.answering.check import SOURCES_DIFFER
from rag.answering.extractive import Candidate
from rag.answering.shaped.common import Block, Opening, relative, source_label
from rag.readers.differences import near_copies
from rag.readers.question_kind import FIGURE_KINDS, asked_kind
from rag.readers.values import Value, comparable, same_value, values
from rag.tuning import TUNING

_FIGURES = FIGURE_KINDS


def per_file(candidates: list[Candidate], k: int, floor: float) -> list[Candidate]:
    """Each file's best sentence (files in the order of their best), then second-best ones while fewer than
    ``k`` and at least two per file fit. Example: files a (0.9, 0.8) and b (0.7) with k=3 -> a1, b1, a2."""
    rel = relative(candidates)
    ranked = sorted((c for c in candidates if rel[id(c)] >= floor), key=lambda c: -c.score)
    firsts, seconds, count = [], [], {}
    for cand in ranked:
        n = count.get(cand.chunk.source, 0)
        if n == 0:
            firsts.append(cand)
        elif n == 1:
            seconds.append(cand)
        count[cand.chunk.source] = n + 1
    picked = firsts[:k]
    picked += [c for c in seconds if c.chunk.source in {p.chunk.source for p in picked}][:max(0, k - len(picked))]
    order = {c.chunk.source: i for i, c in enumerate(firsts)}
    return sorted(picked, key=lambda c: (order[c.chunk.source], c.start))


def unmatched(mine: list[Value], theirs: list[Value]) -> list[Value]:
    """The values of ``mine`` that ``theirs`` states otherwise: none of theirs says the same (rag.readers.values.
    same_value: a date and a more precise date within it say the same) and one of theirs measures the same thing
    (``comparable``: a count of other things is no other figure for it). Example: 40% and 55% against 40% ->
    [55%]; "7 flavours" against "20 stalls" -> []."""
    return [v for v in mine if not any(same_value(v, w) for w in theirs) and any(comparable(v, w) for w in theirs)]


def disagree(stated: list[list[Value]]) -> bool:
    """Whether two files state values of a kind that differ: each states one the other does not. A file stating
    fewer of them (silent on the rest) does not differ. Example: 3 June 2023 and April 2022 against 3 June 2023
    -> False; 61% against 58% -> True."""
    return any(unmatched(a, b) and unmatched(b, a) for i, a in enumerate(stated) for b in stated[i + 1:])


def differences(question: str, picked: list[Candidate]) -> Opening | None:
    """The figures of one kind the files state differently, side by side, each cited; None when they agree or
    fewer than two files state one. The kind is the one asked for, else the one most files state."""
    kinds = [asked_kind(question)] if asked_kind(question) in _FIGURES else list(_FIGURES)
    best = None
    for kind in kinds:
        stated = {}
        for cand in picked:
            found = values(cand.text, kind, question)
            if found:
                stated.setdefault(cand.chunk.source, []).append((cand, found))
        by_file = {source: [v for _, found in items for v in found] for source, items in stated.items()}
        if disagree(list(by_file.values())) and (best is None or len(stated) > len(best[1])):
            best = (kind, stated, by_file)
    if best is None:
        return None
    # What every other file states too is agreed: each side shows only its values the others do not all say.
    _, stated, files = best
    parts = [(f"{SOURCES_DIFFER}: ", [])]
    for source, items in stated.items():
        others = [theirs for other, theirs in files.items() if other != source]
        own = [(cand, [v for v in found if any(unmatched([v], theirs) for theirs in others)]) for cand, found in items]
        shown = list(dict.fromkeys(v.text for _, found in own for v in found))[:3]
        if shown:
            parts.append(((" vs " if len(parts) > 1 else "") + ", ".join(shown), [cand for cand, found in own if found]))
    # As the fact answers' disagreements say (rag.answering.compose): figures of one kind in two files' best
    # passages are often of different things ("70% of mining" beside "60% of imports"); only one sentence told
    # with its figure swapped is a plain contradiction.
    sides = [[cand.text for cand, _ in items] for items in stated.values()]
    swapped = any(near_copies(a, b) for i, side in enumerate(sides) for other in sides[i + 1:]
                  for a in side for b in other)
    parts.append(("." if swapped else " (the passages may be about different things).", []))
    return Opening(parts)


def compose_comparison(question: str, candidates: list[Candidate],
                       k: int = TUNING.comparison_sentences) -> tuple[list[Block], list[Opening]]:
    """Blocks, one per file's passage (labelled with the file), and the differences opening if any."""
    picked = per_file(candidates, k, TUNING.comparison_floor)
    if len({c.chunk.source for c in picked}) < 2:
        return [], []
    blocks = [Block([c], c.chunk.source, source_label(c) + ": ") for c in picked]
    opening = differences(question, picked)
    return blocks, [opening] if opening else []
