import sys, hashlib, numpy as np, chromadb
from chromadb.config import Settings as CS
col = chromadb.PersistentClient(path=sys.argv[1], settings=CS(anonymized_telemetry=False)).get_collection(sys.argv[2] if len(sys.argv)>2 else 'col', embedding_function=None)
rng = np.random.RandomState(11)
Q = rng.normal(size=(60, 384)).astype('float32')
got = col.query(query_embeddings=Q, n_results=30, include=[])
print(hashlib.md5(str(got['ids']).encode()).hexdigest()[:8])
