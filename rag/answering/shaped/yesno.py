"""Pure: a yes/no answer. The question is split into its claims; each is checked (rag.support.check, passed in)
against the retrieved passages of the source it names, or all of them, each claim's evidence quoted and cited.
The verdict is a fitted decision over what the checks measured and the question's form
(rag.answering.shaped.verdict): "Yes: the articles state it" when every claim is supported, "No: ..." when one
is contradicted by a passage about it, "Yes/No, on balance" when the fitted probability leans without the
evidence stating it; "the articles do not settle whether ..." when a named source was not read. A claim "A ... before B ..." is also settled by the dates of the two
files that support its sides.

Example: "Did the ferry resume in May, and did fares rise?" -> claims "the ferry resume in May" and "fares rise".
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from rag.answering.extractive import Candidate
from rag.answering.shaped.common import Block, Opening, corroborating, is_statement, other_files
from rag.answering.shaped.evidence import best_coverage, complement, side_order, source_measure, SourceMeasure
from rag.answering.shaped.verdict import ClaimMeasure, Verdict, decide, features, uses_source_measures
from rag.answering.shapes import _AUX, _AUX_CLAUSE
from rag.readers.abstain import publications
from rag.readers.polarity import about, about_share, polarity_differs
from rag.textspans import WORD
from rag.types import Hit
from rag.tuning import TUNING

# Where one claim ends and the next begins: a clause joined by "while", "whereas", "but", "and" before an
# auxiliary or "both", or a semicolon.
_SPLIT = re.compile(rf",?\s+(?:while|whereas|but also|but)\s+|;\s*|,\s+and\s+(?={_AUX}\b|both\b|also\b)|"
                    rf"\s+and\s+(?={_AUX}\s)", re.I)
_ORDER = re.compile(r"\s+(before|after|prior to|following)\s+(?=(?:the|a|an|it|they|[A-Z])\b)")
_MASTHEAD_CHARS = 300  # a file's opening (title, date, byline) names its publication


# "the Herald article suggests that ...", "the report by the Post claims ...": who says it, not what is said.
_ATTRIBUTION = re.compile(r"^(?:(?:\S+\s+){0,12}?)(?:article|report|piece|story|coverage|post|review|column|"
                          r"articles|reports)\b(?:\s+\S+){0,14}?\s+(?:suggests?|claims?|reports?|reported|"
                          r"indicates?|states?|says?|said|mentions?|implies|imply|argues?|asserts?|alleges?|notes?|"
                          r"shows?|highlights?|attributes?|portrays?|depicts?|describes?|discuss(?:es)?|"
                          r"focus(?:es)? on|emphasi[sz]es?)\s+(?:that\s+)?", re.I)


@dataclass(frozen=True)
class Claim:
    """One claim of a yes/no question: what is claimed (``text``, without "the Herald article suggests that"),
    and the publication it credits ("" when none)."""

    text: str
    source_name: str = ""


# "the Herald reported that ...": a publication (capitalised words) as the subject of a reporting verb.
_NAMED_ATTRIBUTION = re.compile(r"^(?:[Tt]he\s+)?(?P<name>(?:[A-Z][\w'’.&-]*\s+){1,6})(?:(?:report|say|write|note|"
                                r"claim|suggest|state|indicate)s?\s+that|(?:reported|said|wrote|noted|claimed|"
                                r"suggested|stated|indicated)(?:\s+that)?)\s+")
# An interpretation or comparison appended to what is claimed (", indicating a shift", "compared to the
# other report"): the articles state facts, not the question's reading of them.
_TAIL = re.compile(r",?\s+(?:indicating|suggesting|implying|signifying|reflecting|which (?:suggests|indicates|"
                   r"implies|shows))\b.*$|\s+(?:compared (?:to|with)|in contrast to|in comparison (?:to|with)|"
                   r"similar to how|as opposed to|unlike)\b.*$", re.I)


def content_of(claim: str) -> str:
    """What a claim says, without who says it or the question's reading of it. Example: ``content_of("the
    Herald article suggests that the pier will close, indicating a shift")`` -> 'the pier will close'; a claim
    with neither is unchanged."""
    stripped = _TAIL.sub("", _NAMED_ATTRIBUTION.sub("", _ATTRIBUTION.sub("", claim, count=1), count=1)).strip()
    return stripped if len(WORD.findall(stripped)) >= 2 else claim


def claims(question: str) -> list[Claim]:
    """The question's claims, each without its leading auxiliary and framing phrase.

    Example: ``[c.text for c in claims("Did the mill close in 1990, and did the town shrink?")]`` ->
    ['the mill close in 1990', 'the town shrink'].
    """
    q = " ".join(question.split()).rstrip("?").strip()
    opening = _AUX_CLAUSE.search(q)  # the main clause, after a framing phrase ("After the report, was ...")
    q = q[opening.start():].lstrip(" ,") if opening and opening.start() > 0 else q
    out = []
    for part in _SPLIT.split(q):
        part = _without_auxiliary(part.strip(" ,")).strip()
        if len(WORD.findall(part)) >= 3:
            names = publications(" " + part)  # " ": a name opening the claim is not the question's first word
            named = _NAMED_ATTRIBUTION.match(_ATTRIBUTION.sub("", part, count=1))
            name = names[0] if names else named.group("name").strip() if named else ""
            out.append(Claim(content_of(part), name))
    return out or [Claim(_without_auxiliary(q))]


def _without_auxiliary(text: str) -> str:
    """``text`` without the auxiliary (and an "and" before it) it opens with. Example: "and did the mill close" ->
    'the mill close'."""
    lead = _AUX_CLAUSE.match(text)
    return text[lead.end():].lstrip() if lead else text


def ordered_sides(claim: str) -> tuple[str, str, str] | None:
    """(first, "before"|"after", second) when a claim orders two events. Example: ``ordered_sides("the Post
    reported the sale before the Star covered the strike")`` -> ('the Post reported the sale', 'before',
    'the Star covered the strike')."""
    m = _ORDER.search(claim)
    if not m or len(claim[:m.start()].split()) < 3 or len(claim[m.end():].split()) < 3:
        return None
    word = "before" if m.group(1).lower() in ("before", "prior to") else "after"
    return claim[:m.start()].strip(), word, claim[m.end():].strip()


def evidence_for(claim: Claim, hits: list[Hit], texts: dict[str, str], limit: int) -> list[Hit]:
    """The first ``limit`` hits (in the order given: best first) of the files whose opening names the claim's
    publication; of all hits when none does."""
    if claim.source_name:
        named = [h for h in hits if claim.source_name.casefold() in texts.get(h.chunk.source, "")[:_MASTHEAD_CHARS].casefold()]
        if named:
            return named[:limit]
    return list(hits)[:limit]


def ranked_hits(hits: list[Hit], candidates: list[Candidate]) -> list[Hit]:
    """Hits ordered by their best candidate sentence's score (the passages that answer best first)."""
    best: dict[str, float] = {}
    for cand in candidates:
        best[cand.chunk.id] = max(best.get(cand.chunk.id, 0.0), cand.score)
    return sorted(hits, key=lambda h: -best.get(h.chunk.id, 0.0))


