import sys, numpy as np, chromadb
from chromadb.config import Settings as CS
path, threads = sys.argv[1], int(sys.argv[2])
rng = np.random.RandomState(7)
# clustered vectors: HNSW on clusters is where links matter
centers = rng.normal(size=(40, 384))
X = (centers[rng.randint(0, 40, 1950)] + 0.6 * rng.normal(size=(1950, 384))).astype('float32')
X /= np.linalg.norm(X, axis=1, keepdims=True)
hnsw = {"space": "cosine"}
if threads: hnsw.update(sync_threshold=threads, batch_size=min(threads, 100))
col = chromadb.PersistentClient(path=path, settings=CS(anonymized_telemetry=False)).create_collection('col', configuration={"hnsw": hnsw}, embedding_function=None)
for i in range(0, len(X), 250):
    col.add(ids=[f"r{j}" for j in range(i, min(i+250, len(X)))], embeddings=X[i:i+250])
