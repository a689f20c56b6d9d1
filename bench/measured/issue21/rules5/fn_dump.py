# usage (from a tree): python fn_dump.py OUT.json module:function [module:function...]  -- each function of every dev question (rules5)
# The question list is rules4/dump_readings.questions(); run once in the old tree and once in the new, then fn_diff.py.
import json, sys, importlib
sys.path.insert(0, "."); sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[1] / "rules4"))
from dump_readings import questions
qs = questions()
fns = [getattr(importlib.import_module(a.split(":")[0]), a.split(":")[1]) for a in sys.argv[2:]]
json.dump({q: [repr(f(q)) for f in fns] for q in qs}, open(sys.argv[1], "w"))
print(len(qs))
