"""One Settings object, read once from the environment (prefix RAG_) and `.env`, passed down explicitly."""
from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every tunable of the product. Build it once at the edge (CLI, UI, tests) and pass it down.

    Example: ``Settings(db_dir=Path("/tmp/idx"), top_k=8)``.
    """

    model_config = SettingsConfigDict(env_prefix="RAG_", env_file=".env", extra="ignore", frozen=True)

    # Where things live.
    source_dir: Path = Path("seeds")
    db_dir: Path = Path(".rag/chroma")
    chroma_url: str | None = None  # http://HOST:PORT -> chromadb.HttpClient instead of the embedded store
    collection: str = "rag_chunks"

    # Embedding.
    # "onnx" (fp32): torch's exact vectors without importing torch (fast start, same answers). "onnx-int8" embeds
    # 2.5x faster with SciFact nDCG@10 no lower, but lost 2 of the seeds gold set's facts (fact recall 0.807 ->
    # 0.768), so it is opt-in (RAG_EMBED_BACKEND=onnx-int8). "torch" is the reference. See docs/performance.md.
    embed_backend: str = "onnx"
    embed_batch_size: int = 64

    # Chunking (characters). Small, sentence-aligned chunks: the chunk vector doubles as the
    # vector of the sentences in it when the extractive answerer scores them.
    chunk_size: int = 450
    chunk_overlap: int = 120
    max_file_bytes: int = 20_000_000

    # Retrieval.
    top_k: int = Field(default=6, ge=1, le=100)
    candidates: int = 30  # per retriever, before fusion
    # Fusion of the dense and BM25 lists, tuned on BEIR SciFact *train* queries (bench/beir.py): a convex
    # combination of min-max-normalised scores at equal weight (train nDCG@10 0.731; test 0.731) beat the best
    # RRF (dense 0.45, c=5: train 0.727, test 0.718). "rrf" stays available (RAG_FUSION=rrf).
    fusion: str = "convex"
    dense_weight: float = 0.5
    rrf_c: int = 5
    mmr: bool = False

    # Answering.
    max_question_chars: int = 2000
    max_answer_sentences: int = 3
    support_threshold: float = 0.5
    llm: str = "extractive"  # "extractive", "openai" or "ollama"
    llm_base_url: str | None = None
    llm_model: str = "gpt-4o-mini"
    llm_api_key: str | None = Field(default=None, repr=False)
    llm_timeout_s: float = 30.0
    llm_fallback: bool = True  # on a down/slow endpoint answer extractively (with a notice) instead of failing
    # The tokens of the whole user message (frame, question, the best few sentences with their article headers),
    # which the model reads anew for each question: a local 1.5B model on 2 cores reads about 45 prompt tokens a
    # second, so this budget is most of the wait for the first token (docs/llm.md). 180: the seeds questions'
    # user messages came to 175 real tokens at the median, 186 at p95 (the 39 questions of bench.llm, 2026-12-07).
    llm_prompt_tokens: int = Field(default=180, ge=20, le=20_000)
    llm_max_tokens: int = Field(default=150, ge=16, le=4096)  # 1-3 cited sentences; 5-13 tokens/s here
    llm_drop_unsupported: bool = False  # leave out generated sentences the check does not support (else: marked)
    # Under the generated answer, the extractive answer's quotes on the same evidence (rag.answering.llm_quotes).
    llm_quotes: bool = True
    prompts_dir: Path = Path(__file__).resolve().parent.parent / "prompts"

    # UI.
    ui_host: str = "127.0.0.1"
    ui_port: int = 7860
    ui_auth: str | None = Field(default=None, repr=False)  # "user:password"
    ui_read_only: bool = False  # hide the Articles panel and refuse adding/removing (RAG_UI_READ_ONLY, --read-only)

    # Articles added from the browser (ingest/uploads.py); each file is also held to max_file_bytes.
    upload_max_bytes: int = 100_000_000  # one upload, all files together as sent
    upload_max_unpacked_bytes: int = 200_000_000  # all .zip members of one upload once unpacked (zip bombs)
    upload_max_files: int = 500  # files in one upload, .zip members included
    upload_lock_wait_s: float = 300.0  # how long an upload waits for another ingest to finish

    def with_(self, **changes) -> "Settings":
        """Return a copy with some fields changed (None values are ignored). Example: ``s.with_(top_k=3)``."""
        changes = {k: v for k, v in changes.items() if v is not None}
        return self.model_copy(update=changes)
