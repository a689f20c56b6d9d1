"""Which passage-side rules change any reading of dev passages: each compiled pattern of the value / cue / span
readers replaced by one that never matches, the readings of every paragraph recomputed and compared."""
import json, re, sys, random
from pathlib import Path
from collections import Counter
sys.path.insert(0, ".")
import rag.answering.values as VA, rag.answering.cues as CU, rag.answering.clauses as CL, rag.names as NA
import rag.textspans as TS, rag.answering.verbs as VB, rag.answering.check as CK, rag.answering.citations as CI
paras = {}
for p in sorted(Path("seeds").glob("*.txt")):
    for para in p.read_text().split("\n"):
        if para.strip(): paras[para] = "seeds"
for l in open("/work/shared/bench/ramdocs/ramdocs_dev.jsonl"):
    for d in json.loads(l)["documents"]:
        paras[d["text"]] = "ramdocs"
mh = [para for a in json.load(open("/work/shared/bench/multihop/corpus.json")) for para in a["body"].split("\n") if para.strip()]
random.seed(0)
for para in random.sample(mh, min(len(mh), int(sys.argv[1]) if len(sys.argv) > 1 else 4000)):
    paras[para] = "multihop"
def reading(t):
    vals = [(v.kind, v.key, v.start, v.end) for v in VA.dates(t) + VA.shares(t) + VA.money(t) + VA.quantities(t) + VA.names(t)]
    return (tuple(vals), tuple(TS.sentence_spans(t)), CU.enumerates(t), tuple(sorted(CU.relative_periods(t))),
            tuple(sorted(CI.numbers(t))), CI.strip_markers(t), TS.displayed(t), CL.clause_around(t, len(t) // 2),
            VB.attributes_speech(t, ("Lee",)), tuple(NA.name_runs(t)), tuple(TS.content_terms(t)))
NEVER = re.compile(r"(?!)")
def clear():
    for mod in list(sys.modules.values()):
        if mod and getattr(mod, "__name__", "").startswith("rag"):
            for v in list(vars(mod).values()):
                if hasattr(v, "cache_clear"):
                    try: v.cache_clear()
                    except Exception: pass
print(len(paras), "paragraphs", Counter(paras.values()), flush=True)
base = {t: reading(t) for t in paras}
for mod in (VA, CU, CL, NA, TS, VB, CI):
    for name, val in list(vars(mod).items()):
        if not isinstance(val, re.Pattern) or name.startswith("__"):
            continue
        if getattr(sys.modules.get(val.__module__ if hasattr(val, "__module__") else "", None), name, None) is None:
            pass
        setattr(mod, name, NEVER); clear()
        try:
            ch = Counter(paras[t] for t in paras if reading(t) != base[t])
        except Exception as e:
            ch = f"error {type(e).__name__}"
        setattr(mod, name, val); clear()
        print(f"{mod.__name__}.{name}", dict(ch) if not isinstance(ch, str) else ch, flush=True)
