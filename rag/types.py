"""Small frozen dataclasses shared by every layer. Offsets are the spine: (source, start, end) into the
same decoded text, so any quote can be re-checked against its file at any time."""
from __future__ import annotations

import functools
import json
from dataclasses import asdict, dataclass, field, fields


def field_values(obj, **computed) -> dict:
    """A dataclass's fields in order as JSON values (tuples as lists), ``computed`` replacing some of them.

    Example: ``field_values(Span(0, 5))`` -> {'start': 0, 'end': 5}.
    """
    out = {f.name: list(v) if isinstance(v := getattr(obj, f.name), tuple) else v for f in fields(obj)}
    return out | computed


@dataclass(frozen=True)
class Span:
    """A half-open character range ``text[start:end]``. Example: ``Span(0, 5)`` of "Hello world" is "Hello"."""

    start: int
    end: int


@dataclass(frozen=True)
class Chunk:
    """One indexed passage: exact text of ``source`` at ``[start, end)`` plus its metadata."""

    id: str
    source: str  # path relative to the ingested folder, "/"-separated
    path: str  # absolute path of the original file
    start: int
    end: int
    text: str
    paragraph: int = 0
    title: str = ""
    date: str = ""  # ISO date when the article states one
    doc_sha: str = ""
    # Sentence spans (JSON, offsets relative to ``start``) and their vectors (rag.embeddings.pack_vectors),
    # pooled at ingest from the chunk's own forward pass; empty when not computed.
    sent_spans: str = ""
    sent_vecs: str = ""

    def metadata(self) -> dict:
        """Chroma/LangChain metadata for this chunk (scalars only)."""
        extra = {"sent_spans": self.sent_spans, "sent_vecs": self.sent_vecs} if self.sent_vecs else {}
        return extra | {
            "source": self.source, "path": self.path, "start": self.start, "end": self.end,
            "paragraph": self.paragraph, "title": self.title, "date": self.date, "doc_sha": self.doc_sha,
            "date_num": int(self.date.replace("-", "")) if self.date else 0,  # Chroma compares numbers only
        }

    def stored_spans(self) -> tuple[tuple[int, int], ...]:
        """The sentence spans stored at ingest, relative to ``start`` (empty when none were stored).
        Example: ``Chunk(..., sent_spans="[[0,4]]").stored_spans()`` -> ((0, 4),)."""
        return _parse_spans(self.sent_spans) if self.sent_spans else ()

    @classmethod
    def from_metadata(cls, chunk_id: str, text: str, meta: dict) -> "Chunk":
        """Rebuild a chunk from what Chroma stores."""
        return cls(chunk_id, meta["source"], meta["path"], int(meta["start"]), int(meta["end"]), text,
                   int(meta.get("paragraph", 0)), meta.get("title", ""), meta.get("date", ""),
                   meta.get("doc_sha", ""), meta.get("sent_spans", ""), meta.get("sent_vecs", ""))


