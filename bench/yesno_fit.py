"""Fit the yes/no verdict (rag/yesno_weights.py) on MultiHop-RAG's development yes/no questions (comparison and
temporal queries whose gold is "Yes"/"No", 663) and say how well it generalises: accuracy per type, 5-fold
cross-validated by question (3 repeats, folds stratified by type and gold), trained on one type and tested on
the other, and on the seeds' yes/no questions (eval/gold_shapes.jsonl) as a second data set.

    python -m bench.yesno_fit --collect [--limit N]   # the assistant over each question: features cached
    python -m bench.yesno_fit [--write] [--json OUT]  # fit + figures (seconds)

``--collect`` asks the real Assistant each question (MultiHop index: bench/.cache/multihop, as bench.multihop;
seeds: a fresh index in bench/.cache/yesno_seeds) and records what rag.answering.shaped.yesno measured (each
claim's ClaimMeasure, the best candidate score) in bench/.cache/yesno_features.jsonl, one line a question
(resumable). The fit recomputes the named features (rag.answering.shaped.verdict.features) from those raw
measures, so a change of features needs no new collection. A question that never reached the yes/no composer
(declined, or nothing relevant enough) keeps the answer it got. Model: logistic regression, standardised inputs,
L2 C=1 (scikit-learn); the variant shipped is the question's form + compact evidence (INCUMBENT) unless another
beats it by more than two standard errors of the paired folds.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from bench.common import CACHE_DIR, weights_module, write_json
from bench.yesno_collect import collect, load, remeasure

ROOT = Path(__file__).resolve().parent.parent
WEIGHTS_FILE = ROOT / "rag" / "yesno_weights.py"
FEATURE_CACHE = CACHE_DIR / "yesno_features.jsonl"
C = 1.0
TYPES = ("comparison", "temporal")
INCUMBENT = "question form + compact evidence"  # issue 25's first fit; other variants must beat it beyond noise


def multihop_items(limit: int | None) -> list[dict]:
    from bench.multihop import DATA, YESNO_TYPES, spread

    queries = json.loads((DATA / "queries_dev.json").read_text(encoding="utf-8"))
    asked = [q for q in queries if q["question_type"] in YESNO_TYPES and q["answer"].strip().lower() in ("yes", "no")]
    return [{"set": "multihop", "question": q["query"], "type": q["question_type"].split("_")[0],
             "gold": q["answer"].strip().lower()} for q in spread(asked, limit)]


def seeds_items() -> list[dict]:
    rows = [json.loads(line) for line in (ROOT / "eval" / "gold_shapes.jsonl").read_text().splitlines() if line.strip()]
    return [{"set": "seeds", "question": r["question"], "type": "seeds", "gold": r["verdict"]}
            for r in rows if r.get("verdict")]


def named_features(r: dict) -> dict[str, float]:
    """rag.answering.shaped.verdict.features of a cached row."""
    from rag.answering.shaped.evidence import SourceMeasure
    from rag.answering.shaped.verdict import ClaimMeasure, features

    source = SourceMeasure(**r["source"]) if r.get("source") else None
    return features(r["question"], [ClaimMeasure(**m) for m in r.get("measures", [])], r.get("best_score", 0.0),
                    source)


def matrix(rows: list[dict], names) -> np.ndarray:
    out = []
    for r in rows:
        named = named_features(r)
        out.append([named[f] for f in names])
    return np.array(out, dtype=float)


def fit(x: np.ndarray, y: np.ndarray):
    from sklearn.linear_model import LogisticRegression

    means, scales = x.mean(axis=0), x.std(axis=0) + 1e-9
    model = LogisticRegression(C=C, max_iter=5000).fit((x - means) / scales, y)
    return means, scales, model.coef_[0], float(model.intercept_[0])


def predict(params, x: np.ndarray) -> np.ndarray:
    means, scales, weights, bias = params
    return 1 / (1 + np.exp(-(((x - means) / scales) @ weights + bias)))


def rule(rows: list[dict]) -> list[str | None]:
    """The verdict before this fit (yes when every claim is supported, no when one is contradicted by a passage
    about it, otherwise unsettled), from the same measures."""
    out = []
    for r in rows:
        ms = r.get("measures", [])
        if not r["reached"]:
            out.append(r["answer_verdict"])
        elif any(m["status"] == "contradicted" and m["about"] >= 0.5 for m in ms):
            out.append("no")
        elif ms and all(m["status"] == "supported" for m in ms):
            out.append("yes")
        else:
            out.append(None)
    return out


def as_weights(params, names) -> SimpleNamespace:
    means, scales, weights, bias = params
    return SimpleNamespace(FEATURES=tuple(names), MEANS=tuple(means), SCALES=tuple(scales), WEIGHTS=tuple(weights),
                           BIAS=bias)


def verdicts(rows, weights: list, margin: float = 0.0, missing_unsettled: bool = False) -> list[str | None]:
    """What rag.answering.shaped.verdict.decide says for each row with the row's weights (``weights[i]``: the
    fold's model that did not see row i); a row that never reached the composer keeps its answer's verdict."""
    from rag.answering.shaped.verdict import decide

    out = []
    for r, w in zip(rows, weights):
        if not r["reached"]:
            out.append(r["answer_verdict"])
            continue
        named = named_features(r)
        word = decide(named, w, margin, missing_unsettled).word
        out.append(None if word == "unsettled" else word)
    return out


def scores(rows, said) -> dict:
    """Accuracy (the answer opens with the gold word) per type and overall, and the share answered yes/no."""
    out = {}
    for kind in ("all",) + TYPES + ("seeds",):
        idx = [i for i, r in enumerate(rows) if kind == "all" and r["set"] == "multihop" or r["type"] == kind]
        if idx:
            out[kind] = round(float(np.mean([said[i] == rows[i]["gold"] for i in idx])), 4)
            out[f"{kind}_settled"] = round(float(np.mean([said[i] is not None for i in idx])), 4)
    return out


def open_rows(rows: list[dict]) -> np.ndarray:
    """Rows the evidence leaves open (the fitted probability decides them): neither rule verdict applies."""
    return np.array([v is None for v in rule(rows)])


def fold_weights(rows: list[dict], names, train_on: str, repeats: int = 3, seed: int = 0) -> list[list]:
    """Per repeat, each row's weights from the 5-fold model that did not see it (folds stratified by type and
    gold); ``train_on`` "open": fitted on the training folds' open rows only, "all": on every row."""
    from sklearn.model_selection import StratifiedKFold

    x, y = matrix(rows, names), np.array([r["gold"] == "yes" for r in rows])
    strata = np.array([f"{r['type']}/{r['gold']}" for r in rows])
    usable = open_rows(rows) if train_on == "open" else np.ones(len(rows), bool)
    out = []
    for repeat in range(repeats):
        weights = [None] * len(rows)
        for train, test in StratifiedKFold(5, shuffle=True, random_state=seed + repeat).split(x, strata):
            train = train[usable[train]]
            w = as_weights(fit(x[train], y[train]), names)
            for i in test:
                weights[i] = w
        out.append(weights)
    return out


