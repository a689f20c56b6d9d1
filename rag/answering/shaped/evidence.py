"""Pure: evidence measures of a yes/no question beyond one support check per claim, each read in the files of
the source a claim (or one side of it) credits: how much of a claim's wording its source's own files hold, the
order of two events by the dates of the files that report each side, and whether the passages of two named
sources agree with each other (for questions asking whether reports are consistent, the same, or differ).

Example: for "Did the Gazette report the pier closing before the Courier covered the storm?", the side "the
Gazette report the pier closing" is read in the Gazette's files, "the Courier covered the storm" in the
Courier's; when the Gazette's best passage comes from a file dated earlier than the Courier's, the order holds.
"""
from __future__ import annotations

from dataclasses import dataclass

from rag.answering.abstain import publications
from rag.textspans import content_terms
from rag.types import Hit

MASTHEAD_CHARS = 300  # a file's opening (title, date, byline) names its publication


@dataclass(frozen=True)
class SourceMeasure:
    """Question-level evidence: ``sources`` publications named, the share of them whose files were among the
    passages read (``found``); ``order``: +1 when the dates of the files reporting an ordered claim's two sides
    agree with its "before"/"after", -1 when they contradict it, 0 when unsettled or no claim orders events;
    ``agreement``: the support of one named source's best passage by another's (0 when fewer than two named
    sources were read)."""

    sources: int = 0
    found: float = 1.0
    order: int = 0
    agreement: float = 0.0


def files_of(name: str, hits: list[Hit], texts: dict[str, str]) -> list[Hit]:
    """The hits whose file's opening names the publication ``name`` (case-insensitive)."""
    key = name.casefold()
    return [h for h in hits if key in texts.get(h.chunk.source, "")[:MASTHEAD_CHARS].casefold()]


def coverage(claim: str, text: str) -> float:
    """The share of a claim's distinct content terms that a text holds. Example: ``coverage("the orchard sold
    pears", "Pears were sold at the market.")`` -> 0.667 (2 of 3: 'orchard' missing)."""
    terms = set(content_terms(claim))
    return round(len(terms & set(content_terms(text))) / len(terms), 3) if terms else 0.0


def best_coverage(claim: str, pool: list[Hit], texts: dict[str, str]) -> tuple[float, float]:
    """(best share of the claim's terms held by one whole file of the pool, by one passage of it)."""
    files = {h.chunk.source for h in pool}
    in_file = max((coverage(claim, texts.get(s, "")) for s in files), default=0.0)
    in_passage = max((coverage(claim, h.chunk.text) for h in pool), default=0.0)
    return in_file, in_passage


def leading_name(text: str, most: int = 6) -> str:
    """The capitalised words opening a text (after "the"), up to ``most``. Example: ``leading_name("the Valley
    Weekly covered the fair")`` -> 'Valley Weekly'."""
    words = text.split()
    words = words[1:] if words and words[0].lower() == "the" else words
    name = []
    for word in words[:most]:
        if not word[:1].isupper():
            break
        name.append(word)
    return " ".join(name)


def _named_pool(text: str, hits: list[Hit], texts: dict[str, str]) -> list[Hit]:
    """The hits of the publication a side credits ("the Herald article ...", or a name opening it that heads
    some file: "the Herald covered ..."); all hits when none."""
    lead = leading_name(text)
    for name in publications(" " + text) + ([lead] if lead else []):
        named = files_of(name, hits, texts)
        if named:
            return named
    return hits


def side_order(sides: tuple[str, str, str], hits: list[Hit], texts: dict[str, str], check) -> int:
    """+1 / -1 / 0: whether the dates of the files whose passages best match each side (each side read in the
    files of the publication it names, or all) agree with "before"/"after"; 0 when a date is missing or equal."""
    first, word, second = sides
    days = []
    for text in (first, second):
        pool = _named_pool(text, hits, texts)
        result = check(text, [h.chunk.text for h in pool])
        days.append(pool[result.index].chunk.date if 0 <= result.index < len(pool) else "")
    if not all(days) or days[0] == days[1]:
        return 0
    return 1 if (days[0] < days[1]) == (word == "before") else -1


def source_measure(question: str, claim_texts: list[tuple[str, str]], hits: list[Hit], texts: dict[str, str],
                   check, order: int = 0) -> SourceMeasure:
    """``claim_texts``: each claim's (text, publication credited or ""). Each named source's best passage for
    what the question credits it with (its own claims, else the first claim) is found in its files; the first
    two found are checked against each other, both ways, the stronger kept."""
    names = list(dict.fromkeys(publications(question) + [n for _, n in claim_texts if n]))
    best = []
    for name in names:
        pool = files_of(name, hits, texts)
        if not pool:
            continue
        said = " ".join(t for t, n in claim_texts if n == name) or claim_texts[0][0]
        result = check(said, [h.chunk.text for h in pool])
        if result.quote:
            best.append(result.quote)
    agreement = 0.0
    if len(best) >= 2:
        agreement = max(float(check(best[0], [best[1]]).score), float(check(best[1], [best[0]]).score))
    found = sum(1 for n in names if files_of(n, hits, texts)) / len(names) if names else 1.0
    return SourceMeasure(len(names), round(found, 3), order, round(agreement, 4))
