"""After an ingest writes, the embedded Chroma's vector graph is saved whole, so every process that opens the index
searches the same graph.

Chroma saves its HNSW graph only every ``sync_threshold`` records (1000 by default). The records written since the
last save live in its log, and every process that opens the index inserts them into its own copy of the graph,
linking them differently each time: the same question then finds different passages in two sessions. Seen on
MultiHop-RAG's index (875 records after the last save): one chunk among a question's 30 nearest was returned in 5
of 8 processes and missing in 3, and 1 to 4 of the 1,278 development answers differed between two runs
(bench/measured/issue21/determinism). A thread count of one does not help (the insertion order is not what varies).

Chroma has no call that saves the graph. It saves while loading a collection whose log holds at least
``sync_threshold`` records, so: let go of the writer's loaded copy, lower the threshold, open and query once (the
load inserts the log and saves), and put the threshold back (a low one would save the whole graph every few
records of the next large ingest; a run killed in between leaves it low, and the next run saves more often until
its own save puts it back). Where another client in this process still holds the collection loaded (an
upload in the running app), Chroma does not load it again and nothing is saved: the index stays as correct as
before, only not the same graph in every process. A Chroma server keeps its graph in memory; it is not touched.
"""
from __future__ import annotations

import numpy as np

from rag.store import IndexStore

DEFAULT_SYNC_THRESHOLD = 1000  # Chroma's own default (chromadb.api.collection_configuration)


def _set_sync_threshold(collection, value: int) -> None:
    try:
        collection.modify(configuration={"hnsw": {"sync_threshold": value}})
    except ValueError:
        # The server side of modify has taken it; chromadb then rebuilds its client-side copy of the stored
        # configuration, which names our embedding function, and that cannot be rebuilt without the model
        # (rag.embeddings.ChromaEmbeddingFunction.build_from_config): only that copy is stale.
        pass


def save_graph(store: IndexStore):
    """Save the embedded index's vector graph with every record written; the collection reopened (its loaded
    graph is the saved one), or None for a Chroma server. Example: ``save_graph(store).count()`` -> the chunks."""
    if store.settings.chroma_url:
        return None
    store.close()
    collection = store.collection()
    _set_sync_threshold(collection, 2)
    stored = collection.get(limit=1, include=["embeddings"])["embeddings"]
    if len(stored):  # any query loads the vector segment; an empty collection has no graph to save
        collection.query(query_embeddings=[np.asarray(stored[0], dtype=np.float32)], n_results=1, include=[])
    _set_sync_threshold(collection, DEFAULT_SYNC_THRESHOLD)
    return collection
