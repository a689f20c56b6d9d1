import sys
sys.path.insert(0,'.')
from bench.multihop import CACHE
from rag.embeddings import Embedder
from rag.settings import Settings
from rag.store import IndexStore
q="What company, recently covered by TechCrunch for both its financial performance in the third quarter and its criticized safety measures, is known for its ride-sharing services?"
v=Embedder().query_vector(q)
from pathlib import Path; import os
col=IndexStore(Settings(source_dir=CACHE / "articles", db_dir=Path(os.environ.get("PROBE_DB", str(CACHE / "db"))), _env_file=None)).collection()
for n in (30, 60, 100):
    got=col.query(query_embeddings=[v], n_results=n, include=["distances"])
    ids=got['ids'][0]
    print(n, ids[29][:6], ids[28][:6], len(set(ids[:30])), end=' | ')
print()
got=col.query(query_embeddings=[v], n_results=100, include=["distances"])
ids=[i[:6] for i in got['ids'][0]]
print('f97995 at', ids.index('f97995') if 'f97995' in ids else None, 'count', col.count())
