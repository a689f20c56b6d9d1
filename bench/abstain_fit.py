"""The abstention part of ``python -m bench.answer_fit``: question rows (rag.abstain_features) of every
development question, labelled answered (an answerable question whose candidates hold a positive) or not (an
unanswerable question; a built on-topic negative: an answerable question's candidates with every answer-bearing
sentence removed); the evidence model fitted on the rows no corpus rule declines (a logistic regression, each
dataset and group weighted equally, L2 C=1). Reported per dataset and group, share declined (a corpus rule's
forced decline counts): the relevance bar alone (the rule before), the evidence model alone and the shipped
decision (the bar, or the evidence model under TUNING.evidence_below), in-sample and leave-one-dataset-out, and a
sweep of the evidence bar.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from bench.common import hand_blend, predict, weights_module

ROOT = Path(__file__).resolve().parent.parent
WEIGHTS_FILE = ROOT / "rag" / "abstain_weights.py"
GROUPS = ("answerable", "unanswerable", "built")
MIN_BUILT = 3  # candidates left after removing the answer-bearing ones, for a built negative
C = 1.0


def question_rows(records: dict, answer_params) -> list[dict]:
    """One row per question (and per built negative): dataset, group, label, forced, features, best relevance."""
    from rag.abstain_features import question_features
    from rag.readers.question_kind import asked_kind

    out = []
    for name, questions in records.items():
        for record in questions:
            rows = [r for r in record["candidates"] if not r["never"]]
            x = np.array([r["features"] for r in rows])
            logit = predict(answer_params, x) if rows else np.zeros(0)
            blend = hand_blend(x, np.array([asked_kind(record["question"]) or ""] * len(rows))) if rows else logit
            ranked = [(rows[i], float(logit[i]), float(blend[i])) for i in np.argsort(-logit, kind="stable")]

            def row(kept, group, suffix=""):
                x = question_features(record["question"], [r["text"] for r, _, _ in kept], [z for _, z, _ in kept],
                                      [r["cosine"] for r, _, _ in kept], [r["lexical"] for r, _, _ in kept],
                                      [r["source"] for r, _, _ in kept], kept[0][0]["features"] if kept else None)
                return {"dataset": name, "id": record["id"] + suffix, "question": record["question"], "group": group,
                        "label": int(group == "answerable"), "forced": record["forced"], "x": x,
                        "relevance": max((b for _, _, b in kept), default=0.0)}

            positive = any(r["label"] == 1 for r in rows)
            out.append({**row(ranked, "answerable" if record["answerable"] else "unanswerable"),
                        "trainable": not record["answerable"] or positive})
            if record["answerable"] and positive:
                kept = [k for k in ranked if k[0]["label"] != 1 and not k[0]["answer_bearing"]]
                if len(kept) >= MIN_BUILT:
                    out.append({**row(kept, "built", "-built"), "trainable": True})
    return out


def _weights(rows: list[dict]) -> np.ndarray:
    keys = [(r["dataset"], r["group"]) for r in rows]
    counts = {k: keys.count(k) for k in set(keys)}
    return np.array([len(rows) / (len(counts) * counts[k]) for k in keys])


def fit(rows: list[dict]):
    from sklearn.linear_model import LogisticRegression

    x = np.array([r["x"] for r in rows])
    y = np.array([r["label"] for r in rows])
    means, scales = x.mean(axis=0), x.std(axis=0) + 1e-9
    model = LogisticRegression(C=C, max_iter=5000).fit((x - means) / scales, y, sample_weight=_weights(rows))
    return means, scales, model.coef_[0], float(model.intercept_[0])


def chance(params, x: np.ndarray) -> np.ndarray:
    means, scales, weights, bias = params
    return 1 / (1 + np.exp(-(((np.atleast_2d(x) - means) / scales) @ weights + bias)))


def declines(rows: list[dict], declined: np.ndarray) -> dict:
    """Share declined per dataset and group (a corpus rule's forced decline counts as declined)."""
    out = {}
    for name in dict.fromkeys(r["dataset"] for r in rows):
        for group in GROUPS:
            picked = [i for i, r in enumerate(rows) if r["dataset"] == name and r["group"] == group]
            if picked:
                share = np.mean([rows[i]["forced"] or declined[i] for i in picked])
                out.setdefault(name, {})[group] = {"declined": round(float(share), 3), "n": len(picked)}
    return out


def abstention(records: dict, answer_params, scale, write: bool = False) -> dict:
    from rag.abstain_features import FEATURES
    from rag.tuning import TUNING

    rows = question_rows(records, answer_params)
    train = [r for r in rows if r["trainable"] and not r["forced"]]
    params = fit(train)
    x = np.array([r["x"] for r in rows])
    p_in = chance(params, x)
    p_lodo = np.zeros(len(rows))
    for held in dict.fromkeys(r["dataset"] for r in rows):
        mask = np.array([r["dataset"] == held for r in rows])
        p_lodo[mask] = chance(fit([r for r in train if r["dataset"] != held]), x[mask])
    bar, evidence = TUNING.abstain_below, TUNING.evidence_below
    low = np.array([r["relevance"] < bar for r in rows])
    figures = {"relevance_bar": bar, "evidence_bar": evidence, "relevance_bar_alone": declines(rows, low),
               "evidence_in_sample": declines(rows, p_in < evidence),
               "shipped_in_sample": declines(rows, low | (p_in < evidence)),
               "shipped_leave_one_dataset_out": declines(rows, low | (p_lodo < evidence))}
    print(f"Abstention, share declined (corpus rules' forced declines included): relevance < {bar} alone, the "
          f"evidence model < {evidence} alone, and either (shipped)")
    print(f"  {'dataset':<14} {'group':<13} {'n':>5} {'bar alone':>10} {'evidence':>10} {'shipped':>10} {'leave-out':>10}")
    for name, groups in figures["relevance_bar_alone"].items():
        for group, cell in groups.items():
            print(f"  {name:<14} {group:<13} {cell['n']:>5} {cell['declined']:>10.3f} "
                  + " ".join(f"{figures[k][name][group]['declined']:>10.3f}"
                             for k in ("evidence_in_sample", "shipped_in_sample", "shipped_leave_one_dataset_out")))
    print("  sweep of the evidence bar beside the relevance bar, leave-one-dataset-out: answerable / built declined")
    sweep = {}
    for b in (0.0, 0.01, 0.015, 0.02, 0.03, 0.05, 0.1):
        cells = declines(rows, low | (p_lodo < b))
        sweep[b] = cells
        print(f"    {b:<6} " + "  ".join(f"{n} {g['answerable']['declined']:.3f}/{g['built']['declined']:.3f}"
                                        for n, g in cells.items()))
    figures["sweep_leave_one_dataset_out"] = sweep
    print("  evidence model weights (standardised):", ", ".join(f"{f} {w:+.2f}" for f, w in zip(FEATURES, params[2])))
    lodo = figures["shipped_leave_one_dataset_out"]
    note = (f"\nAbstention as shipped (relevance < {bar}, or this model's chance < {evidence}), share declined,\n"
            "leave-one-dataset-out:\n"
            + "\n".join(f"  {name:<14} " + ", ".join(f"{g} {c['declined']:.3f} of {c['n']}" for g, c in groups.items())
                        for name, groups in lodo.items()) + "\n")
    if write:
        WEIGHTS_FILE.write_text(weights_module(
            "Written by `python -m bench.answer_fit --write` (do not edit): the logistic regression of\n"
            "rag.abstain_features over the development questions no corpus rule declines (answerable ones, unanswerable\n"
            "ones, built on-topic negatives).\n" + note, FEATURES, params), encoding="utf-8")
        print(f"  wrote {WEIGHTS_FILE.relative_to(ROOT)}")
    items = [{"dataset": r["dataset"], "id": r["id"], "question": r["question"], "group": r["group"],
              "forced": r["forced"], "relevance": round(r["relevance"], 4), "chance_in_sample": round(float(pi), 4),
              "chance_lodo": round(float(pl), 4)} for r, pi, pl in zip(rows, p_in, p_lodo)]
    return {"figures": figures, "note": note, "items": items}
