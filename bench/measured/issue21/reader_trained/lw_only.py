import os, sys, json
sys.path.insert(0, "/work/main")
import numpy as np
from bench.answer_data import load_dataset
from rag import answer_weights as AW
mean = np.array(AW.MEANS); scale = np.array(AW.SCALES); w = np.array(AW.WEIGHTS)
res = {}
for name in ("seeds", "conversations", "multihop", "ramdocs"):
    rows = []
    for r in load_dataset(name):
        cands = [c for c in r["candidates"] if not c["never"]]
        lw = [float(((np.array(c["features"], float) - mean) / scale) @ w) for c in cands]
        rows.append(dict(id=r["id"], answerable=r["answerable"], ce=lw, lw=lw, lab=[c["label"] for c in cands],
                         ab=[bool(c.get("answer_bearing")) for c in cands]))
    res[name] = rows
json.dump(res, open("lw.json", "w"))
