"""ingest: folder of articles -> chunks with exact offsets -> embeddings -> Chroma + BM25 + manifest."""
