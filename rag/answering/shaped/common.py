"""Pure helpers every shape composer shares: which candidate sentences are statements (not a headline, a
question line or a label), their relevance relative to the best candidate (ranks and ratios, not absolute
scores: the scorer's scale may change), a spread-out pick over files (maximal marginal relevance over the
stored sentence vectors), and the Answer built from labelled blocks of exact quotes."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np

from rag.answering.citations import Numbering
from rag.answering.compose import _display, citation_of
from rag.answering.extractive import Candidate
from rag.readers.claims import support_score
from rag.textspans import LETTER_WORD
from rag.types import Answer, Sentence
from rag.tuning import TUNING

_ENDS_STATEMENT = re.compile(r"[.!。！]['\"”’)\]]*\s*$|[.!]\s*(?:\[\d+\]\s*)+$")


@dataclass
class Block:
    """One answer sentence: the quoted candidate first, then other files' sentences stating the same (extra
    citations); ``label`` is Sentence.label (an ISO date, a file, "verdict"); ``prefix`` opens its line."""

    quotes: list[Candidate]
    label: str = ""
    prefix: str = ""


@dataclass
class Opening:
    """A sentence that is not a quote (a verdict, the values that differ): its parts, each followed by the
    markers of the candidates it cites. Example: ``Opening([("60%", [a]), (" vs 58%", [b]), (".", [])])``."""

    parts: list[tuple[str, list[Candidate]]]
    support: float = 1.0
    label: str = ""


def is_statement(cand: Candidate, text: str) -> bool:
    """Whether a candidate is a statement an answer may quote: not a question, not a headline or label line
    standing alone without a full stop, at least five words.

    Example: a line "Harbour Bridge Reopens" alone on its line -> False; "The bridge reopened on May 2." -> True;
    "Part 2: Harbour Works And Tolls" inside a paragraph -> False (a label: fewer than three lower-case words).
    """
    body = cand.text.strip()
    found = LETTER_WORD.findall(body)
    # Scripts without case or spaces (Chinese, Japanese) are measured in characters, not words.
    caseless = sum(1 for ch in body if ch.isalpha() and not ch.isupper() and not ch.islower())
    if body.rstrip("'\"”’)？ ").endswith(("?", "？")) or body.endswith((":", "：")) or \
            len(found) < 5 and caseless < 12:
        return False
    if caseless < 12 and sum(1 for w in found if not w[0].isupper()) < 3:  # "Part 2: Harbour Expansion Plans"
        return False
    if cand.chunk.title and body == cand.chunk.title.strip():
        return False
    line_start = text.rfind("\n", 0, cand.start) + 1
    line_end = text.find("\n", cand.end)
    line_end = len(text) if line_end < 0 else line_end
    alone = not text[line_start:cand.start].strip() and not text[cand.end:line_end].strip()
    return not alone or bool(_ENDS_STATEMENT.search(body))


def statements(candidates: list[Candidate], texts: dict[str, str]) -> list[Candidate]:
    """The candidates that are statements, best first, one per exact span."""
    seen, out = set(), []
    for cand in sorted(candidates, key=lambda c: -c.score):
        key = (cand.chunk.source, cand.start, cand.end)
        text = texts.get(cand.chunk.source)
        if key in seen or text is None or text[cand.start:cand.end] != cand.text or not is_statement(cand, text):
            continue
        seen.add(key)
        out.append(cand)
    return out


def relative(candidates: list[Candidate]) -> dict[int, float]:
    """Each candidate's score placed between the pool's median (0.0) and its best (1.0), keyed by id(): in a
    corpus on one topic every sentence shares some of the question's meaning, so a share of the best score
    alone says little; where it stands among the passages read says more. Under the median: 0.0.

    Example: scores 0.9, 0.5, 0.4 and 0.3 -> 1.0, 0.111, 0.0, 0.0 (median 0.45).
    """
    scores = sorted(c.score for c in candidates)
    if not scores:
        return {}
    middle = len(scores) // 2
    median = scores[middle] if len(scores) % 2 else (scores[middle - 1] + scores[middle]) / 2
    span = scores[-1] - median
    return {id(c): (max(0.0, (c.score - median) / span) if span > 0 else 1.0) for c in candidates}


def best_reading(pools: list[list[Candidate]]) -> list[Candidate]:
    """One pool from the same sentences scored against several readings of the question: each sentence once
    (the first pool's candidate), its score the best of its places (``relative``) across the readings, best first.

    Example: a sentence last for the question as asked but first for its focus -> score 1.0.
    """
    if len(pools) == 1:
        return pools[0]
    best: dict[tuple[str, int, int], float] = {}
    first: dict[tuple[str, int, int], Candidate] = {}
    for pool in pools:
        for cand in pool:
            key = (cand.chunk.source, cand.start, cand.end)
            first.setdefault(key, cand)
        for cand, value in zip(pool, (relative(pool)[id(c)] for c in pool)):
            key = (cand.chunk.source, cand.start, cand.end)
            best[key] = max(best.get(key, 0.0), value)
    merged = [replace(first[key], score=value) for key, value in best.items()]
    return sorted(merged, key=lambda c: -c.score)


def cosine(a: Candidate, b: Candidate) -> float:
    return float(np.dot(a.vector, b.vector)) if a.vector is not None and b.vector is not None else 0.0


def spread_pick(candidates: list[Candidate], value: dict[int, float], k: int, floor: float,
                diversity: float = TUNING.shape_diversity, new_file: float = TUNING.shape_new_file,
                cover_floor: float | None = None, cover: set[str] | None = None) -> list[Candidate]:
    """Greedy maximal marginal relevance: repeatedly the candidate with the highest ``value`` minus
    ``diversity`` x its closest cosine to those taken, plus ``new_file`` when its file is not yet quoted;
    restatements (cosine >= TUNING.twin_cosine to one taken) and values under ``floor`` are skipped.
    With ``cover_floor``, files are covered first: while a file not yet quoted has a candidate valued at least
    ``cover_floor`` (about the question's subject), only such candidates compete, so each file's best comes
    before any file's second. ``cover``: only these files are covered first (default: every file).

    Example: two near-identical sentences from one file and a distinct one from another -> the best, then the
    other file's, not the restatement.
    """
    lowest = floor if cover_floor is None else min(floor, cover_floor)
    pool = [c for c in candidates if value.get(id(c), 0.0) >= lowest]
    taken: list[Candidate] = []
    while pool and len(taken) < k:
        files = {t.chunk.source for t in taken}
        fresh = [c for c in pool if cover_floor is not None and c.chunk.source not in files
                 and value[id(c)] >= cover_floor and (cover is None or c.chunk.source in cover)]
        rest = fresh or [c for c in pool if value[id(c)] >= floor]
        if not rest:
            break

        def gain(c: Candidate) -> float:
            closest = max((cosine(c, t) for t in taken), default=0.0)
            return value[id(c)] - diversity * closest + (new_file if c.chunk.source not in files else 0.0)

        best = max(rest, key=gain)
        pool.remove(best)
        if any(cosine(best, t) >= TUNING.twin_cosine for t in taken):
            continue
        taken.append(best)
    return taken


def other_files(candidates: list[Candidate], quoted: set[str], k: int) -> list[Candidate]:
    """Up to ``k`` sentences of files not in ``quoted``, one per file, each file's best (``spread_pick`` covering
    files whose best stands at least TUNING.cover_floor between the pool's median and its best; nothing under it).

    Example: quoted {"a"}, files b and c each with a sentence well above the median -> b's best, c's best."""
    rel = relative(candidates)
    value = {id(c): rel[id(c)] for c in candidates if c.chunk.source not in quoted}
    fresh = [c for c in candidates if id(c) in value]
    return spread_pick(fresh, value, k, 2.0, cover_floor=TUNING.cover_floor)  # floor 2.0: no second of a file


def corroborating(head: Candidate, candidates: list[Candidate], used: set) -> list[Candidate]:
    """Other files' sentences stating what ``head`` states (close in meaning, the same numbers): extra citations."""
    from rag.readers.claims import numbers

    out, files = [], {head.chunk.source}
    mine = numbers(head.text)
    for other in candidates:
        key = (other.chunk.source, other.start)
        if other.chunk.source in files or key in used:
            continue
        theirs = numbers(other.text)
        if mine and not mine & theirs or (mine - theirs and theirs - mine):
            continue
        similar = cosine(head, other)
        if similar >= TUNING.corroborate_cosine or support_score(head.text, other.text, similar) >= TUNING.corroborate_at:
            out.append(other)
            files.add(other.chunk.source)
    return out


def blocks_of(picked: list[Candidate], candidates: list[Candidate], label=lambda c: "", prefix=lambda c: "") -> list[Block]:
    """One block per picked sentence, each with the other files' sentences that corroborate it."""
    used = {(c.chunk.source, c.start) for c in picked}
    blocks = []
    for head in picked:
        more = corroborating(head, candidates, used)
        used.update((c.chunk.source, c.start) for c in more)
        blocks.append(Block([head, *more], label(head), prefix(head)))
    return blocks


def source_label(cand: Candidate) -> str:
    """How a block names its file: the title (or file name) and the article's date when it has one.

    Example: a chunk titled "Rovers Win" dated 2024-05-02 -> 'Rovers Win (2024-05-02)'.
    """
    name = " ".join((cand.chunk.title or cand.chunk.source).split())
    name = name if len(name) <= 90 else name[:89].rstrip() + "…"
    return f"{name} ({cand.chunk.date})" if cand.chunk.date else name


def build_answer(question: str, shape: str, reason: str, blocks: list[Block], retrieved, notice: str,
                 threshold: float, openings: list[Opening] = ()) -> Answer:
    """The Answer: openings first, then each block's quote with its markers (numbered in reading order)."""
    numbering = Numbering()

    def marker(cand: Candidate) -> int:
        return numbering.marker_of(citation_of(0, cand))

    sentences, inline = [], []
    for opening in openings:
        rendered, plain, marks = [], [], []
        for text, cites in opening.parts:
            own = list(dict.fromkeys(marker(c) for c in cites))
            marks += own
            plain.append(text)
            rendered.append(text + (" " + "".join(f"[{m}]" for m in own) if own else ""))
        sentences.append(Sentence("".join(plain), tuple(dict.fromkeys(marks)), opening.support,
                                  opening.support >= threshold, opening.label))
        inline.append("".join(rendered))
    for block in blocks:
        head = block.quotes[0]
        marks = tuple(dict.fromkeys(marker(c) for c in block.quotes))
        # A quote supports itself; the score is still computed, not assumed (rag.answering.compose does the same).
        support = support_score(head.text, head.text, 1.0)
        text = _display(head.text)
        sentences.append(Sentence(text, marks, support, support >= threshold, block.label))
        inline.append(block.prefix + text + "".join(f"[{m}]" for m in marks))
    ordered = tuple(numbering.citations)
    return Answer(question, " ".join(inline), False, ordered, tuple(sentences), (), (), tuple(retrieved),
                  "extractive", notice, shape=shape, shape_reason=reason)
