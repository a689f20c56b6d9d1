"""Collect the shaped composers' pools (candidates, baseline values, k) for every shaped gold question."""
import json,pickle,re,sys
from pathlib import Path
import rag.answering.shaped.common as C
from rag.answering.shaped import reaction, reason, summary, comparison, timeline
cap=[]
orig=C.spread_pick
def spy(cands, value, k, floor, **kw):
    cap.append((list(cands),[value.get(id(c),0.0) for c in cands],k,floor,kw))
    return orig(cands,value,k,floor,**kw)
for m in (C, reaction, reason, summary, comparison, timeline):
    if hasattr(m,'spread_pick'): m.spread_pick=spy
from rag.assistant import Assistant
from rag.embeddings import Embedder
from rag.settings import Settings
emb=Embedder()
SETS=[('shapes','eval/gold_shapes.jsonl','/work/tmp/seedsdb','seeds'),
      ('blind','eval/gold_shapes_blind.jsonl','/work/tmp/seedsdb','seeds'),
      ('mh8','eval/gold_shapes_multihop.jsonl','/work/tmp/mh60/db','/work/tmp/mh60/articles'),
      ('news','eval/gold_shapes_news_blind.jsonl','/work/tmp/newsblind/db','/work/tmp/newsblind/articles')]
if len(sys.argv)>2: SETS=[tuple(s.split(',')) for s in sys.argv[2:]]
rows=[]
for name,gold,db,src in SETS:
    a=Assistant(Settings(source_dir=Path(src),db_dir=Path(db),llm='extractive',_env_file=None),emb)
    for l in open(gold):
        g=json.loads(l); cap.clear()
        ans=a.ask(g['question'])
        if not cap or ans.shape in ('yesno','timeline'): continue
        cands,vals,k,floor,kw=cap[-1]
        texts={c.chunk.source: Path(src,c.chunk.source).read_text(encoding='utf-8') for c in cands}
        rows.append(dict(set=name,id=g['id'],shape=ans.shape,question=g['question'],facts=g['facts'],cands=cands,vals=vals,k=k,floor=floor,kw=kw,texts=texts))
pickle.dump(rows,open(sys.argv[1],'wb'))
print(len(rows))
