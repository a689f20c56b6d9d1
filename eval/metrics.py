"""Pure evaluation metrics for the RAG research assistant.

Everything here is side-effect free: no I/O and no project imports, so the
functions can be reused by the benchmark runner, the UI and the tests.

Conventions:
* Functions return ``None`` when a metric is undefined for an item (e.g. no
  gold facts, no gold sources); aggregate with :func:`mean` / :func:`aggregate`,
  which ignore ``None``.
* Source identifiers are compared exactly (no path or case normalisation), and
  duplicates are collapsed while keeping first-seen order.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

__all__ = [
    "normalise",
    "fact_recall",
    "retrieval_recall_at_k",
    "reciprocal_rank",
    "citation_precision",
    "citation_recall",
    "quote_validity",
    "percentile",
    "mean",
    "aggregate",
    "abstention_scores",
    "ndcg_at_k",
]

# Characters NFKC leaves alone but that should compare equal to ASCII.
_PUNCT_MAP = str.maketrans(
    {
        "\u2018": "'",  # left single quotation mark
        "\u2019": "'",  # right single quotation mark / apostrophe
        "\u201a": "'",  # single low-9 quotation mark
        "\u201b": "'",  # single high-reversed-9 quotation mark
        "\u2032": "'",  # prime
        "\u201c": '"',  # left double quotation mark
        "\u201d": '"',  # right double quotation mark
        "\u201e": '"',  # double low-9 quotation mark
        "\u201f": '"',  # double high-reversed-9 quotation mark
        "\u2033": '"',  # double prime
        "\u00ab": '"',  # left-pointing double angle quotation mark
        "\u00bb": '"',  # right-pointing double angle quotation mark
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\u2012": "-",  # figure dash
        "\u2013": "-",  # en dash
        "\u2014": "-",  # em dash
        "\u2015": "-",  # horizontal bar
        "\u2212": "-",  # minus sign
        "\ufe58": "-",  # small em dash
    }
)
_WS_RE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Normalise text for lenient matching (NFKC, casefold, ASCII quotes/dashes, single spaces).

    Example: ``normalise("  “Ｔａｋａｉｃｈｉ” — ６０％ ")`` -> ``'"takaichi" - 60%'``
    """
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_PUNCT_MAP)
    text = text.casefold()
    return _WS_RE.sub(" ", text).strip()


def _distinct(items: Iterable[str]) -> list[str]:
    """Drop duplicates, keeping first-seen order."""
    return list(dict.fromkeys(items))


def fact_recall(answer: str, facts: Sequence[str]) -> float | None:
    """Fraction of gold facts contained in the answer after :func:`normalise`.

    Facts are de-duplicated after normalisation and empty facts are ignored;
    returns ``None`` when no (non-empty) facts remain.

    Example: ``fact_recall("Sanae Takaichi said…", ["takaichi", "58%"])`` -> ``0.5``
    """
    norm_facts = _distinct(f for f in (normalise(x) for x in facts) if f)
    if not norm_facts:
        return None
    norm_answer = normalise(answer)
    hits = sum(1 for f in norm_facts if f in norm_answer)
    return hits / len(norm_facts)


def retrieval_recall_at_k(
    retrieved_sources: Sequence[str], gold_sources: Sequence[str], k: int = 5
) -> float | None:
    """Fraction of distinct gold sources among the first ``k`` distinct retrieved sources.

    Duplicates in ``retrieved_sources`` (several chunks of one file) do not use
    up the ``k`` budget. ``k`` must be >= 1. ``None`` if there is no gold source.

    Example: ``retrieval_recall_at_k(["a", "a", "b", "c"], ["b", "d"], k=2)`` -> ``0.5``
    """
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    gold = set(gold_sources)
    if not gold:
        return None
    top = set(_distinct(retrieved_sources)[:k])
    return len(gold & top) / len(gold)


def reciprocal_rank(
    retrieved_sources: Sequence[str], gold_sources: Sequence[str]
) -> float | None:
    """1 / rank of the first gold source among distinct retrieved sources (0.0 if absent).

    ``None`` if there is no gold source.

    Example: ``reciprocal_rank(["a", "a", "b"], ["b"])`` -> ``0.5``
    """
    gold = set(gold_sources)
    if not gold:
        return None
    for rank, source in enumerate(_distinct(retrieved_sources), start=1):
        if source in gold:
            return 1.0 / rank
    return 0.0


def citation_precision(
    cited_sources: Sequence[str], gold_sources: Sequence[str]
) -> float | None:
    """Fraction of distinct cited sources that are gold.

    ``None`` if nothing was cited or there is no gold source.

    Example: ``citation_precision(["a", "a", "x"], ["a", "b"])`` -> ``0.5``
    """
    gold = set(gold_sources)
    cited = _distinct(cited_sources)
    if not gold or not cited:
        return None
    return sum(1 for c in cited if c in gold) / len(cited)


