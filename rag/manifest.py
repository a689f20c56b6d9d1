"""What an index holds, as data: the manifest (documents with their chunk ids, hashes, titles, dates) and its
JSON form, plus the atomic file write every sidecar file goes through. No Chroma, no files chosen here: rag.store
decides where a manifest lives. Example: ``Manifest.from_json(Manifest().to_json())`` -> an empty Manifest."""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST_VERSION = 1


@dataclass
class DocumentEntry:
    """What the manifest keeps per document."""

    source: str
    path: str
    sha: str
    chunk_ids: list[str]
    title: str = ""
    date: str = ""
    format: str = "text"
    encoding: str = "utf-8"
    chars: int = 0


@dataclass
class Manifest:
    """Documents in the index, keyed by source (path relative to the ingested folder)."""

    embedder: str = ""
    source_root: str = ""
    documents: dict[str, DocumentEntry] = field(default_factory=dict)
    generation: str = ""

    def to_json(self) -> dict:
        return {"version": MANIFEST_VERSION, "embedder": self.embedder, "source_root": self.source_root,
                "generation": self.generation,
                "documents": {k: vars(v) for k, v in sorted(self.documents.items())}}

    @classmethod
    def from_json(cls, data: dict) -> "Manifest":
        if data.get("version") != MANIFEST_VERSION:
            raise ValueError(f"manifest version {data.get('version')!r}")
        docs = {k: DocumentEntry(**v) for k, v in data["documents"].items()}
        return cls(data.get("embedder", ""), data.get("source_root", ""), docs, data.get("generation", ""))


def write_atomic(path: Path, data: str) -> None:
    """Write a file so a reader sees the old or the new content, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
