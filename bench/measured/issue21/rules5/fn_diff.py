# fn_dump.py OLD vs NEW: the questions whose function values differ (rules5). usage: fn_diff.py OLD.json NEW.json [N shown]
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
d = [q for q in a if a[q] != b.get(q)]
print(len(d), "of", len(a), "differ")
for q in d[:int(sys.argv[3]) if len(sys.argv) > 3 else 20]: print(repr(q[:150]), "\n   ", a[q], "\n   ", b[q])
