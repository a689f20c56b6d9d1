"""The embedder `rag ingest` holds: the model loads only when there is text to embed."""


class LazyEmbedder:
    """The Embedder, loaded on first use: a run with nothing to embed (an unchanged folder, a down server, a bad
    --db) never spends seconds loading the model. Example: ``LazyEmbedder(settings).name`` -> 'all-MiniLM-L6-v2/torch'.
    """

    def __init__(self, settings) -> None:
        from rag.embeddings import MODEL_NAME

        self._settings = settings
        self._model = None
        self.name = f"{MODEL_NAME}/{settings.embed_backend}"  # what Embedder.name says, without loading it

    def chroma_function(self):
        """The Chroma adapter, around this lazy embedder."""
        from rag.embeddings import ChromaEmbeddingFunction

        return ChromaEmbeddingFunction(self)

    @property
    def loaded(self) -> bool:
        """Whether the model was needed."""
        return self._model is not None

    def __getattr__(self, attr: str):
        if attr.startswith("_"):
            raise AttributeError(attr)
        if self._model is None:
            from rag.embeddings import Embedder

            self._model = Embedder(self._settings.embed_backend, self._settings.embed_batch_size)
        return getattr(self._model, attr)
