"""Merge the rows measured by the current code (the first 444 collected, re-measured with
bench.yesno_collect.remeasure(sources_only=True) into /tmp/yesno2_v1_remeasured.jsonl; the rest collected by the
current code) and run bench.yesno_fit on them. Run from the worktree root with PYTHONPATH=$PWD."""
import json, sys
from pathlib import Path
import bench.yesno_fit as fit
new = [json.loads(l) for l in open("bench/.cache/yesno_features.jsonl")][444:]
old = [json.loads(l) for l in open("/tmp/yesno2_v1_remeasured.jsonl")]
# Rows that never reached the composer have nothing to re-measure: kept as collected.
old += [r for r in (json.loads(l) for l in open("/tmp/yesno2_collected_v1.jsonl")) if not r.get("raw")]
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
