"""The LLM hint changes between two dump_readings.py outputs (reading 9, question_hint), by source and by whether
the MultiHop gold answer is Yes/No. python hint_changes.py OLD.json NEW.json"""
import json, sys
from collections import Counter
a, b = (json.load(open(p))["questions"] for p in sys.argv[1:3])
gold = {q["query"]: q["answer"] for q in json.load(open("/work/shared/bench/multihop/queries_dev.json"))}
c = Counter()
for q in a:
    if a[q][9] != b[q][9]:
        g = gold.get(q)
        kind = "multihop, gold yes/no" if g is not None and g.strip().lower() in ("yes", "no") else \
            "multihop, other gold" if g is not None else "other (MTRAG, conversations)"
        c[(a[q][9] or "(no hint)", b[q][9] or "(no hint)", kind)] += 1
for k, v in sorted(c.items()):
    print(v, "|", " -> ".join(k[:2]), "|", k[2])
print("non-MultiHop questions:")
for q in a:
    if a[q][9] != b[q][9] and q not in gold:
        print(" ", repr(q[:140]))
