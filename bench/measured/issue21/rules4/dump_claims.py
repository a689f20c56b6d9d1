"""The yes/no claims (rag.answering.shaped.yesno.claims) of every dev question, to compare two trees (rules4).

    cd TREE && python /path/to/dump_claims.py OUT.json
"""
import json, sys
from pathlib import Path
sys.path.insert(0, ".")
sys.path.insert(0, str(Path(__file__).parent))
from dump_readings import questions
from rag.answering.shaped.yesno import claims
json.dump({q: [[c.text, c.source_name] for c in claims(q)] for q in questions()}, open(sys.argv[1], "w"))
