"""Pure: a yes/no question's verdict as a small fitted decision. What the support check measured for each claim
(``ClaimMeasure``), the question's form (does it ask whether reports changed, stayed the same, differ; is it
negated) and the retrieval's scores become named features; a logistic regression
(rag/yesno_weights.py, written by ``python -m bench.yesno_fit --write``) gives the probability of "yes".

The evidence decides first: "no" when the check finds a claim contradicted by a passage about it, "yes" when it
finds every claim supported. Otherwise the fitted probability decides "yes" or "no" (MultiHop-RAG's claims are
readings of articles, which the check rarely settles); "unsettled" when a source the question names was not
among the passages read (with TUNING.yesno_missing_unsettled) or the probability is too close to even.

Example: ``decide(features("Did the mill close?", [ClaimMeasure(0.9, "supported")], 0.8)).word`` -> 'yes'.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from rag import yesno_weights
from rag.answering.shaped.evidence import SourceMeasure
from rag.language import CHANGE_STEMS, DIFFERENCE_STEMS, NEGATION_WORDS, SAME_STEMS
from rag.readers.polarity import ABOUT
from rag.textspans import LETTER_WORD
from rag.tuning import TUNING


@dataclass(frozen=True)
class ClaimMeasure:
    """What the support check found for one claim: its probability of support (``score``), its status
    ("supported", "contradicted", "unsupported"; as rag.support gives it, with a denial of the claim's polarity
    counted as contradicted), the share of the claim's content terms its best quote holds (``about``), whether
    the claim credits a publication (``named``) and whether that publication's files were among the passages
    read (``found``); for a claim ordering two events, ``order`` is +1 when the files' dates agree with it, -1
    when they contradict it, 0 when they do not settle it (both sides supported first), ``side_order`` the same
    from the files whose passages best match each side, read in the files of the publication that side names
    (supported or not); ``file_coverage`` / ``passage_coverage``: the best share of the claim's content terms
    one file / one passage of its source holds (rag.answering.shaped.evidence)."""

    score: float
    status: str
    about: float = 1.0
    named: bool = False
    found: bool = True
    ordered: bool = False
    order: int = 0
    file_coverage: float = 0.0
    passage_coverage: float = 0.0
    side_order: int = 0


@dataclass(frozen=True)
class Verdict:
    """``word``: "yes", "no" or "unsettled"; ``probability``: of "yes"; ``settled_by_evidence``: every claim is
    supported (for "yes") or one is contradicted by a passage about it (for "no"), as the verdict says."""

    word: str
    probability: float
    settled_by_evidence: bool


_NEGATED_SAME = tuple(d for d in DIFFERENCE_STEMS if any(same in d[1:] for same in SAME_STEMS))


def _has_stem(words: list[str], stems) -> float:
    return float(any(w.startswith(stems) for w in words))


def question_cues(question: str) -> dict[str, float]:
    """The question's form, from general English cues (rag.language). Example:
    ``question_cues("Was there no change in the tone?")`` -> change 1, negated 1, same 0, ..."""
    words = [part for word in LETTER_WORD.findall(question.lower()) for part in word.split("-")]  # "not-guilty": 2
    # A difference word built on a same word ("inconsistent", "disagree") says "not the same": it asks whether the
    # reports fail to agree, a claim the evidence must show, not whether they describe different things.
    negated_same = [w for w in words if w.startswith(_NEGATED_SAME)]
    words = [w for w in words if w not in negated_same]
    negated = float(bool(negated_same) or any(w in NEGATION_WORDS or w.endswith(("n't", "n’t")) for w in words))
    cues = {"asks_change": _has_stem(words, CHANGE_STEMS),
            "asks_same": float(bool(negated_same)) or _has_stem(words, SAME_STEMS),
            "asks_difference": _has_stem(words, DIFFERENCE_STEMS), "negated": negated}
    # No cue for absolute words ("only", "solely"): the fit weighed it -0.07 and dropping it raised the
    # cross-validated accuracy in 7 of 15 paired folds, lowering it in none (bench/measured/issue25/absolute).
    # A negated change ("no change", "did not change") asks whether things stayed the same; "the same ... or
    # different" asks both ways: the combinations say what a single cue cannot.
    cues["change_negated"] = cues["asks_change"] * negated
    cues["same_negated"] = cues["asks_same"] * negated
    cues["same_and_difference"] = cues["asks_same"] * cues["asks_difference"]
    return cues


def features(question: str, measures: list[ClaimMeasure], best_score: float,
             source: SourceMeasure | None = None) -> dict[str, float]:
    """The named features of one yes/no question (FEATURES' order). ``best_score``: the best candidate sentence's
    score for the question (how well anything read answers it); ``source``: the question-level measures of the
    sources it names (rag.answering.shaped.evidence)."""
    scores = [m.score for m in measures] or [0.0]
    source = source or SourceMeasure()
    files = [m.file_coverage for m in measures] or [0.0]
    passages = [m.passage_coverage for m in measures] or [0.0]
    named = [m for m in measures if m.named]
    out = {"claims": float(len(measures)), "support_min": min(scores), "support_mean": sum(scores) / len(scores),
           "support_max": max(scores),
           "all_supported": float(bool(measures) and all(m.status == "supported" for m in measures)),
           "contradicted": float(any(m.status == "contradicted" for m in measures)),
           "contradicted_about": float(any(m.status == "contradicted" and m.about >= ABOUT for m in measures)),
           "about_min": min((m.about for m in measures), default=0.0),
           "named_share": len(named) / len(measures) if measures else 0.0,
           "source_missing": float(any(not m.found for m in named)),
           "order_holds": float(any(m.ordered and m.order > 0 for m in measures)),
           "order_reversed": float(any(m.ordered and m.order < 0 for m in measures)),
           "best_score": best_score,
           "coverage_file_min": min(files), "coverage_file_mean": sum(files) / len(files),
           "coverage_passage_min": min(passages), "coverage_passage_mean": sum(passages) / len(passages),
           "side_order": float(source.order), "sources_named": float(source.sources),
           "sources_found": source.found, "agreement": source.agreement}
    out.update(question_cues(question))
    # Whether the named sources' passages agree answers "are they consistent?" one way, "do they differ?" the other.
    out["agreement_same"] = source.agreement * out["asks_same"]
    out["agreement_difference"] = source.agreement * out["asks_difference"]
    return out


FEATURES = ("claims", "support_min", "support_mean", "support_max", "all_supported", "contradicted",
            "contradicted_about", "about_min", "named_share", "source_missing", "order_holds", "order_reversed",
            "best_score", "asks_change", "asks_same", "asks_difference", "negated", "change_negated",
            "same_negated", "same_and_difference", "coverage_file_min", "coverage_file_mean",
            "coverage_passage_min", "coverage_passage_mean", "side_order", "sources_named", "sources_found",
            "agreement", "agreement_same", "agreement_difference")


# The measures read in each named source's files (rag.answering.shaped.evidence): computed only when the
# shipped weights use one of them (each costs support checks).
SOURCE_FEATURES = frozenset({"side_order", "sources_named", "sources_found", "agreement", "agreement_same",
                             "agreement_difference"})


def uses_source_measures(weights=yesno_weights) -> bool:
    """Whether the fitted verdict reads any of SOURCE_FEATURES."""
    return bool(SOURCE_FEATURES & set(weights.FEATURES))


def probability(named: dict[str, float], weights=yesno_weights) -> float:
    """P("yes") by the fitted logistic regression over standardised features."""
    z = weights.BIAS + sum(w * (named.get(f, 0.0) - m) / s for f, m, s, w in
                           zip(weights.FEATURES, weights.MEANS, weights.SCALES, weights.WEIGHTS))
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


def decide(named: dict[str, float], weights=yesno_weights, margin: float = TUNING.yesno_margin,
           missing_unsettled: bool = TUNING.yesno_missing_unsettled) -> Verdict:
    """The verdict. The evidence first: "no" when a claim is contradicted by a passage about it, "yes" when every
    claim is supported by a passage about it (holding ABOUT of its terms, as for a contradiction). Otherwise the
    fitted P("yes") decides: "unsettled" when a named source was not read (with ``missing_unsettled``) or P("yes")
    is within ``margin`` of 0.5, else "yes" or "no" by P("yes") >= 0.5."""
    p = probability(named, weights)
    if named.get("contradicted_about"):
        return Verdict("no", p, True)
    # A quote holding under half the claim's terms says something near it, not it: "Yes: the articles state it"
    # would overclaim (37 of MultiHop-RAG dev's 89 all-supported questions; their verdicts do not change).
    if named.get("all_supported") and named.get("about_min", 1.0) >= ABOUT:
        return Verdict("yes", p, True)
    if (missing_unsettled and named.get("source_missing")) or abs(p - 0.5) < margin:
        return Verdict("unsettled", p, False)
    return Verdict("yes" if p >= 0.5 else "no", p, False)