def paired_folds(rows: list[dict], base, other, repeats: int = 3, seed: int = 0) -> dict:
    """Per (repeat, fold) test set of fold_weights: the accuracy of ``other`` minus ``base`` (each a list per
    repeat of every row's weights): mean, spread (standard deviation over the 15 folds) and folds won / lost."""
    from sklearn.model_selection import StratifiedKFold

    strata = np.array([f"{r['type']}/{r['gold']}" for r in rows])
    gold = [r["gold"] for r in rows]
    diffs = []
    for repeat in range(repeats):
        said_base, said_other = verdicts(rows, base[repeat]), verdicts(rows, other[repeat])
        for _, test in StratifiedKFold(5, shuffle=True, random_state=seed + repeat).split(strata, strata):
            diffs.append(np.mean([said_other[i] == gold[i] for i in test]) - np.mean([said_base[i] == gold[i] for i in test]))
    return {"mean": round(float(np.mean(diffs)), 4), "sd": round(float(np.std(diffs)), 4),
            "won": int(sum(d > 0 for d in diffs)), "lost": int(sum(d < 0 for d in diffs)), "folds": len(diffs)}


def mean_scores(rows, weight_sets, **kw) -> dict:
    runs = [scores(rows, verdicts(rows, w, **kw)) for w in weight_sets]
    return {k: round(float(np.mean([r[k] for r in runs])), 4) for k in runs[0]}