def citation_recall(
    cited_sources: Sequence[str], gold_sources: Sequence[str]
) -> float | None:
    """Fraction of distinct gold sources that were cited (0.0 if nothing cited).

    ``None`` if there is no gold source.

    Example: ``citation_recall(["a", "x"], ["a", "b"])`` -> ``0.5``
    """
    gold = set(gold_sources)
    if not gold:
        return None
    cited = set(cited_sources)
    return len(gold & cited) / len(gold)


def quote_validity(
    citations: Sequence[tuple[str, int, int, str]], texts: Mapping[str, str]
) -> float | None:
    """Fraction of citations ``(source, start, end, quote)`` with ``texts[source][start:end] == quote``.

    A citation is invalid if its source is missing from ``texts``, its offsets
    are out of range (negative, ``start > end`` or ``end > len(text)``), or
    its quote is empty. ``None`` if there are no citations.

    Example: ``quote_validity([("a", 0, 5, "Hello")], {"a": "Hello world"})`` -> ``1.0``
    """
    if not citations:
        return None
    valid = 0
    for source, start, end, quote in citations:
        text = texts.get(source)
        if text is None or not quote:
            continue
        if not (0 <= start <= end <= len(text)):
            continue
        if text[start:end] == quote:
            valid += 1
    return valid / len(citations)


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q``-th percentile (0..100) with linear interpolation, like numpy's default.

    ``None`` for an empty input; ``ValueError`` if ``q`` is outside [0, 100].

    Example: ``percentile([1.0, 2.0, 3.0, 4.0], 50)`` -> ``2.5``
    """
    if not 0 <= q <= 100 or math.isnan(q):
        raise ValueError(f"q must be within [0, 100], got {q}")
    if not values:
        return None
    data = sorted(float(v) for v in values)
    pos = (len(data) - 1) * (q / 100.0)
    lo = math.floor(pos)
    hi = min(lo + 1, len(data) - 1)
    frac = pos - lo
    a, b = data[lo], data[hi]
    if frac == 0 or a == b:
        return a
    # Same two-sided lerp as numpy, exact at both ends; clamp guards rounding.
    if frac < 0.5:
        result = a + (b - a) * frac
    else:
        result = b - (b - a) * (1.0 - frac)
    return min(max(result, a), b)


def mean(values: Iterable[float | None]) -> float | None:
    """Arithmetic mean ignoring ``None`` (``None`` if nothing remains).

    Example: ``mean([1.0, None, 0.0])`` -> ``0.5``
    """
    present = [float(v) for v in values if v is not None]
    if not present:
        return None
    return math.fsum(present) / len(present)


def aggregate(items: Iterable[Mapping[str, float | None]]) -> dict[str, float | None]:
    """Per-key mean over per-item metric dicts, ignoring ``None`` (keys in first-seen order).

    A key that is ``None`` (or missing) in every item maps to ``None``.

    Example: ``aggregate([{"r": 1.0, "p": None}, {"r": 0.0}])`` -> ``{"r": 0.5, "p": None}``
    """
    columns: dict[str, list[float | None]] = {}
    for item in items:
        for key, value in item.items():
            columns.setdefault(key, []).append(value)
    return {key: mean(vals) for key, vals in columns.items()}


def abstention_scores(abstained: bool, answerable: bool) -> dict[str, float | None]:
    """Abstention metrics for one item.

    ``abstention_accuracy`` is defined only for unanswerable items (1.0 if the
    system abstained); ``false_abstention`` only for answerable items (1.0 if
    it abstained anyway). The undefined one is ``None``.

    Example: ``abstention_scores(True, False)`` -> ``{"abstention_accuracy": 1.0, "false_abstention": None}``
    """
    flag = 1.0 if abstained else 0.0
    if answerable:
        return {"abstention_accuracy": None, "false_abstention": flag}
    return {"abstention_accuracy": flag, "false_abstention": None}


def ndcg_at_k(ranked: Sequence[str], relevance: Mapping[str, float], k: int = 10) -> float | None:
    """nDCG@k with graded gains ``relevance[doc]`` (the pytrec_eval/BEIR formula, log2 discount).

    Duplicates in ``ranked`` count once (first position). ``None`` when nothing is relevant.

    Example: ``ndcg_at_k(["x", "a"], {"a": 1}, k=10)`` -> ``0.6309...`` (1/log2(3))
    """
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    gains = sorted((float(g) for g in relevance.values() if g > 0), reverse=True)
    if not gains:
        return None
    dcg = sum(float(relevance.get(doc, 0.0)) / math.log2(rank + 2)
              for rank, doc in enumerate(_distinct(ranked)[:k]) if relevance.get(doc, 0.0) > 0)
    ideal = sum(g / math.log2(rank + 2) for rank, g in enumerate(gains[:k]))
    return dcg / ideal
