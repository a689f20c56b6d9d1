"""Which question-side rules change any dev question's reading: each compiled pattern / word list of the
question readers replaced by one that never matches / an empty set, every reading recomputed and compared."""
import json, re, sys
from pathlib import Path
sys.path.insert(0, ".")
from bench.mtrag import read_jsonl, user_turns, turn_number
import rag.answering.question_kind as QK, rag.answering.shapes as SH, rag.answering.cues as CU
import rag.answering.abstain as AB, rag.answering.verbs as VB, rag.conversation as CV
from rag.answering.reading import read_question

def questions():
    qs = {}
    def add(src, q):
        if q and q not in qs: qs[q] = src
    for f in ["eval/gold_qa.jsonl", "eval/gold_shapes.jsonl"]:
        for l in open(f): add("seeds", json.loads(l)["question"])
    for l in open("eval/gold_conversations.jsonl"):
        d = json.loads(l)
        for t in d.get("turns", []):
            add("conversations", t["question"] if isinstance(t, dict) else t)
            if isinstance(t, dict): add("conversations", t.get("standalone"))
    for l in open("/work/shared/bench/ramdocs/ramdocs_dev.jsonl"):
        add("ramdocs", json.loads(l)["question"])
    for q in json.load(open("/work/shared/bench/multihop/queries_dev.json")): add("multihop", q["query"])
    data = Path("/work/shared/bench/mtrag")
    for domain in ("clapnq", "cloud", "fiqa", "govt"):
        last = read_jsonl(data / "tasks" / domain / f"{domain}_lastturn.jsonl")
        for qid, text in last.items():
            add("mtrag", " ".join(user_turns(text)))
    return qs

def reading(q):
    r = read_question(q).to_json()
    return (json.dumps(r, sort_keys=True, default=str), SH.focus(q), tuple(AB.focus_words(q)), str(AB.attributed_sources(q)),
            tuple(VB.bare_verbs(q)), tuple(sorted(VB.closing_verb_terms(q))), CV.follow_up_reason(q), tuple(CV.own_terms(q)),
            SH.is_yes_no(q))

NEVER = re.compile(r"(?!)")
class Nothing(frozenset):
    def __contains__(self, x): return False
targets = []
for mod in (QK, SH, CU, AB, VB, CV):
    for name, val in vars(mod).items():
        if isinstance(val, re.Pattern) and name.isupper() or (isinstance(val, re.Pattern) and name.startswith("_") and name[1:].isupper()):
            targets.append((mod, name, NEVER))
        elif isinstance(val, (frozenset, set, tuple, dict)) and name.startswith("_") and val and all(isinstance(x, str) for x in val):
            targets.append((mod, name, Nothing()))
qs = questions()
from collections import Counter
print(len(qs), "questions", Counter(qs.values()))
base = {q: reading(q) for q in qs}
def clear():
    for mod in (QK, SH, CU, AB, VB, CV, sys.modules["rag.textspans"]):
        for v in vars(mod).values():
            if hasattr(v, "cache_clear"): v.cache_clear()
for mod, name, repl in targets:
    saved = getattr(mod, name)
    setattr(mod, name, repl); clear()
    try:
        changed = Counter(qs[q] for q in qs if reading(q) != base[q])
    except Exception as e:
        changed = f"error {type(e).__name__}: {e}"
    setattr(mod, name, saved); clear()
    print(f"{mod.__name__}.{name}", dict(changed) if not isinstance(changed, str) else changed, flush=True)
