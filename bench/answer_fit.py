"""Fit the answer scorer (rag/answer_weights.py) and the abstention model (rag/abstain_weights.py) on the
development data bench.answer_data builds through the real pipeline, and say how well they carry: per dataset,
answer-sentence MRR and top-1 precision of the hand blend (0.6 cosine + 0.4 coverage + kind bonuses, on the same
features) and of the learned model in-sample, 5-fold cross-validated (folds by question) and
leave-one-dataset-out; then the abstention model's declines on unanswerable questions, on built on-topic
negatives (a question's own candidates with every answer-bearing sentence removed) and on answerable ones.

    python -m bench.answer_fit [--write] [--json OUT] [--items OUT]

The answer scorer is a per-question softmax (a conditional logit: which of a question's candidate sentences is an
answering one), linear in the standardised features, each dataset weighted equally and each question equally
within it, L2 toward zero (LAMBDA); fitted over candidate sentences that are eligible answers (not a question or a
headline-like line) of questions with at least one positive. It ranked better than a plain logistic regression
over sentences, on every dataset held out (bench/measured/issue21/answer_variants.txt). ``--write`` regenerates
both weight files; per-item results go to bench/measured/issue21/ (``--items``). Held-out halves are never read.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from bench.answer_data import DATASETS, load_dataset
from bench.common import hand_blend, predict, weights_module, write_json

ROOT = Path(__file__).resolve().parent.parent
WEIGHTS_FILE = ROOT / "rag" / "answer_weights.py"
ITEMS = ROOT / "bench" / "measured" / "issue21" / "answer_fit_items.json"
LAMBDA = 10.0  # L2 strength per question: 0.1-10 measured alike, the larger carried a little better
FOLDS = 5


def table(records: dict[str, list[dict]]):
    """Eligible candidate rows of questions with a positive: x, y, question index, dataset, kind."""
    from rag.readers.question_kind import asked_kind

    xs, ys, qs, ds, kinds, qmeta = [], [], [], [], [], []
    for name, questions in records.items():
        for record in questions:
            rows = [r for r in record["candidates"] if not r["never"] and r["label"] >= 0]
            if not any(r["label"] == 1 for r in rows):
                continue
            kind = asked_kind(record["question"])
            for r in rows:
                xs.append(r["features"])
                ys.append(r["label"])
                qs.append(len(qmeta))
                ds.append(name)
                kinds.append(kind or "")
            qmeta.append((name, record["id"], record["question"], [r["text"] for r in rows]))
    return np.array(xs), np.array(ys), np.array(qs), np.array(ds), np.array(kinds), qmeta


def weights_of(qs: np.ndarray, ds: np.ndarray) -> np.ndarray:
    """Each dataset weighs the same, each question the same within its dataset."""
    w = np.ones(len(qs))
    names = sorted(set(ds))
    for name in names:
        in_ds = ds == name
        questions = np.unique(qs[in_ds])
        for q in questions:
            mask = qs == q
            w[mask] = 1.0 / (mask.sum() * len(questions) * len(names))
    return w * len(qs)


def fit(x, y, qs, ds):
    """Standardised features and the weights maximising each question's log-chance of its positives under a
    softmax over its candidates (the mean over its positives), weighted as ``weights_of``, L2 LAMBDA."""
    from scipy.optimize import minimize

    means, scales = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = (x - means) / scales
    questions, index = np.unique(qs, return_inverse=True)
    n = len(questions)
    row_weight = weights_of(qs, ds)
    weight = np.zeros(n)
    np.add.at(weight, index, row_weight)  # a question's weight: the sum of its rows'
    positive = (y == 1).astype(np.float64)
    count = np.zeros(n)
    np.add.at(count, index, positive)
    share = positive / np.maximum(count, 1)[index]

    def loss(w):
        s = z @ w
        top = np.full(n, -np.inf)
        np.maximum.at(top, index, s)
        e = np.exp(s - top[index])
        total = np.zeros(n)
        np.add.at(total, index, e)
        chosen = np.zeros(n)
        np.add.at(chosen, index, share * s)
        value = -(weight * (chosen - top - np.log(total))).sum() / n + LAMBDA * (w @ w) / n
        gradient = z.T @ (-(weight[index] * (share - e / total[index])) / n) + 2 * LAMBDA * w / n
        return value, gradient

    result = minimize(loss, np.zeros(z.shape[1]), jac=True, method="L-BFGS-B")
    return means, scales, result.x, 0.0


def ranks(scores, y, qs) -> dict[int, int]:
    """Per question, the 1-based rank of its first positive under ``scores`` (ties: the positive last)."""
    out = {}
    for q in np.unique(qs):
        mask = qs == q
        s, labels = scores[mask], y[mask]
        best_positive = s[labels == 1].max()
        out[int(q)] = int((s > best_positive).sum() + (s[labels == 0] == best_positive).sum() + 1)
    return out


def per_dataset(rank: dict[int, int], qmeta) -> dict:
    out = {}
    for name in DATASETS:
        r = [v for q, v in rank.items() if qmeta[q][0] == name]
        if r:
            out[name] = {"mrr": round(float(np.mean([1 / v for v in r])), 3),
                         "top1": round(float(np.mean([v == 1 for v in r])), 3), "questions": len(r)}
    return out


def answer_figures(x, y, qs, ds, kinds, qmeta):
    from sklearn.model_selection import GroupKFold

    params = fit(x, y, qs, ds)
    scores = {"hand_blend": hand_blend(x, kinds), "in_sample": predict(params, x)}
    cv = np.zeros(len(y))
    for train, test in GroupKFold(FOLDS).split(x, y, qs):
        cv[test] = predict(fit(x[train], y[train], qs[train], ds[train]), x[test])
    scores["cross_validated"] = cv
    lodo = np.zeros(len(y))
    for held in sorted(set(ds)):
        train = ds != held
        lodo[~train] = predict(fit(x[train], y[train], qs[train], ds[train]), x[~train])
    scores["leave_one_dataset_out"] = lodo
    rank = {name: ranks(s, y, qs) for name, s in scores.items()}
    return params, scores, rank, {name: per_dataset(r, qmeta) for name, r in rank.items()}


def _top(values: np.ndarray, qs: np.ndarray, top: int = 15) -> np.ndarray:
    """Per question, its ``top`` highest values in descending order (padded with -inf)."""
    out = np.full((len(np.unique(qs)), top), -np.inf)
    for row, q in enumerate(np.unique(qs)):
        best = np.sort(values[qs == q])[::-1][:top]
        out[row, :len(best)] = best
    return out


def blend_scale(params, x, kinds, qs, ds) -> tuple[float, float]:
    """The line mapping the model's scores onto the hand blend's scale so that the selection's shares of the best
    (rag.tuning: keep_ratio, answering_share, name_answering_share, low_rank_share, corroborating_share) pass as
    many of a question's sentences as they did. Shares depend on the line's offset over its slope alone: the offset
    (a grid) whose mean count of sentences within each share of the best, over each question's top 15, is nearest
    the hand blend's; then the slope giving the best sentences the hand blend's mean."""
    from rag.tuning import TUNING

    shares = (TUNING.keep_ratio, TUNING.answering_share, TUNING.name_answering_share, TUNING.low_rank_share,
              TUNING.corroborating_share)
    hand = _top(hand_blend(x, kinds), qs)
    target = [np.mean((hand >= share * hand[:, :1]).sum(axis=1)) for share in shares]
    z = _top(predict(params, x), qs)
    best = None
    for offset in np.linspace(0.0, 20.0, 401):
        m = np.where(np.isfinite(z), np.maximum(z + offset, 1e-6), -np.inf)
        error = sum((np.mean((m >= share * m[:, :1]).sum(axis=1)) - t) ** 2 for share, t in zip(shares, target))
        if best is None or error < best[0]:
            best = (error, float(offset))
    offset = best[1]
    slope = float(np.mean(hand[:, 0]) / np.mean(z[:, 0] + offset))
    return slope, slope * offset


def print_answer(figures: dict) -> None:
    print("Answer sentence (first positive), per dataset: MRR / top-1")
    print(f"  {'dataset':<14} {'n':>5} " + " ".join(f"{k:>22}" for k in figures))
    for name in DATASETS:
        cells = [figures[k].get(name) for k in figures]
        if cells[0] is None:
            continue
        print(f"  {name:<14} {cells[0]['questions']:>5} " + " ".join(f"{c['mrr']:>14.3f} / {c['top1']:.3f}"
                                                                     for c in cells))


def write_weights(params, slope, intercept, figures: dict, abstain_note: str) -> None:
    from rag.answer_features import FEATURES

    lines = [f"  {name:<14} " + ", ".join(f"{k} {v[name]['mrr']:.3f}/{v[name]['top1']:.3f}"
                                          for k, v in figures.items() if name in v)
             for name in DATASETS if name in figures["in_sample"]]
    WEIGHTS_FILE.write_text(weights_module(
        "Written by `python -m bench.answer_fit --write` (do not edit): the per-question softmax over\n"
        "rag.answer_features of candidate sentences of the development sets (seeds gold, eval conversations,\n"
        "MultiHop-RAG dev, RAMDocs dev), and the line mapping its scores onto the hand blend's scale.\n\n"
        "Answer-sentence MRR / top-1 per dataset (hand blend, in-sample, 5-fold CV, leave-one-dataset-out):\n"
        + "\n".join(lines) + "\n" + abstain_note, FEATURES, params,
        SCALE_SLOPE=slope, SCALE_INTERCEPT=intercept), encoding="utf-8")
    print(f"  wrote {WEIGHTS_FILE.relative_to(ROOT)}")


def main(argv=None) -> int:
    from rag.answer_features import FEATURES

    parser = argparse.ArgumentParser(prog="python -m bench.answer_fit", description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="regenerate rag/answer_weights.py and abstain_weights.py")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--items", type=Path, default=ITEMS)
    parser.add_argument("--datasets", nargs="+", choices=DATASETS, default=list(DATASETS))
    args = parser.parse_args(argv)
    records = {name: load_dataset(name) for name in args.datasets}
    x, y, qs, ds, kinds, qmeta = table(records)
    params, scores, rank, figures = answer_figures(x, y, qs, ds, kinds, qmeta)
    print_answer(figures)
    print("  weights (standardised):", ", ".join(f"{f} {w:+.2f}" for f, w in zip(FEATURES, params[2])))
    slope, intercept = blend_scale(params, x, kinds, qs, ds)
    print(f"  onto the blend's scale: {slope:.4f} x score + {intercept:.4f}")
    from bench.abstain_fit import abstention
    abstain = abstention(records, params, (slope, intercept), write=args.write)
    if args.write:
        write_weights(params, slope, intercept, figures, abstain["note"])
    items = [{"dataset": m[0], "id": m[1], "question": m[2],
              **{f"rank_{k}": rank[k][q] for k in rank},
              "top_hand_blend": m[3][int(np.argmax(scores["hand_blend"][qs == q]))],
              "top_model": m[3][int(np.argmax(scores["leave_one_dataset_out"][qs == q]))]}
             for q, m in enumerate(qmeta)]
    write_json(args.items, {"answer": items, "abstention": abstain["items"]})
    write_json(args.json, {"features": list(FEATURES), "lambda": LAMBDA, "answer": figures,
                           "weights": dict(zip(FEATURES, [round(float(w), 4) for w in params[2]])),
                           "bias": round(params[3], 4), "scale": [slope, intercept],
                           "abstention": abstain["figures"]})
    return 0


if __name__ == "__main__":
    sys.exit(main())
