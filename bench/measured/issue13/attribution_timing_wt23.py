import json, sys, time, importlib.util
sys.path.insert(0, "/work/wt23")
from rag.embeddings import Embedder
import rag.support as new
spec = importlib.util.spec_from_file_location("oldsupport", "/tmp/wt23_oldsupport.py"); old = importlib.util.module_from_spec(spec); sys.modules["oldsupport"] = old; spec.loader.exec_module(old)
items = [json.loads(l) for l in open("/work/shared/bench/attribution/dev_all_subset_balanced.jsonl")]
by = {}
for it in items:
    by.setdefault(it["src_dataset"], []).append(it)
sample = [it for g in by.values() for it in g[:25]]
e = Embedder()
e.encode(["warm up"])
res = {}
for name, mod in (("old", old), ("new", new), ("old2", old), ("new2", new)):
    e._query_cache.clear()
    t = time.perf_counter()
    for it in sample:
        mod.check(it["claim"], [r for r in it["references"] if r], e)
    res[name] = (time.perf_counter() - t) / len(sample) * 1000
    print(name, f"{res[name]:.1f} ms/claim", flush=True)
# a rag-check-sized call: one sentence vs 8 chunks of ~1000 chars
chunks = [" ".join(r for r in it["references"])[:1000] for it in by["ExpertQA"][:8]]
for name, mod in (("old", old), ("new", new), ("old", old), ("new", new)):
    t = time.perf_counter()
    for it in by["ExpertQA"][:10]:
        e._query_cache.clear()
        mod.check(it["claim"], chunks, e)
    print("8 chunks", name, f"{(time.perf_counter() - t) / 10 * 1000:.0f} ms/sentence", flush=True)
