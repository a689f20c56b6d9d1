"""Fit the claim-support combination (rag/support_weights.py) on the AttributionBench development set and say
how well it generalises: macro-F1 per source dataset at the shipped threshold, in-sample, 5-fold
cross-validated (3 repeats, folds stratified by dataset and label) and leave-one-source-dataset-out.

    python -m bench.support_fit [--write] [--json OUT]

The features are ``rag.support.measure`` on each item (cached in bench/.cache/support_features.npz, keyed by
the data file and rag/support_features.py). A logistic regression (scikit-learn, standardised inputs, each
source dataset weighted equally, L2 C=1) is the whole model, its probability cut as ``rag.support_features.capped``
cuts it (a number, a predicate verb or a name the evidence never states: the figures include the caps);
``--write`` regenerates rag/support_weights.py. The independent test halves are never read here.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

from bench.attribution import DATA, macro_f1
from bench.common import CACHE_DIR, CachedEmbedder, weights_module, write_json

ROOT = Path(__file__).resolve().parent.parent
WEIGHTS_FILE = ROOT / "rag" / "support_weights.py"
C = 1.0


def load(data: Path) -> list[dict]:
    with data.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def feature_matrix(items: list[dict]) -> np.ndarray:
    """``rag.support.measure`` features of every item (cached on disk)."""
    from rag import support_features
    from rag.embeddings import Embedder
    from rag.support import measure

    key = hashlib.sha256(DATA.read_bytes() + Path(support_features.__file__).read_bytes()
                         + (ROOT / "rag" / "support.py").read_bytes()).hexdigest()[:16]
    cache = CACHE_DIR / f"support_features_{key}.npz"
    if cache.exists():
        return np.load(cache)["x"]
    embedder = CachedEmbedder(Embedder())
    rows = []
    for n, item in enumerate(items):
        measured = measure(item["claim"], [r for r in item["references"] if r], embedder)
        rows.append(measured.features if measured else np.zeros(len(support_features.FEATURES)))
        if n % 200 == 0:
            print(f"  features {n}/{len(items)}", file=sys.stderr, flush=True)
    x = np.array(rows)
    cache.parent.mkdir(parents=True, exist_ok=True)
    np.savez(cache, x=x)
    return x


def dataset_weights(sources: np.ndarray) -> np.ndarray:
    """Each source dataset weighs the same in the fit, whatever its size."""
    names = sorted(set(sources))
    w = np.ones(len(sources))
    for name in names:
        mask = sources == name
        w[mask] = len(sources) / (len(names) * mask.sum())
    return w


def fit(x: np.ndarray, y: np.ndarray, sources: np.ndarray):
    from sklearn.linear_model import LogisticRegression

    means, scales = x.mean(axis=0), x.std(axis=0) + 1e-9
    model = LogisticRegression(C=C, max_iter=5000).fit((x - means) / scales, y, sample_weight=dataset_weights(sources))
    return means, scales, model.coef_[0], float(model.intercept_[0])


def predict(params, x: np.ndarray) -> np.ndarray:
    from rag.support_features import NUMBER_MISMATCH_FACTOR, cut

    means, scales, weights, bias = params
    p = 1 / (1 + np.exp(-(((x - means) / scales) @ weights + bias)))
    return np.where(cut(x), p * NUMBER_MISMATCH_FACTOR, p)  # as capped()


def per_dataset(y, predicted, sources) -> dict:
    return {s: round(100 * macro_f1(list(y[sources == s]), list(predicted[sources == s])), 1)
            for s in sorted(set(sources))}


def main(argv=None) -> int:
    from sklearn.model_selection import StratifiedKFold

    from rag.support import SUPPORT_THRESHOLD
    from rag.support_features import FEATURES

    parser = argparse.ArgumentParser(prog="python -m bench.support_fit", description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="regenerate rag/support_weights.py")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    items = load(DATA)
    x = feature_matrix(items)
    y = np.array([i["attribution_label"] == "attributable" for i in items])
    sources = np.array([i["src_dataset"] for i in items])
    t = SUPPORT_THRESHOLD
    params = fit(x, y, sources)
    figures = {"in_sample": per_dataset(y, predict(params, x) >= t, sources)}
    strata = np.array([f"{s}/{label}" for s, label in zip(sources, y)])
    cv = np.zeros(len(y))
    for repeat in range(3):
        for train, test in StratifiedKFold(5, shuffle=True, random_state=repeat).split(x, strata):
            cv[test] += predict(fit(x[train], y[train], sources[train]), x[test]) / 3
    figures["cross_validated_5fold"] = per_dataset(y, cv >= t, sources)
    lodo = np.zeros(len(y))
    for held in sorted(set(sources)):
        train = sources != held
        lodo[~train] = predict(fit(x[train], y[train], sources[train]), x[~train])
    figures["leave_one_dataset_out"] = per_dataset(y, lodo >= t, sources)
    print(f"AttributionBench dev, macro-F1 at threshold {t} ({len(y)} items)")
    print(f"  {'dataset':<20} {'in-sample':>10} {'5-fold CV':>10} {'leave-out':>10}")
    for s in sorted(set(sources)):
        print(f"  {s:<20} {figures['in_sample'][s]:>10.1f} {figures['cross_validated_5fold'][s]:>10.1f} "
              f"{figures['leave_one_dataset_out'][s]:>10.1f}")
    means, scales, weights, bias = params
    print("  weights (standardised):", ", ".join(f"{f} {w:+.2f}" for f, w in zip(FEATURES, weights)))
    if args.write:
        WEIGHTS_FILE.write_text(weights_module(
            "Written by `python -m bench.support_fit --write` (do not edit): the logistic regression of\n"
            "rag.support_features, fitted on the AttributionBench development set (figures: bench/support_fit.py).",
            FEATURES, params), encoding="utf-8")
        print(f"  wrote {WEIGHTS_FILE.relative_to(ROOT)}")
    write_json(args.json, {"threshold": t, "features": list(FEATURES), "C": C, "figures": figures,
                           "weights": dict(zip(FEATURES, [round(float(w), 4) for w in weights])),
                           "bias": round(bias, 4)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