def main(argv=None) -> int:
    from rag.answering.shaped.verdict import FEATURES

    parser = argparse.ArgumentParser(prog="python -m bench.yesno_fit", description=__doc__.splitlines()[0])
    parser.add_argument("--collect", action="store_true")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--remeasure", action="store_true", help="measure the cached questions again (current code)")
    parser.add_argument("--write", action="store_true", help="regenerate rag/yesno_weights.py")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    if args.collect:
        from bench.multihop import CACHE

        collect(seeds_items(), ROOT / "seeds", CACHE_DIR / "yesno_seeds" / "db", FEATURE_CACHE)
        collect(multihop_items(args.limit), CACHE / "articles", CACHE / "db", FEATURE_CACHE)
    if args.remeasure:
        from bench.multihop import CACHE

        print(remeasure(FEATURE_CACHE, {"seeds": ROOT / "seeds", "multihop": CACHE / "articles"}), "remeasured")
    rows = load(FEATURE_CACHE)
    hop = [r for r in rows if r["set"] == "multihop"]
    seeds = [r for r in rows if r["set"] == "seeds"]
    reached = [r for r in hop if r["reached"]]
    print(f"{len(hop)} MultiHop questions ({len(reached)} reached the yes/no composer), {len(seeds)} seeds")
    cue = ("asks_", "negated", "change_", "same_")
    form = [f for f in FEATURES if f.startswith(cue)]
    groups = {"all": list(FEATURES), "evidence only": [f for f in FEATURES if not f.startswith(cue)],
              "question form only": form,
              "question form + compact evidence": form + ["claims", "support_min", "support_mean", "contradicted",
                                                          "source_missing", "best_score"]}
    # issue 25's yesno2: evidence read in each named source's own files (rag.answering.shaped.evidence)
    sourced = ["coverage_file_min", "coverage_file_mean", "coverage_passage_min", "coverage_passage_mean",
               "side_order", "sources_found", "agreement", "agreement_same", "agreement_difference"]
    groups["question form + compact evidence + source evidence"] = groups["question form + compact evidence"] + sourced
    groups["compact evidence + source evidence"] = ["claims", "support_min", "support_mean", "contradicted",
                                                    "source_missing", "best_score"] + sourced
    figures = {"rule (before)": {**scores(hop, rule(hop)), **scores(seeds, rule(seeds))},
               "always yes": scores(hop, ["yes"] * len(hop))}
    types = np.array([r["type"] for r in reached])
    best = incumbent = None
    # Scored over every question: one that never reached the composer keeps its answer's verdict.
    everyone = reached + [r for r in hop if not r["reached"]]

    def pad(weights):
        return list(weights) + [None] * (len(everyone) - len(reached))
    for name, names in groups.items():
        for train_on in ("open", "all"):
            usable = open_rows(reached) if train_on == "open" else np.ones(len(reached), bool)
            x, y = matrix(reached, names), np.array([r["gold"] == "yes" for r in reached])
            params = fit(x[usable], y[usable])
            shipped = as_weights(params, names)
            entry = {"cv5x3": mean_scores(everyone, [pad(w) for w in fold_weights(reached, names, train_on)]),
                     "in_sample": scores(everyone, verdicts(everyone, pad([shipped] * len(reached))))}
            other = [None] * len(reached)
            for held in TYPES:
                train = (types != held) & usable
                w = as_weights(fit(x[train], y[train]), names)
                other = [w if t == held else o for t, o in zip(types, other)]
            entry["trained_on_the_other_type"] = scores(everyone, verdicts(everyone, pad(other)))
            if seeds:
                entry["seeds_from_multihop_fit"] = scores(seeds, verdicts(seeds, [shipped] * len(seeds)))
            key = f"{name}, trained on {train_on} rows"
            figures[key] = entry
            if best is None or entry["cv5x3"]["all"] > figures[best[0]]["cv5x3"]["all"]:
                best = (key, names, train_on, params)
            if name == INCUMBENT and (incumbent is None or
                                      entry["cv5x3"]["all"] > figures[incumbent[0]]["cv5x3"]["all"]):
                incumbent = (key, names, train_on, params)
    # The shipped model: the question's form and what the evidence measured (INCUMBENT), unless another variant's
    # cross-validated gain over it, paired fold by fold, exceeds two standard errors: a variant that drops the
    # evidence and wins by noise would make the verdict a prior over question forms. Its trade-off of leaving
    # questions unsettled (a named source not read; a probability near even), cross-validated too.
    challenge = paired_folds(reached, fold_weights(reached, incumbent[1], incumbent[2]),
                             fold_weights(reached, best[1], best[2]))
    beyond_noise = challenge["mean"] > 2 * challenge["sd"] / challenge["folds"] ** 0.5
    figures["best_cv_vs_incumbent_paired"] = {"best_cv": best[0], "incumbent": incumbent[0], **challenge,
                                              "shipped_best_cv": bool(beyond_noise)}
    key, names, train_on, params = best if beyond_noise else incumbent
    folds = [pad(w) for w in fold_weights(reached, names, train_on)]
    figures[key]["tradeoff_cv"] = {f"margin {m}, missing source unsettled {u}":
                                   mean_scores(everyone, folds, margin=m, missing_unsettled=u)
                                   for m in (0.0, 0.05, 0.1) for u in (False, True)}
    # Against the verdict shipped before (issue 25's first fit), on the same folds: is the gain beyond the folds' noise?
    before = groups["question form + compact evidence"]
    figures[key]["vs_form_compact_paired"] = paired_folds(reached, fold_weights(reached, before, "open"),
                                                          fold_weights(reached, names, train_on))
    figures["shipped"] = key
    print(json.dumps(figures, indent=1))
    means, scales, weights, bias = params
    print("shipped:", key)
    print("weights (standardised):", ", ".join(f"{f} {w:+.2f}" for f, w in zip(names, weights)))
    if args.write:
        WEIGHTS_FILE.write_text(weights_module(
            "Written by `python -m bench.yesno_fit --write` (do not edit): the logistic regression of\n"
            'rag.answering.shaped.verdict.FEATURES -> P("yes"), fitted on MultiHop-RAG dev yes/no questions\n'
            "(figures: bench/yesno_fit.py, bench/measured/issue25/yesno_fit.json).", names, params), encoding="utf-8")
        print(f"  wrote {WEIGHTS_FILE.relative_to(ROOT)}")
    write_json(args.json, {"features": list(names), "C": C, "questions": len(hop), "reached": len(reached),
                           "figures": figures, "weights": dict(zip(names, [round(float(w), 4) for w in weights])),
                           "bias": round(bias, 4)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
