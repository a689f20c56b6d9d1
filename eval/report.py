"""`rag eval`'s report: which metrics are shown and in what order, and the report as a terminal table or Markdown
(overall, per type or shape, per conversation stage, the worst items). Pure.

Example: ``format_markdown(report).startswith("# Evaluation report")`` -> True.
"""
from __future__ import annotations

import unicodedata

# Reported metrics, in table order; the second field is True when lower is better.
METRICS = (
    ("retrieval_recall@5", False), ("mrr", False), ("citation_precision", False), ("citation_recall", False),
    ("quote_validity", False), ("supported_rate", False), ("fact_recall", False), ("abstention_accuracy", False),
    ("false_abstention_rate", True), ("latency_p50_ms", True), ("latency_p95_ms", True),
    # Shaped answers (eval/gold_shapes.jsonl, issue 25): every expected file cited, the shape read from the
    # question as the gold says, a yes/no question's opening verdict right. Unmeasured (no item carries
    # "shape"/"verdict") they are left out of the tables.
    ("files_spread", False), ("shape_accuracy", False), ("verdict_accuracy", False),
)
SHAPE_METRICS = ("files_spread", "shape_accuracy", "verdict_accuracy")
LOWER_IS_BETTER = {name for name, lower in METRICS if lower}


# ---- formatting
def _cell(value, name: str) -> str:
    if value is None:
        return "-"
    return f"{value:.0f}" if name.startswith("latency") else f"{value:.3f}"


def _measured(report: dict) -> list[str]:
    """Metric names to show: the shape metrics only when measured."""
    return [name for name, _ in METRICS if name not in SHAPE_METRICS or report["metrics"].get(name) is not None]


def _grid(report: dict) -> tuple[list[str], list[list[str]]]:
    groups = report.get("by_shape") or report["by_type"]
    header = ["metric", f"all ({report['n']})"] + [f"{t} ({s['n']})" for t, s in groups.items()]
    body = [[name, _cell(report["metrics"][name], name)] + [_cell(s.get(name), name) for s in groups.values()]
            for name in _measured(report)]
    return header, body


def _stage_grid(report: dict) -> tuple[list[str], list[list[str]]] | None:
    stages = report.get("by_stage")
    if not stages:
        return None
    header = ["metric by stage"] + [f"{s} ({v['n']})" for s, v in stages.items()]
    body = [[name] + [_cell(v[name], name) for v in stages.values()] for name in _measured(report)]
    return header, body


def worst_items(report: dict, n: int = 5) -> list[dict]:
    """The ``n`` lowest-quality items (ties: slower first)."""
    asked = [r for r in report["items"] if r.get("stage") != "later_standalone"]
    return sorted(asked, key=lambda r: (r["quality"], -r["latency_ms"]))[:n]


def _short(text: str, width: int) -> str:
    text = " ".join(unicodedata.normalize("NFC", text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _why(row: dict) -> str:
    if row["type"] == "unanswerable":
        return "answered instead of declining" if not row["abstained"] else "declined"
    parts = ["declined" if row["abstained"] else ""]
    if row.get("gold_shape") and row.get("shape") != row["gold_shape"]:
        parts.append(f"shape {row.get('shape')} (gold {row['gold_shape']})")
    if row["missing_facts"]:
        parts.append("missing " + ", ".join(repr(f) for f in row["missing_facts"][:3]))
    if row["retrieval_recall@5"] is not None and row["retrieval_recall@5"] < 1:
        parts.append(f"recall@5 {row['retrieval_recall@5']:.2f}")
    return "; ".join(p for p in parts if p) or "cites outside the gold sources"


def format_table(report: dict, worst: int = 5) -> str:
    """The terminal report: an aligned metrics table (overall + per type) and the worst items."""
    out = []
    for grid in (_grid(report), _stage_grid(report)):
        if grid is None:
            continue
        header, body = grid
        widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
        line = lambda r: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
        out += [line(header), "  ".join("-" * w for w in widths), *map(line, body), ""]
    out.append(f"worst {worst} items:")
    for row in worst_items(report, worst):
        out.append(f"  {row['id']:<6} {row['type']:<12} {row['quality']:.2f}  {_short(row['question'], 70)}")
        out.append(f"         {_why(row)} | {_short(row['answer'], 90)}")
    return "\n".join(out)


def format_markdown(report: dict, worst: int = 5) -> str:
    """The same report as Markdown (a pipe table and a list of the worst items)."""
    header, body = _grid(report)
    esc = lambda s: s.replace("|", "\\|")
    out = ["# Evaluation report", "", f"{report['n']} gold questions.", "",
           "| " + " | ".join(header) + " |", "|" + "|".join([" --- "] + [" ---: "] * (len(header) - 1)) + "|"]
    out += ["| " + " | ".join(esc(c) for c in r) + " |" for r in body]
    stage = _stage_grid(report)
    if stage:
        header, body = stage
        out += ["", "| " + " | ".join(header) + " |", "|" + "|".join([" --- "] + [" ---: "] * (len(header) - 1)) + "|"]
        out += ["| " + " | ".join(esc(c) for c in r) + " |" for r in body]
    out += ["", f"## Worst {worst} items", ""]
    for row in worst_items(report, worst):
        out.append(f"- **{row['id']}** ({row['type']}, quality {row['quality']:.2f}): {esc(row['question'])}  ")
        out.append(f"  {esc(_why(row))}. Answer: {esc(_short(row['answer'], 300))}")
    return "\n".join(out) + "\n"
