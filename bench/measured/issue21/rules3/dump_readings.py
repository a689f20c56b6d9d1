"""Every dev question's reading and a sample of dev paragraphs' value readings, dumped to compare two trees."""
import json, sys, random
from pathlib import Path
exec(open("bench/measured/issue21/rules3/q_ablate.py").read().split("NEVER = re.compile")[0])
qs = questions()
out = {"questions": {q: [str(x) for x in reading(q)] for q in qs}}
exec(open("bench/measured/issue21/rules3/s_ablate.py").read().split("NEVER = re.compile")[0].replace("int(sys.argv[1]) if len(sys.argv) > 1 else 4000", "100000"))
out["paragraphs"] = {t: [str(x) for x in reading(t)] for t in paras}
json.dump(out, open(sys.argv[1], "w"))
print(len(out["questions"]), "questions", len(out["paragraphs"]), "paragraphs")
