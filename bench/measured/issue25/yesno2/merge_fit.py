"""Merge the consistent (v2-measured) rows and run bench.yesno_fit on them."""
import json, sys
from pathlib import Path
import bench.yesno_fit as fit
new = [json.loads(l) for l in open("bench/.cache/yesno_features.jsonl")][444:]
old = [json.loads(l) for l in open("/tmp/yesno2_v1_remeasured.jsonl")]
rows = old + new
keys = set()
out = []
for r in rows:
    k = (r["set"], r["question"])
    if k not in keys:
        keys.add(k); out.append(r)
Path("/tmp/yesno2_merged.jsonl").write_text("".join(json.dumps(r) + "\n" for r in out))
print(len(old), "remeasured +", len(new), "new =", len(out), file=sys.stderr)
fit.FEATURE_CACHE = Path("/tmp/yesno2_merged.jsonl")
fit.main(sys.argv[1:])
