import json, sys, numpy as np
res = json.load(open(sys.argv[1]))
def mrr_top1(rows, key):
    rr, top = [], []
    for r in rows:
        lab = r["lab"]
        if not any(l == 1 for l in lab):
            continue
        s = np.array(r[key]); order = np.argsort(-s, kind="stable")
        rank = next(i for i, j in enumerate(order) if lab[j] == 1) + 1
        rr.append(1 / rank); top.append(rank == 1)
    return round(float(np.mean(rr)), 3), round(float(np.mean(top)), 3), len(rr)
for name, rows in res.items():
    print(name, "learned", mrr_top1(rows, "lw"), "cross", mrr_top1(rows, "ce"),
          "sum", mrr_top1([dict(r, s=list(np.array(r["lw"]) + 0.5*np.array(r["ce"]))) for r in rows], "s") if False else "")
    # abstention: answerable -> max over all; built -> max over non-answer-bearing; unanswerable -> max over all
    for key in ("lw", "ce"):
        ans = [max(r[key]) for r in rows if r["answerable"] and any(l == 1 for l in r["lab"]) and r[key]]
        built = [max([s for s, ab in zip(r[key], r["ab"]) if not ab], default=-99) for r in rows
                 if r["answerable"] and any(l == 1 for l in r["lab"])]
        un = [max(r[key], default=-99) for r in rows if not r["answerable"]]
        for rate in (0.01, 0.03):
            bar = float(np.quantile(ans, rate))
            print(f"   {key} at {rate:.0%} answerable declined: built declined {np.mean(np.array(built) < bar):.3f}"
                  f" unanswerable declined {np.mean(np.array(un) < bar) if un else float('nan'):.3f}  (n={len(ans)}/{len(built)}/{len(un)})")
