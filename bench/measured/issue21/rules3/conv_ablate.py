import json, sys
from pathlib import Path
sys.path.insert(0, ".")
import rag.conversation as C
from bench.mtrag import read_jsonl, user_turns, turn_number
data = Path("/work/shared/bench/mtrag")
qs = []
for domain in ("clapnq", "cloud", "fiqa", "govt"):
    folder = data / "tasks" / domain
    last = read_jsonl(folder / f"{domain}_lastturn.jsonl")
    for qid, text in last.items():
        if turn_number(qid) >= 2:
            qs.append(" ".join(user_turns(text)))
for line in open("eval/gold_conversations.jsonl"):
    d = json.loads(line)
    for t in d.get("turns", [])[1:]:
        qs.append(t["question"] if isinstance(t, dict) else t)
base = [C.follow_up_reason(q) for q in qs]
ablations = {
    "DUMMY_IT": ("_DUMMY_IT", frozenset()),
    "BEFORE_ONE": ("_BEFORE_ONE", frozenset()),
    "BEFORE_ONE_all": ("_BEFORE_ONE", None),
    "OBJECT": ("_OBJECT", frozenset()),
    "THAT_BEFORE": ("_THAT_BEFORE", frozenset()),
    "CLAUSE_BREAK": ("_CLAUSE_BREAK", frozenset()),
}
print(len(qs), "later turns (MTRAG + seeds conversations)")
for name, (attr, value) in ablations.items():
    saved = getattr(C, attr)
    if value is None:
        class All(frozenset):
            def __contains__(self, x): return True
        value = All()
    setattr(C, attr, value)
    out = [C.follow_up_reason(q) for q in qs]
    setattr(C, attr, saved)
    diffs = [(q, a, b) for q, a, b in zip(qs, base, out) if a != b]
    print(name, len(diffs), [(q[:70], a, b) for q, a, b in diffs[:4]])