def _with_vector(quote: Candidate, candidates: list[Candidate]) -> Candidate:
    """The quote with the vector of the candidate sentence it starts in (to find other files stating it)."""
    for cand in candidates:
        if cand.chunk.source == quote.chunk.source and cand.start <= quote.start < cand.end:
            quote.vector = cand.vector
            break
    return quote


def _quote(result, hits: list[Hit], texts: dict[str, str] | None = None) -> Candidate | None:
    """The check's quote as a candidate of its file; None when there is none or it is no statement (a headline
    or a question line is never evidence)."""
    if result.index < 0 or not result.quote:
        return None
    chunk = hits[result.index].chunk
    quote = Candidate(chunk, chunk.start + result.start, chunk.start + result.end, result.quote, result.index)
    text = (texts or {}).get(chunk.source)
    return quote if text is None or is_statement(quote, text) else None


def _measure(claim: Claim, hits: list[Hit], texts: dict[str, str], check, limit: int,
             sources: bool = True) -> tuple[ClaimMeasure, list[Candidate | list[Candidate] | None]]:
    """One claim checked against its passages (those of the publication it names, or all): what was measured,
    and its quotes (a supported claim's quote grouped with another file's stating it too)."""
    pool = evidence_for(claim, hits, texts, limit)
    found = not claim.source_name or any(
        claim.source_name.casefold() in texts.get(h.chunk.source, "")[:_MASTHEAD_CHARS].casefold() for h in pool)
    in_file, in_passage = best_coverage(claim.text, pool, texts)
    sides = ordered_sides(claim.text)
    if sides:
        status, quotes, scores = _ordered(sides, pool, check, texts)
        order = {"supported": 1, "contradicted": -1}.get(status, 0) if None not in quotes else 0
        return ClaimMeasure(min(scores), status, 1.0 if None not in quotes else 0.0, bool(claim.source_name),
                            found, True, order, in_file, in_passage,
                            side_order(sides, hits, texts, check) if sources else 0), quotes
    result = check(claim.text, [h.chunk.text for h in pool])
    quote = _quote(result, pool, texts)
    status = result.status if quote else "unsupported"
    if (quote is not None and status != "contradicted" and about(claim.text, quote.text)
            and polarity_differs(claim.text, quote.text)):
        status = "contradicted"  # a passage on something else cannot deny it (rag.readers.polarity.about)
    quotes: list = [quote]
    if status == "supported":  # another file stating it too: checked the same way, cited beside it
        others = [h for h in hits if h.chunk.source != quote.chunk.source][:limit]
        second = check(claim.text, [h.chunk.text for h in others]) if others else None
        if second is not None and second.supported and not polarity_differs(claim.text, second.quote):
            quotes = [[quote, _quote(second, others, texts)]]
    share = about_share(claim.text, quote.text) if quote is not None else 0.0
    return ClaimMeasure(float(result.score), status, share, bool(claim.source_name), found,
                        file_coverage=in_file, passage_coverage=in_passage), quotes


