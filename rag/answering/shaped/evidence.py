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

from rag.readers.abstain import entities, publications
from rag.textspans import content_terms, words
from rag.tuning import TUNING
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


def byline(text: str) -> list[str]:
    """The word tokens of a file's opening after its first line (the title): where a news file names its
    publication and author. Example: ``byline("Pier Closes\n2024-05-02\nAnn Lee, Harbour Gazette\n\nThe pier
    ...")`` -> ['2024', '05', '02', 'ann', 'lee', 'harbour', 'gazette'] (up to two lines, to a blank line)."""
    opening = text[:MASTHEAD_CHARS]
    if "\n" not in opening:
        return []
    lines = opening[opening.find("\n") + 1:].split("\n\n")[0].split("\n")
    return words(" ".join(lines[:2]))


def _holds(tokens: list[str], name: list[str]) -> bool:
    n = len(name)
    return n > 0 and any(tokens[i:i + n] == name for i in range(len(tokens) - n + 1))


def files_of(name: str, hits: list[Hit], texts: dict[str, str]) -> list[Hit]:
    """The hits whose file's byline (rag.answering.shaped.evidence.byline) holds the words of ``name``."""
    key = words(name)
    return [h for h in hits if _holds(byline(texts.get(h.chunk.source, "")), key)]


def named_sources(text: str, hits: list[Hit], texts: dict[str, str]) -> list[str]:
    """The names in a text that head some retrieved files' bylines (publications), one per distinct set of
    files. Example: with a file whose byline is "Ann Lee, Harbour Gazette", "Did the Harbour Gazette say the
    pier closed?" -> ['Harbour Gazette']."""
    lead = leading_name(text)
    leads = [lead, lead.partition(" ")[2]] if lead else []  # "Did Valley Weekly": the question's verb may lead
    found, seen = [], set()
    for name in publications(" " + text) + [n for n in leads if n] + entities(text):
        files = frozenset(h.chunk.source for h in files_of(name, hits, texts))
        if files and files not in seen:
            seen.add(files)
            found.append(name)
    return found


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
        name.append(word.strip(",;:"))
    return " ".join(name)


def _named_pool(text: str, hits: list[Hit], texts: dict[str, str]) -> list[Hit]:
    """The hits of the publication a side credits ("the Herald article ...", or a name opening it that heads
    some file: "the Herald covered ..."); all hits when none."""
    names = named_sources(text, hits, texts)
    return files_of(names[0], hits, texts) if names else hits


def side_order(sides: tuple[str, str, str], hits: list[Hit], texts: dict[str, str], check) -> int:
    """+1 / -1 / 0: whether the dates of the files whose passages best match each side (each side read in the
    files of the publication it names) agree with "before"/"after"; 0 when a side names no publication (an order
    within one event, not of two reports), or a date is missing or equal."""
    first, word, second = sides
    pools = [_named_pool(text, hits, texts) for text in (first, second)]
    if any(pool is hits for pool in pools):  # "returned after an injury": an order of two reports names both
        return 0
    days = []
    for text, pool in zip((first, second), pools):
        result = check(text, [h.chunk.text for h in pool])
        days.append(pool[result.index].chunk.date if 0 <= result.index < len(pool) else "")
    if not all(days) or days[0] == days[1]:
        return 0
    return 1 if (days[0] < days[1]) == (word == "before") else -1


def source_measure(question: str, claim_texts: list[tuple[str, str]], hits: list[Hit], texts: dict[str, str],
                   check, order: int = 0) -> SourceMeasure:
    """``claim_texts``: each claim's (text, publication credited or ""). Each named source's best passage for
    what the question credits it with (its own claims, else the first claim) is found in its files (with one
    source named, in each of its files: "did the Herald's reports change?"); the two best are checked against
    each other, both ways, the stronger kept."""
    names = named_sources(question, hits, texts)
    groups = [files_of(name, hits, texts) for name in names]
    if len(groups) == 1:
        groups = [[h for h in groups[0] if h.chunk.source == s] for s in dict.fromkeys(h.chunk.source for h in groups[0])]
    best = []
    for pool in groups:
        sources = {h.chunk.source for h in pool}
        said = " ".join(t for t, n in claim_texts if n and sources & {h.chunk.source for h in files_of(n, hits, texts)})
        result = check(said or claim_texts[0][0], [h.chunk.text for h in pool])
        if result.quote:
            best.append((float(result.score), result.quote))
    best = [q for _, q in sorted(best, key=lambda b: -b[0])[:2]]
    agreement = 0.0
    if len(best) == 2:
        agreement = max(float(check(best[0], [best[1]]).score), float(check(best[1], [best[0]]).score))
    named = [n for _, n in claim_texts if n]
    found = sum(1 for n in named if files_of(n, hits, texts)) / len(named) if named else 1.0
    return SourceMeasure(len(names), round(found, 3), order, round(agreement, 4))


def complement(claim: str, quotes: list, candidates: list, used: set):
    """A yes/no claim's second quote: the candidate sentence (rag.answering.extractive.Candidate) stating most of
    the claim's content terms that ``quotes`` leave out, when it states at least TUNING.yesno_complement of them
    (the better-scored one on a tie); None otherwise. ``used``: (source, start) of sentences already cited.

    Example: claim "the audit found costs rose 8%", quote "The audit began in May." -> "Costs rose 8%, it found."
    """
    said = {t for q in quotes for t in content_terms(q.text)}
    missing = set(content_terms(claim)) - said
    if not missing:
        return None
    scored = [(len(missing & set(content_terms(c.text))), c.score, c) for c in candidates
              if (c.chunk.source, c.start) not in used and not any(c.start < q.end and q.start < c.end and
                                                                   c.chunk.source == q.chunk.source for q in quotes)]
    if not scored:
        return None
    gained, _, best = max(scored, key=lambda t: t[:2])  # by (terms gained, score): candidates do not compare
    return best if gained / len(missing) >= TUNING.yesno_complement else None
