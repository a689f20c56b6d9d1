"""Score every candidate of the test datasets with a trained cross-encoder; report answer MRR/top-1 against the
shipped learned scorer's order (features -> answer_weights) and abstention: built negatives declined at <= 3%
(and 1%) of answerable declined. usage: evaluate.py MODEL_DIR SETS(comma) OUT.json"""
import os, sys, json, time
os.environ["HF_HUB_OFFLINE"] = "1"
sys.path.insert(0, "/work/main")
import numpy as np, torch
from transformers import AutoTokenizer, AutoModelForSequenceClassification
from bench.answer_data import load_dataset
torch.set_num_threads(2)
mdir, sets, out = sys.argv[1], sys.argv[2].split(","), sys.argv[3]
limit = int(sys.argv[4]) if len(sys.argv) > 4 else 10**9
tok = AutoTokenizer.from_pretrained(mdir)
model = AutoModelForSequenceClassification.from_pretrained(mdir).eval()
from rag import answer_weights as AW
import inspect
def learned(c):
    x = np.array(c["features"][:len(AW.FEATURES)], dtype=float)
    mean = np.array(AW.MEANS); scale = np.array(AW.SCALES); w = np.array(AW.WEIGHTS)
    return float(((x - mean) / scale) @ w)
res = {}
for name in sets:
    recs = load_dataset(name)[:limit]
    rows = []
    t0 = time.time()
    for r in recs:
        cands = [c for c in r["candidates"] if not c["never"]]
        if not cands:
            rows.append(dict(id=r["id"], answerable=r["answerable"], ce=[], lab=[], ab=[], lw=[])); continue
        q = r["asked"] or r["question"]
        with torch.no_grad():
            scores = []
            for i in range(0, len(cands), 32):
                b = cands[i:i + 32]
                enc = tok([q] * len(b), [c["text"] for c in b], truncation=True, max_length=160, padding=True, return_tensors="pt")
                scores += model(**enc).logits.squeeze(-1).tolist()
        rows.append(dict(id=r["id"], answerable=r["answerable"], ce=scores, lab=[c["label"] for c in cands],
                         ab=[bool(c.get("answer_bearing")) for c in cands], lw=[learned(c) for c in cands]))
    res[name] = rows
    print(name, len(rows), round(time.time() - t0), "s", flush=True)
json.dump(res, open(out, "w"))
