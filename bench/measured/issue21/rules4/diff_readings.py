"""How many questions and paragraphs two dump_readings.py outputs read differently, and which readings differ.

    python diff_readings.py OLD.json NEW.json [N examples]
"""
import json, sys
from collections import Counter
old, new = (json.load(open(p)) for p in sys.argv[1:3])
show = int(sys.argv[3]) if len(sys.argv) > 3 else 5
for part in ("questions", "paragraphs"):
    diff = [k for k in old[part] if old[part][k] != new[part].get(k)]
    which = Counter(i for k in diff for i, (a, b) in enumerate(zip(old[part][k], new[part][k])) if a != b)
    print(f"{part}: {len(diff)} of {len(old[part])} read differently; by reading index {dict(which)}")
    for k in diff[:show]:
        for i, (a, b) in enumerate(zip(old[part][k], new[part][k])):
            if a != b:
                print(f"  [{i}] {k[:160]!r}\n      old {a[:300]}\n      new {b[:300]}")