def measure_question(question: str, hits: list[Hit], texts: dict[str, str], check, candidates: list[Candidate],
                     limit: int = TUNING.yesno_passages, sources: bool = True):
    """(claims, each claim's (measure, quotes), the best candidate's score, the question-level SourceMeasure:
    measured with ``sources``, else empty)."""
    hits = ranked_hits(hits, list(candidates))
    asked = claims(question)
    measured = [_measure(claim, hits, texts, check, limit, sources) for claim in asked]
    best = max((c.score for c in candidates), default=0.0)
    if not sources:
        return asked, measured, best, SourceMeasure()
    order = next((m.side_order for m, _ in measured if m.side_order), 0)
    source = source_measure(question, [(c.text, c.source_name) for c in asked], hits, texts, check, order)
    return asked, measured, best, source


_OPENINGS = {("yes", True): "Yes: the articles state it.", ("no", True): "No: the articles state otherwise.",
             ("yes", False): "Yes, on balance: the articles do not state it outright; the closest passages follow.",
             ("no", False): "No, on balance: the articles do not bear it out; the closest passages follow."}


def compose_yesno(question: str, hits: list[Hit], texts: dict[str, str], check, candidates: list[Candidate] = (),
                  limit: int = TUNING.yesno_passages) -> tuple[list[Block], list[Opening]]:
    """The verdict opening and each claim's evidence (with other files' sentences stating the same).
    ``check(claim, evidence_texts)`` -> rag.support SupportResult (its index into the evidence list); each claim
    is checked against the ``limit`` passages whose sentences answer the question best; the verdict is
    rag.answering.shaped.verdict's fitted decision over what the checks measured and the question's form."""
    asked, measured, best, source = measure_question(question, hits, texts, check, candidates, limit,
                                                     uses_source_measures())
    verdict = decide(features(question, [m for m, _ in measured], best, source))
    blocks, cited = [], []
    for claim, (measure, quotes) in zip(asked, measured):
        if measure.status == "unsupported" and verdict.word == "unsettled":
            continue
        for group in quotes:
            group = [q for q in (group if isinstance(group, list) else [group]) if q is not None]
            if group and (group[0].chunk.source, group[0].start) not in {(c.chunk.source, c.start) for c in cited}:
                cited.extend(group)
                more = corroborating(_with_vector(group[0], candidates), list(candidates),
                                     {(c.chunk.source, c.start) for c in cited})
                blocks.append(Block([*group, *more], "", ""))
                rest = complement(claim.text, group, candidates, {(c.chunk.source, c.start) for c in cited})
                if rest is not None:
                    cited.append(rest)
                    blocks.append(Block([rest], "", ""))
    blocks += [Block([c]) for c in other_files(list(candidates), {c.chunk.source for b in blocks for c in b.quotes},
                                               TUNING.yesno_more)]
    if verdict.word == "unsettled":
        open_claim = next((c.text for c, (m, _) in zip(asked, measured) if m.named and not m.found), None) or \
            next((c.text for c, (m, _) in zip(asked, measured) if m.status == "unsupported"), asked[0].text)
        return blocks, [Opening([(f"The articles do not settle whether {open_claim}.", [])], 0.0, label="verdict")]
    text = _OPENINGS[(verdict.word, verdict.settled_by_evidence)]
    support = verdict_support(verdict, [m for m, _ in measured])
    return blocks, [Opening([(text, list(cited))], round(support, 4), label="verdict")]


