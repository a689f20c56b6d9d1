"""Server mode's records: everything an index is, kept in the Chroma server so any machine with the URL can ask.

Beside the chunk collection NAME lives a records collection NAME__docs (no vectors to speak of: every record
carries a one-number placeholder embedding, so Chroma's default embedding function is never used):

    doc:<hash of source, content hash, path>   one document: metadata = source, path, sha, title, date, format,
                                               encoding, chars, chunk_ids (JSON); document = the exact text
                                               that offsets index into
    gen:<generation>                           one published generation: metadata = embedder, source root;
                                               document = JSON {source: doc record id}
    snap:<generation>:<part>                   that generation's manifest and BM25 index, built by the ingest
                                               (a gzip tar in base64 parts): a new asker downloads it instead
                                               of rebuilding BM25 from every chunk's text
    lease                                      the writer's lease (rag.lease)

and the chunk collection's metadata ``rag_generation`` names the published generation. An ingest writes chunks,
then document records, then the generation record, and flips ``rag_generation`` last; only then does it delete
what the new generation no longer uses. Every record is keyed by its content, so a reader that follows the
pointer sees exactly one generation, old or new, and a run killed anywhere is finished by the next one.
"""
from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import tarfile
from pathlib import Path

from rag.errors import IndexCorrupt, IndexMissing

GENERATION_KEY = "rag_generation"
PLACEHOLDER = [1.0]  # records are looked up by id and metadata only
RECORD_BATCH = 64  # documents per write: their texts travel with them
GET_BATCH = 2000
SNAPSHOT_PART = 4_000_000  # characters of base64 per record: a 100k-chunk snapshot is a handful of requests


def records_name(collection: str) -> str:
    """The records collection beside chunk collection ``collection``. Example: ``records_name("c")`` -> 'c__docs'."""
    return f"{collection}__docs"


def doc_record_id(source: str, sha: str, path: str) -> str:
    """A document record's id: the same content at the same name and path is the same record.
    Example: ``doc_record_id("a.txt", "ab12", "/x/a.txt")`` -> 'doc:' + 32 hex digits."""
    key = json.dumps([source, sha, path], ensure_ascii=False)  # unambiguous, whatever the names contain
    return "doc:" + hashlib.sha256(key.encode()).hexdigest()[:32]


def generation_of(manifest_json: dict) -> str:
    """The generation of a manifest: a hash of everything it says (documents, chunk ids, embedder, root), so the
    same folder ingested anywhere publishes the same generation. Example: ``generation_of({"documents": {}})``."""
    body = {k: v for k, v in manifest_json.items() if k != "generation"}
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:16]


def entry_metadata(entry) -> dict:
    """A DocumentEntry as record metadata (scalars only)."""
    meta = dict(vars(entry))
    meta["chunk_ids"] = json.dumps(entry.chunk_ids, separators=(",", ":"))
    return meta


def entry_from_metadata(meta: dict):
    """The DocumentEntry a record's metadata describes."""
    from dataclasses import fields

    from rag.manifest import DocumentEntry

    known = {f.name for f in fields(DocumentEntry)} - {"chunk_ids"}
    return DocumentEntry(chunk_ids=json.loads(meta["chunk_ids"]), **{k: meta[k] for k in known if k in meta})


