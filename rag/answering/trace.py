"""Pure: each stage's output as plain data for the trace (`rag ask --json --explain`: the answer's ``trace``),
and the trace as text for a person (`rag ask --explain`).

Example: ``explain_text({"reading": {"kind": "date"}})`` -> 'reading\\n  kind: date'.
"""
from __future__ import annotations

import json

from rag.answer_features import FEATURES

TOP_CANDIDATES = 8  # candidates shown: the answer comes from the first few; more is noise in a trace


def candidate_rows(candidates, top: int = TOP_CANDIDATES) -> list[dict]:
    """The best-scored candidates with their named measures (whatever the scorer recorded) and score."""
    rows = []
    for cand in sorted(candidates, key=lambda c: -c.score)[:top]:
        row = {"source": cand.chunk.source, "start": cand.start, "end": cand.end, "text": cand.text[:200],
               "cosine": round(cand.cosine, 4), "lexical": round(cand.lexical, 4), "score": round(cand.score, 4)}
        features = getattr(cand, "features", None)
        if features is not None and len(features):
            row["features"] = {name: round(float(value), 4) for name, value in zip(FEATURES, features)}
            row["logit"], row["relevance"] = round(cand.logit, 4), round(cand.relevance, 4)
        rows.append(row)
    return rows


def selection_rows(selection) -> dict:
    """What select chose: the quoted sentences (each with the files corroborating it), the values compared."""
    out = {"abstained": selection.abstained, "best_score": round(selection.best_score, 4),
           "chance": round(getattr(selection, "chance", 1.0), 4),
           "sentences": [{"text": group[0].text[:200], "source": group[0].chunk.source,
                          "corroborating": [c.chunk.source for c in group[1:]]} for group in selection.sentences]}
    if selection.conflict is not None:
        out["values"] = {"topic": selection.conflict.topic,
                         "sides": [{"value": side.value, "sources": list(side.sources), "minority": side.minority}
                                   for side in selection.conflict.sides]}
    if selection.minority:
        out["minority"] = [group[0].text[:200] for group in selection.minority]
    return out


def hit_rows(hits) -> list[dict]:
    """Retrieved passages with each retriever's score."""
    return [{"source": h.chunk.source, "start": h.chunk.start, "end": h.chunk.end, "fused": round(h.score, 4),
             "dense": None if h.dense is None else round(h.dense, 4),
             "bm25": None if h.sparse is None else round(h.sparse, 4)} for h in hits]


def explain_text(trace: dict) -> str:
    """The trace as indented text, one block per stage in the order the stages ran."""
    lines = []
    for stage, value in trace.items():
        lines.append(stage)
        lines.extend(_lines(value, "  "))
    return "\n".join(lines)


def _lines(value, indent: str) -> list[str]:
    if isinstance(value, dict):
        out = []
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                out.append(f"{indent}{key}:")
                out.extend(_lines(item, indent + "  "))
            else:
                out.append(f"{indent}{key}: {_scalar(item)}")
        return out
    if isinstance(value, list):
        out = []
        for item in value:
            if isinstance(item, dict):
                first, *rest = _lines(item, indent + "  ") or [""]
                out.append(f"{indent}- {first.strip()}")
                out.extend(rest)
            else:
                out.append(f"{indent}- {_scalar(item)}")
        return out
    return [f"{indent}{_scalar(value)}"]


def _scalar(value) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
