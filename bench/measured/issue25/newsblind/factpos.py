"""Where each gold fact sits: rank of the first retrieved passage (of 24/36) holding it, for a gold shapes set."""
import json,re,sys
from pathlib import Path
from rag.assistant import Assistant
from rag.embeddings import Embedder
from rag.filters import Filters
from rag.settings import Settings
from rag.answering.reading import read_question
def norm(t): return re.sub(r"\s+"," ",t.replace("\u2019","'").replace("\u2018","'").replace("\u201c",'"').replace("\u201d",'"')).lower()
gold_path, db, src = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
settings = Settings(source_dir=src, db_dir=db, _env_file=None)
a = Assistant(settings, Embedder())
gold=[json.loads(l) for l in open(gold_path)]
hist={}
for g in gold:
    r=read_question(g['question'])
    n = 36 if r.shape=='timeline' else 24
    ranked = a._retrieve(g['question'], 60, Filters(), full=False, days=r.days)
    texts=[norm(h.chunk.text if hasattr(h,'chunk') else h.text) for h in ranked]
    row=[]
    for fact in g['facts']:
        i=next((i for i,t in enumerate(texts) if any(norm(x) in t for x in fact)),None)
        row.append(i); b='none' if i is None else ('<6' if i<6 else '<24' if i<24 else '<36' if i<36 else '<60')
        hist[b]=hist.get(b,0)+1
    print(g['id'],g['shape'],row)
print(hist)