class ServerIndex:
    """Reads and writes the records of one index in a Chroma server (``client`` is a chromadb HttpClient)."""

    def __init__(self, client, collection: str) -> None:
        self.client = client
        self.name = collection
        self._records = None

    def records(self):
        """The records collection (created on first use)."""
        if self._records is None:
            self._records = self.client.get_or_create_collection(records_name(self.name), embedding_function=None)
        return self._records

    # ---- the pointer
    def published(self) -> str:
        """The published generation ('' when nothing was ever published). One small request: cheap enough to
        ask before every question."""
        try:
            collection = self.client.get_collection(self.name, embedding_function=None)
        except Exception as exc:
            message = str(exc).lower()
            if "does not exist" in message or "not found" in message:
                return ""
            raise
        return str((collection.metadata or {}).get(GENERATION_KEY, ""))

    def flip(self, chunks_collection, generation: str) -> None:
        """Publish ``generation``: the one write readers switch on."""
        fresh = self.client.get_collection(self.name, embedding_function=None)
        meta = {k: v for k, v in (fresh.metadata or {}).items() if not k.startswith("hnsw:")}
        chunks_collection.modify(metadata={**meta, GENERATION_KEY: generation})

    # ---- reading a generation
    def manifest(self, generation: str):
        """The Manifest of a published generation, read from its records (document texts are not fetched)."""
        from rag.manifest import Manifest

        got = self.records().get(ids=[f"gen:{generation}"], include=["documents", "metadatas"])
        if not got["ids"]:
            raise IndexMissing(f"generation {generation} is no longer on the server")
        meta, body = got["metadatas"][0] or {}, json.loads(got["documents"][0])
        ids = sorted(set(body["documents"].values()))
        documents = {}
        for first in range(0, len(ids), GET_BATCH):
            part = self.records().get(ids=ids[first:first + GET_BATCH], include=["metadatas"])
            for meta_doc in part["metadatas"]:
                entry = entry_from_metadata(meta_doc)
                documents[entry.source] = entry
        if set(documents) != set(body["documents"]):
            raise IndexMissing(f"generation {generation} is no longer complete on the server")
        return Manifest(meta.get("embedder", ""), meta.get("source_root", ""), documents, generation)

    def text(self, sha: str) -> str | None:
        """The stored text with content hash ``sha`` (any record holding it), or None."""
        got = self.records().get(where={"sha": sha}, limit=1, include=["documents"])
        return got["documents"][0] if got["ids"] else None

    def chunk_texts(self, chunks_collection, ids: list[str]) -> dict[str, str]:
        """Chunk texts by id (ids the server no longer has are left out)."""
        out: dict[str, str] = {}
        for first in range(0, len(ids), GET_BATCH):
            got = chunks_collection.get(ids=ids[first:first + GET_BATCH], include=["documents"])
            out.update((cid, text) for cid, text in zip(got["ids"], got["documents"]) if text is not None)
        return out

    # ---- writing a generation
    def write(self, manifest, texts: dict[str, str]) -> None:
        """Upsert the document records ``manifest`` needs and its generation record, each only when missing (an
        unchanged index writes nothing; a record lost since is put back). ``texts`` maps content hash -> text.
        Readers see none of it until ``flip``."""
        wanted = {doc_record_id(e.source, e.sha, e.path): e for e in manifest.documents.values()}
        generation_id = f"gen:{manifest.generation}"
        have = self._existing(list(wanted) + [generation_id])
        todo = [(rid, e) for rid, e in sorted(wanted.items()) if rid not in have]
        records = self.records()
        for first in range(0, len(todo), RECORD_BATCH):
            part = todo[first:first + RECORD_BATCH]
            records.upsert(ids=[rid for rid, _ in part], embeddings=[PLACEHOLDER] * len(part),
                           documents=[texts[e.sha] for _, e in part],
                           metadatas=[{"kind": "doc", **entry_metadata(e)} for _, e in part])
        if todo or generation_id not in have:
            body = json.dumps({"documents": {e.source: rid for rid, e in sorted(wanted.items())}}, sort_keys=True)
            records.upsert(ids=[generation_id], embeddings=[PLACEHOLDER], documents=[body],
                           metadatas=[{"kind": "generation", "embedder": manifest.embedder,
                                       "source_root": manifest.source_root}])

    def write_snapshot(self, generation: str, folder: Path) -> None:
        """Upload ``folder``'s manifest.json and bm25/ as generation ``generation``'s snapshot (when missing)."""
        existing = self.records().get(where={"$and": [{"kind": "snapshot"}, {"generation": generation}]},
                                      include=["metadatas"])
        if existing["ids"] and len(existing["ids"]) == int(existing["metadatas"][0].get("parts", -1)):
            return
        def plain(info: tarfile.TarInfo) -> tarfile.TarInfo:  # the same index gives the same bytes anywhere
            info.mtime, info.uid, info.gid, info.uname, info.gname = 0, 0, 0, "", ""
            return info

        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w") as tar:
            tar.add(folder / "manifest.json", "manifest.json", filter=plain)
            tar.add(folder / "bm25", "bm25", filter=plain)
        data = base64.b64encode(gzip.compress(buffer.getvalue(), compresslevel=1, mtime=0)).decode("ascii")
        parts = [data[i:i + SNAPSHOT_PART] for i in range(0, len(data), SNAPSHOT_PART)] or [""]
        for i, part in enumerate(parts):
            self.records().upsert(ids=[f"snap:{generation}:{i:05d}"], embeddings=[PLACEHOLDER], documents=[part],
                                  metadatas=[{"kind": "snapshot", "generation": generation, "part": i,
                                              "parts": len(parts)}])

    def read_snapshot(self, generation: str, folder: Path) -> bool:
        """Download generation ``generation``'s snapshot into ``folder`` (manifest.json, bm25/); False when the
        server has none (an index published before snapshots, or one being replaced)."""
        got = self.records().get(where={"$and": [{"kind": "snapshot"}, {"generation": generation}]},
                                 include=["documents", "metadatas"])
        if not got["ids"]:
            return False
        parts = sorted(zip(got["metadatas"], got["documents"]), key=lambda pair: int(pair[0]["part"]))
        if len(parts) != int(parts[0][0]["parts"]):
            return False
        blob = base64.b64decode("".join(text for _, text in parts))
        with tarfile.open(fileobj=io.BytesIO(blob), mode="r:gz") as tar:
            members = [m for m in tar.getmembers() if m.name == "manifest.json" or m.name.startswith("bm25")]
            tar.extractall(folder, members=members, filter="data")  # "data": nothing outside ``folder``
        return True

    def _existing(self, ids: list[str]) -> set[str]:
        have: set[str] = set()
        for first in range(0, len(ids), GET_BATCH):
            have.update(self.records().get(ids=ids[first:first + GET_BATCH], include=[])["ids"])
        return have

    def drop_unpublished(self, manifest) -> None:
        """Delete document and generation records the published ``manifest`` does not use (after ``flip``): what
        its generation record lists is kept, whatever the ids are made of."""
        generation_id = f"gen:{manifest.generation}"
        got = self.records().get(ids=[generation_id], include=["documents"])
        if not got["ids"]:
            return  # nothing published to compare with: delete nothing
        keep = set(json.loads(got["documents"][0])["documents"].values()) | {generation_id}
        stale = []
        for kind in ("doc", "generation", "snapshot"):
            offset = 0
            while True:
                got = self.records().get(where={"kind": kind}, include=[], limit=GET_BATCH, offset=offset)["ids"]
                stale += [rid for rid in got if rid not in keep and not rid.startswith(f"snap:{manifest.generation}:")]
                if len(got) < GET_BATCH:
                    break
                offset += GET_BATCH
        for first in range(0, len(stale), GET_BATCH):
            self.records().delete(ids=stale[first:first + GET_BATCH])

    def drop(self) -> None:
        """Delete the records collection (with the chunk collection, the whole index)."""
        try:
            self.client.delete_collection(records_name(self.name))
        except Exception:
            pass
        self._records = None


def check_texts(manifest, texts: dict[str, str]) -> None:
    """Every document of ``manifest`` has its text. Raises IndexCorrupt otherwise (a bug, not a user error)."""
    missing = [e.source for e in manifest.documents.values() if e.sha not in texts]
    if missing:
        raise IndexCorrupt(f"no text for {missing[0]} while publishing; run `rag ingest` again")
