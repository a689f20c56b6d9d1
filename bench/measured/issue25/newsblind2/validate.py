import json, os, re, difflib, collections, sys
ROOT=__import__("pathlib").Path(__file__).resolve().parents[4]; F=f"{ROOT}/eval/gold_shapes_news_blind2.jsonl"; OLD="/work/shared/bench/multihop/queries_dev.json"
SRC=os.environ.get("NEWSBLIND_DIR","/work/tmp/newsblind2/articles")
def norm(t):
    t=t.replace("\u2019","'").replace("\u2018","'").replace("\u201c",'"').replace("\u201d",'"')
    return re.sub(r"\s+"," ",t).lower()
def toks(q): return set(re.findall(r"[a-z0-9]+",q.lower()))
old=[q["query"] for q in json.load(open(OLD))]
errs=[]; ids=set(); shapes=collections.Counter(); multi=0
lines=[l for l in open(F) if l.strip()]
for n,l in enumerate(lines,1):
    try: d=json.loads(l)
    except Exception as e: errs.append(f"line {n}: parse error {e}"); continue
    i=d.get("id")
    if i in ids: errs.append(f"{i}: duplicate id")
    ids.add(i); shapes[d.get("shape")]+=1
    if d.get("type")!="shape": errs.append(f"{i}: type")
    if d.get("shape")=="yesno" and d.get("verdict") not in ("yes","no"): errs.append(f"{i}: verdict")
    if not 2<=len(d["facts"])<=4: errs.append(f"{i}: {len(d['facts'])} facts")
    texts={}
    for s in d["sources"]:
        p=f"{SRC}/{s}"
        if not os.path.exists(p): errs.append(f"{i}: missing source {s}"); continue
        texts[s]=norm(open(p,encoding="utf-8").read())
    used=set()
    for fact in d["facts"]:
        hit=[s for s in texts for a in fact if norm(a) in texts[s]]
        if not hit: errs.append(f"{i}: fact {fact} not found in sources")
        used|=set(hit)
        for a in fact:
            if len(a.split())>4: errs.append(f"{i}: alias too long {a!r}")
            if texts and not any(norm(a) in texts[s] for s in texts): errs.append(f"{i}: alias {a!r} not found in any source")
    for s in texts:
        if s not in used: errs.append(f"{i}: source {s} contributes no fact")
    if len(d["sources"])>=2: multi+=1
    for o in old:
        r=difflib.SequenceMatcher(None,d["question"].lower(),o.lower()).ratio()
        a,b=toks(d["question"]),toks(o); j=len(a&b)/len(a|b)
        if r>0.75 or j>0.6: errs.append(f"{i}: near-identical to old {o!r} (ratio {r:.2f}, jaccard {j:.2f})")
want={"reason","reaction","comparison","summary","timeline","yesno","list"}
for s in want:
    if shapes[s]!=3: errs.append(f"shape {s}: {shapes[s]}")
if set(shapes)-want: errs.append(f"unknown shapes {set(shapes)-want}")
if not any(json.loads(l).get("verdict")=="no" for l in lines): errs.append("no 'no' verdict")
print(f"{len(lines)} items; per shape: {dict(shapes)}; multi-source: {multi}")
print("\n".join(errs) if errs else "OK: all checks passed")
sys.exit(1 if errs else 0)
