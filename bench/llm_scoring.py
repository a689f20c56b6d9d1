"""bench.llm's figures for one answer and for a set of them: facts covered (all the answer, and the model's own
sentences without the quotes under them), citations whose offsets hold their quote, sentences the answer marks
supported that an independent rag.support check does not, abstention, yes/no verdicts, first-token and answer
times. Example: ``coverage("Rovers won 3-1 [1]", [["3-1"], "Elm Park"])`` -> 0.5.
"""
from __future__ import annotations

import re
import statistics
from pathlib import Path

from eval.shape_metrics import verdict_of

_MARKER = re.compile(r"\s*\[\d+\]")


def coverage(answer: str, facts) -> float | None:
    """Share of facts found in the answer without its markers (eval.shape_metrics.fact_coverage).
    Example: ``coverage("Rovers won 3-1 [1]", [["3-1", "three-one"], "Elm Park"])`` -> 0.5."""
    from eval.shape_metrics import fact_coverage

    return fact_coverage(_MARKER.sub("", answer), facts)


def score(item: dict, answer, first_s, total_s, recheck) -> dict:
    """One answer's figures against its gold item."""
    from eval.metrics import abstention_scores

    valid = [_valid(c) for c in (*answer.citations, *answer.related)]
    supported = [s.supported for s in answer.sentences]
    # A yes/no verdict line ("Yes: the articles state it.") is a judgement over its claims' checks, not a claim a
    # quote states: the re-check does not read it (either answerer leads with one).
    unmarked = [s.text for s in answer.sentences if s.supported and s.label != "verdict" and not recheck(s, answer)]
    abstain = abstention_scores(answer.abstained, item["type"] != "unanswerable")
    row = {"answer": answer.answer, "abstained": answer.abstained, "notice": answer.notice,
           "fact_recall": coverage(answer.answer, item["facts"]) if not answer.abstained or item["facts"] else None,
           # the model's own sentences, without the quotes under them (rag.answering.llm_quotes)
           "generated_fact_recall": coverage(" ".join(s.text for s in answer.sentences if s.label != "quoted"),
                                             item["facts"]) if not answer.abstained or item["facts"] else None,
           "citations": len(valid), "invalid_offsets": valid.count(False),
           "sentences": len(supported), "supported_sentences": sum(supported), "unmarked_unsupported": unmarked,
           "abstention_accuracy": abstain["abstention_accuracy"], "false_abstention": abstain["false_abstention"],
           "first_token_s": None if first_s is None else round(first_s, 3), "answer_s": round(total_s, 3),
           "cited": sorted({c.source for c in answer.citations})}
    if item.get("verdict"):
        row["verdict_correct"] = float(verdict_of(answer.answer) == item["verdict"].lower())
    return row


def _valid(citation) -> bool:
    try:
        return Path(citation.path).read_bytes().decode("utf-8")[citation.start:citation.end] == citation.quote
    except OSError:
        return False


def rechecker(assistant):
    """An independent run of rag.support.check on a sentence against the quotes its markers point to."""
    from rag.answering.grounding import plain
    from rag.support import check

    def recheck(sentence, answer) -> bool:
        quotes = [plain(c.quote) for c in answer.citations if c.marker in sentence.citations]
        return bool(quotes) and check(sentence.text, quotes, assistant.embedder,
                                      assistant.settings.support_threshold).supported
    return recheck


def summary(rows: list[dict]) -> dict:
    """Means and time percentiles of item rows (None where a figure is undefined for every row)."""
    from eval.metrics import mean, percentile

    def pick(key):
        return [r[key] for r in rows if r.get(key) is not None]

    firsts, totals = pick("first_token_s"), pick("answer_s")
    sentences = sum(r["sentences"] for r in rows)
    return {"n": len(rows), "fact_recall": rounded(mean(pick("fact_recall"))),
            "generated_fact_recall": rounded(mean(pick("generated_fact_recall"))),
            "citations": sum(r["citations"] for r in rows), "invalid_offsets": sum(r["invalid_offsets"] for r in rows),
            "sentences": sentences, "supported_share": rounded(sum(r["supported_sentences"] for r in rows) / sentences)
            if sentences else None, "unmarked_unsupported": sum(len(r["unmarked_unsupported"]) for r in rows),
            "abstention_accuracy": rounded(mean(pick("abstention_accuracy"))),
            "false_abstention": rounded(mean(pick("false_abstention"))),
            "verdict_accuracy": rounded(mean(pick("verdict_correct"))),
            "first_token_s_median": rounded(statistics.median(firsts)) if firsts else None,
            "first_token_s_p95": rounded(percentile(firsts, 95)), "answer_s_median": rounded(statistics.median(totals))
            if totals else None, "answer_s_p95": rounded(percentile(totals, 95))}


def rounded(value):
    return None if value is None else round(value, 4)