@functools.lru_cache(maxsize=4096)  # the answerer reads a hit's spans for its candidates and for their vectors
def _parse_spans(text: str) -> tuple[tuple[int, int], ...]:
    return tuple((int(start), int(end)) for start, end in json.loads(text))


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with the scores each retriever gave it (None when that retriever missed it)."""

    chunk: Chunk
    score: float  # fused score (RRF)
    dense: float | None = None  # cosine similarity
    sparse: float | None = None  # BM25 score


@dataclass(frozen=True)
class Citation:
    """A numbered pointer from an answer to the exact quoted span of a source file."""

    marker: int
    source: str
    path: str
    start: int
    end: int
    quote: str
    title: str = ""
    date: str = ""

    def to_json(self) -> dict:
        """The `rag ask --json` citation object."""
        return field_values(self)


@dataclass(frozen=True)
class Sentence:
    """One sentence of an answer, its citation markers and how well the cited passages support it."""

    text: str
    citations: tuple[int, ...]
    support: float
    supported: bool
    # What the sentence is within a shaped answer (rag.answering.shapes): the ISO date of a timeline entry, the
    # file a comparison block is about, "verdict" for a yes/no answer's opening; "" in a plain answer.
    label: str = ""

    def to_json(self) -> dict:
        return field_values(self, support=round(self.support, 4))


@dataclass(frozen=True)
class ConflictValue:
    """One side of a disagreement: the value, the markers citing it, the files stating it, and whether it is a
    minority report (one file against several, or a contradicting near-copy ranked lower): named, not adopted.
    Unpacks as the older (value, markers) pair: ``value, markers = side``."""

    value: str
    citations: tuple[int, ...]
    sources: tuple[str, ...] = ()
    minority: bool = False

    def __iter__(self):
        return iter((self.value, self.citations))

    def to_json(self) -> dict:
        return field_values(self)


@dataclass(frozen=True)
class Conflict:
    """Cited passages from different files that give different values for what was asked."""

    topic: str  # the kind of value asked for: "share", "date", "person", ...
    values: tuple[ConflictValue, ...]  # (value, markers) pairs are accepted and converted

    def __post_init__(self):
        converted = tuple(v if isinstance(v, ConflictValue) else ConflictValue(v[0], tuple(v[1]), *v[2:])
                          for v in self.values)
        object.__setattr__(self, "values", converted)

    def to_json(self) -> dict:
        return {"topic": self.topic, "values": [v.to_json() for v in self.values]}


# The shapes an answer can take: one value or passage, several items, a cause, what an actor did or said in
# response, each source's account side by side, several distinct facts, dated events in order, a verdict.
SHAPES = ("fact", "list", "reason", "reaction", "comparison", "summary", "timeline", "yesno")


@dataclass(frozen=True)
class Answer:
    """What the assistant says: text with [n] markers, the citations behind them, and the checks."""

    question: str
    answer: str
    abstained: bool
    citations: tuple[Citation, ...] = ()
    sentences: tuple[Sentence, ...] = ()
    related: tuple[Citation, ...] = ()  # closest passages when abstaining: shown, never as support
    conflicts: tuple[Conflict, ...] = ()
    retrieved: tuple[str, ...] = ()  # sources in retrieval order (for evaluation)
    backend: str = "extractive"
    notice: str = ""  # e.g. "LLM endpoint down; answered extractively" or "question cut to 2000 characters"
    timings_ms: dict = field(default_factory=dict)
    # The question as resolved against the conversation (what retrieval and answering used); "" = the question.
    standalone_question: str = ""
    # The shape the answer takes (SHAPES) and why it was chosen, read from the question.
    shape: str = "fact"
    shape_reason: str = ""
    # Each stage's output for this question (`rag ask --explain`, `--json --explain`); None unless asked for.
    trace: dict | None = None

    def to_json(self) -> dict:
        """The `rag ask --json` contract: question, answer, abstained, citations (+ richer fields)."""
        extra = {"trace": self.trace} if self.trace is not None else {}
        return extra | {
            "question": self.question,
            "standalone_question": self.standalone_question or self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "citations": [c.to_json() for c in self.citations],
            "sentences": [s.to_json() for s in self.sentences],
            "related": [c.to_json() for c in self.related],
            "conflicts": [c.to_json() for c in self.conflicts],
            "retrieved": list(self.retrieved),
            "backend": self.backend,
            "notice": self.notice,
            "shape": self.shape,
            "shape_reason": self.shape_reason,
        }


@dataclass
class IngestReport:
    """Per-run summary of `rag ingest` (the `--json` object)."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    renamed: list[dict] = field(default_factory=list)  # {"from", "to"}
    skipped: list[dict] = field(default_factory=list)  # {"path", "reason"}
    chunks: int = 0  # chunks in the index after the run
    embedded: int = 0  # chunks embedded in this run
    relinked: int = 0  # chunks vector search could not reach, written again (ingest.reachability)
    seconds: float = 0.0

    def to_json(self) -> dict:
        return asdict(self)

    def summary_line(self) -> str:
        """One human line with the same figures as the JSON."""
        return (f"{len(self.added)} added, {len(self.updated)} updated, {len(self.removed)} removed, "
                f"{len(self.unchanged)} unchanged, {len(self.renamed)} renamed, {len(self.skipped)} skipped; "
                f"{self.chunks} chunks in the index ({self.embedded} embedded in {self.seconds:.1f} s)"
                + (f"; {self.relinked} written again so vector search finds them" if self.relinked else ""))


@dataclass(frozen=True)
class Value:
    """One value stated in a text: ``key`` compares values (normalised), ``text`` is how the text says it,
    ``start``/``end`` its position. Example: ``Value("share", "60", "about 60%", 6, 15)``."""

    kind: str
    key: str
    text: str
    start: int
    end: int
