"""Run the shaped gold sets with TUNING overrides: python shapesweep.py TAG key=value ..."""
import json,sys
from pathlib import Path
from rag.tuning import TUNING
tag=sys.argv[1]
for kv in sys.argv[2:]:
    k,v=kv.split('='); object.__setattr__(TUNING,k,type(getattr(TUNING,k))(float(v) if '.' in v else int(v)))
from rag.assistant import Assistant
from rag.embeddings import Embedder
from rag.settings import Settings
from eval.gold import load_gold
from eval.runner import evaluate
emb=Embedder()
SETS=[('shapes','eval/gold_shapes.jsonl','/work/tmp/seedsdb','seeds'),
      ('blind','eval/gold_shapes_blind.jsonl','/work/tmp/seedsdb','seeds'),
      ('mh8','eval/gold_shapes_multihop.jsonl','/work/tmp/mh60/db','/work/tmp/mh60/articles'),
      ('news','eval/gold_shapes_news_blind.jsonl','/work/tmp/newsblind/db','/work/tmp/newsblind/articles'),
      ('qa','eval/gold_qa.jsonl','/work/tmp/seedsdb','seeds')]
out={}
for name,gold,db,src in SETS:
    a=Assistant(Settings(source_dir=Path(src),db_dir=Path(db),llm='extractive',_env_file=None),emb)
    rep=evaluate(a,load_gold(Path(gold)))
    Path(f'/work/tmp/sweep/{tag}').mkdir(parents=True,exist_ok=True)
    json.dump(rep,open(f'/work/tmp/sweep/{tag}/{name}.json','w'))
    m=rep['metrics']; out[name]=(m['fact_recall'],m.get('files_spread'),m.get('citation_precision'))
print(tag,' '.join(f"{k}: facts {v[0]:.3f} files {v[1] if v[1] is None else round(v[1],3)} prec {v[2]:.3f}" for k,v in out.items()))