def verdict_support(verdict: Verdict, measures: list[ClaimMeasure]) -> float:
    """The verdict sentence's support: what the claims' checks found (rag.support.check on each claim), not the
    fitted probability, which may lean the other way when the evidence settles it. "Yes" settled by evidence: the
    weakest claim's support (every claim is supported); "No" settled by evidence: the largest share of a
    contradicted claim's terms its contradicting passage holds (at least polarity.ABOUT: a passage about the
    claim states otherwise); a verdict "on balance" is the fitted model's inference, which no passage states: 0.
    Example: "Yes" settled over claims supported 0.9 and 0.7 -> 0.7."""
    if not verdict.settled_by_evidence or not measures:
        return 0.0
    if verdict.word == "no":
        return max((m.about for m in measures if m.status == "contradicted"), default=0.0)
    return min(m.score for m in measures)


def _ordered(sides: tuple[str, str, str], pool: list[Hit], check,
             texts: dict[str, str]) -> tuple[str, list[Candidate | None], list[float]]:
    """Both events supported: their files' dates settle "before"/"after" (contradicted when the order is the
    other way); one contradicted (by a passage about it): contradicted; otherwise unsupported. Also each side's
    support score."""
    first, word, second = sides
    results = [check(text, [h.chunk.text for h in pool]) for text in (first, second)]
    quotes = [_quote(r, pool, texts) for r in results]
    scores = [float(r.score) for r in results]
    # A side's quote that denies it ("was never offered a deal" for "offered a deal") contradicts it, as for a
    # claim without an order.
    denied = any(q is not None and about(text, q.text) and (r.contradicted or polarity_differs(text, q.text))
                 for r, q, text in zip(results, quotes, (first, second)))
    if denied:
        return "contradicted", quotes, scores
    if not all(r.supported for r in results) or None in quotes:
        return "unsupported", quotes, scores
    days = [q.chunk.date for q in quotes]
    if not all(days) or days[0] == days[1]:
        return "unsupported", quotes, scores
    holds = days[0] < days[1] if word == "before" else days[0] > days[1]
    return ("supported" if holds else "contradicted"), quotes, scores
