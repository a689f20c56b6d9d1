"""The index on disk: a Chroma collection (embedded or server), plus a sidecar folder with the BM25 index,
the manifest (documents, chunk ids, hashes) and the decoded text of every document. The one place that
knows the layout:

    DB_DIR/                 Chroma PersistentClient files (embedded mode)
    DB_DIR/sidecar/manifest.json
    DB_DIR/sidecar/bm25/    bm25s index + chunk ids
    DB_DIR/sidecar/texts/<sha>.txt   decoded/extracted text that offsets index into
    DB_DIR/ingest.lock

With a Chroma server (``chroma_url``) the server holds the whole index: chunks, document records with their
texts, and the published generation (rag.server_index), and one writer at a time holds its lease (rag.lease).
DB_DIR is then only a cache any machine can rebuild from the URL alone:

    DB_DIR/sidecar/generations/<generation>/manifest.json, bm25/   the published generation, as fetched
    DB_DIR/sidecar/texts/<sha>.txt                                   document texts, fetched on first use
"""
from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from urllib.parse import urlparse

from rag.errors import BackendUnavailable, IndexCorrupt, IndexMissing, IndexReadOnly
from rag.manifest import DocumentEntry, Manifest, write_atomic
from rag.settings import Settings

# chromadb shares one system per folder among its clients, refcounted in class-level dicts without a lock: the
# last client closing in one thread (which removes the system) while another thread opens the same folder (finds
# the system, then counts itself in) leaves the new client on a removed key (a KeyError naming the folder: seen
# once in CI, questions asked during two uploads). Opening and closing embedded clients take turns.
_EMBEDDED_CLIENTS = threading.RLock()


class IndexStore:
    """Opens the Chroma collection and the sidecar for one index. Cheap to build; Chroma opens lazily."""

    def __init__(self, settings: Settings, embedding_function=None) -> None:
        self.settings = settings
        self.db_dir = Path(settings.db_dir).resolve()
        self.sidecar = self.db_dir / "sidecar"
        self._embedding_function = embedding_function
        self._client = None
        self._collection = None

    # ---- paths
    @property
    def manifest_path(self) -> Path:
        return self.sidecar / "manifest.json"

    @property
    def bm25_dir(self) -> Path:
        return self.sidecar / "bm25"

    @property
    def lock_path(self) -> Path:
        return self.db_dir / "ingest.lock"

    def generation_dir(self, generation: str) -> Path:
        """Server mode: the local cache of one published generation (manifest.json, bm25/)."""
        return self.sidecar / "generations" / generation

    def text_path(self, sha: str) -> Path:
        return self.sidecar / "texts" / f"{sha}.txt"

    def describe(self) -> str:
        """Where the index lives, for messages."""
        return self.settings.chroma_url or str(self.db_dir)

    # ---- Chroma
    def client(self):
        """The Chroma client: HttpClient for ``chroma_url``, else a PersistentClient at ``db_dir``."""
        if self._client is None:
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            chroma_settings = ChromaSettings(anonymized_telemetry=False)
            if self.settings.chroma_url:
                url = urlparse(self.settings.chroma_url)
                if not url.hostname:
                    raise BackendUnavailable(f"bad Chroma URL {self.settings.chroma_url!r}: expected http://HOST:PORT")
                try:
                    self._client = chromadb.HttpClient(host=url.hostname, port=url.port or 8000,
                                                       ssl=url.scheme == "https", settings=chroma_settings)
                    self._client.heartbeat()
                except Exception:  # chromadb raises several kinds for a down server
                    self._client = None
                    raise BackendUnavailable(
                        f"Chroma server at {self.settings.chroma_url} is not answering; "
                        "start it with `chroma run --path DIR --host HOST --port PORT`") from None
            else:
                self.db_dir.mkdir(parents=True, exist_ok=True)
                try:
                    with _EMBEDDED_CLIENTS:
                        self._client = chromadb.PersistentClient(path=str(self.db_dir), settings=chroma_settings)
                except Exception as exc:
                    # chromadb caches a half-started store per path: forget it, or this process could never open
                    # the folder again, even once it is repaired.
                    from chromadb.api.shared_system_client import SharedSystemClient

                    SharedSystemClient._identifier_to_system.pop(str(self.db_dir), None)
                    if "readonly" in str(exc).lower() or not os.access(self.db_dir, os.W_OK):
                        # Chroma has no read-only mode: it writes to open. Not damage: deleting would lose the index.
                        raise IndexReadOnly(f"the index folder {self.db_dir} is read-only and Chroma must write to "
                                            "open it: make it writable, or copy it to a writable place and pass "
                                            "--db (nothing was changed)") from None
                    raise IndexCorrupt(f"cannot open the Chroma index at {self.db_dir} ({exc.__class__.__name__}: "
                                       f"{str(exc)[:120]}); delete the folder and run `rag ingest` again") from None
        return self._client

    def close(self) -> None:
        """Let go of the Chroma client; the embedded store's files are released once no other client in this
        process uses them (so another process's later writes are seen by the next open)."""
        if self._client is not None:
            try:
                with _EMBEDDED_CLIENTS:
                    self._client.close()
            except Exception:  # closing must never turn a finished run into a failure
                pass
        self._client = self._collection = None

    def collection(self, create: bool = False):
        """The chunk collection (cosine space, our embedding function); IndexMissing when absent and not ``create``."""
        if self._collection is None:
            client = self.client()
            name = self.settings.collection
            kwargs = {"embedding_function": self._embedding_function} if self._embedding_function else {}
            try:
                if create:
                    self._collection = client.get_or_create_collection(
                        name, configuration={"hnsw": {"space": "cosine"}}, **kwargs)
                else:
                    self._collection = client.get_collection(name, **kwargs)
            except BackendUnavailable:
                raise
            except Exception as exc:
                message = str(exc).lower()
                if not create and ("does not exist" in message or "not found" in message):
                    raise IndexMissing(f"no index in {self.describe()}: run `rag ingest` first") from None
                raise self._wrap(exc) from None
        return self._collection

    def _wrap(self, exc: Exception) -> Exception:
        if self.settings.chroma_url:
            return BackendUnavailable(f"Chroma server at {self.settings.chroma_url} failed: "
                                      f"{exc.__class__.__name__}: {str(exc)[:160]}")
        return IndexCorrupt(f"the Chroma index at {self.db_dir} is unreadable ({exc.__class__.__name__}); "
                            "delete the folder and run `rag ingest` again")

    # ---- server mode: the whole index lives in the server (rag.server_index); --db only caches it
    def server(self):
        """The server's records of this index (server mode only)."""
        from rag.server_index import ServerIndex

        if getattr(self, "_server", None) is None or self._server.client is not self.client():
            self._server = ServerIndex(self.client(), self.settings.collection)
        return self._server

    def published_generation(self) -> str:
        """Server mode: the generation readers should answer from ('' when none was published)."""
        try:
            return self.server().published()
        except BackendUnavailable:
            raise
        except Exception as exc:
            raise self._wrap(exc) from None

    def check_exists(self) -> None:
        """Raise IndexMissing (or BackendUnavailable) before any slow work when there is nothing to ask."""
        if not self.settings.chroma_url:
            self.load_manifest()
        elif not self.published_generation():
            raise IndexMissing(f"no index in {self.describe()}: run `rag ingest` first")

    def publish(self, manifest: Manifest, texts: dict[str, str], collection) -> None:
        """Server mode: write ``manifest``'s document records (``texts``: content hash -> text) and generation
        record, then flip the published generation to it (the one write readers switch on)."""
        from rag.server_index import check_texts

        check_texts(manifest, texts)
        self.server().write(manifest, texts)
        if self.server().published() != manifest.generation:
            self.server().flip(collection, manifest.generation)

    def snapshot(self):
        """(manifest, BM25 index) of one generation: the embedded store's sidecar, or in server mode the published
        generation, from the local cache or rebuilt from the server (rag.server_cache)."""
        if not self.settings.chroma_url:
            return self.load_manifest(), self.load_bm25()
        from rag.server_cache import snapshot

        return snapshot(self)

    def all_ids(self) -> set[str]:
        """Every chunk id in the collection (paged, ids only)."""
        col = self.collection(create=True)
        ids: set[str] = set()
        offset, page = 0, 5000
        while True:
            got = col.get(include=[], limit=page, offset=offset)["ids"]
            ids.update(got)
            if len(got) < page:
                return ids
            offset += page

    # ---- sidecar
    def exists(self) -> bool:
        """True when a manifest has been written (an ingest finished at least once)."""
        return self.manifest_path.exists()

    def load_manifest(self, required: bool = True) -> Manifest:
        """Read the manifest; IndexMissing/IndexCorrupt with the fix when it cannot be used. In server mode: the
        published generation's (from the local cache, or fetched from the server)."""
        if self.settings.chroma_url:
            from rag.server_cache import published_manifest

            manifest = published_manifest(self)
            if manifest is None and required:
                raise IndexMissing(f"no index in {self.describe()}: run `rag ingest` first")
            return manifest or Manifest()
        if not self.manifest_path.exists():
            if required:
                raise IndexMissing(f"no index in {self.describe()}: run `rag ingest` first")
            return Manifest()
        try:
            return Manifest.from_json(json.loads(self.manifest_path.read_text(encoding="utf-8")))
        except Exception as exc:
            raise IndexCorrupt(f"the index manifest {self.manifest_path} is damaged ({exc.__class__.__name__}); "
                               "run `rag ingest` again to rebuild it") from None

    def save_manifest(self, manifest: Manifest) -> None:
        write_atomic(self.manifest_path, json.dumps(manifest.to_json(), ensure_ascii=False, indent=1))

    def load_bm25(self):
        """The persisted BM25 index; IndexCorrupt when damaged."""
        from rag.bm25 import BM25Index

        try:
            return BM25Index.load(self.bm25_dir)
        except Exception as exc:
            raise IndexCorrupt(f"the BM25 index in {self.bm25_dir} is damaged ({exc.__class__.__name__}); "
                               "run `rag ingest` again") from None

    def read_text(self, entry: DocumentEntry) -> str:
        """The exact text offsets index into: the stored decoded/extracted copy made at ingest (in server mode a
        local copy of the server's record, fetched once: it is named by its content hash)."""
        path = self.text_path(entry.sha)
        try:
            text = path.read_bytes().decode("utf-8")
            if not self.settings.chroma_url or len(text) == entry.chars:
                return text
        except (OSError, UnicodeDecodeError):
            if not self.settings.chroma_url:
                raise IndexCorrupt(f"the stored text of {entry.source} is missing from {self.sidecar}; "
                                   "run `rag ingest` again") from None
        try:
            text = self.server().text(entry.sha)
        except Exception as exc:
            raise self._wrap(exc) from None
        if text is None:
            raise IndexCorrupt(f"the stored text of {entry.source} is missing from {self.describe()}; "
                               "run `rag ingest` again")
        self.write_text(entry.sha, text)
        return text

    def write_text(self, sha: str, text: str) -> None:
        """Keep the text offsets index into (named by its hash, so written once); rewritten when the stored
        copy has the wrong size (a write cut short by a crash)."""
        path = self.text_path(sha)
        data = text.encode("utf-8")
        try:
            if path.stat().st_size == len(data):
                return
        except OSError:
            pass
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)

    def drop_texts_except(self, keep: set[str]) -> None:
        """Delete stored texts (and leftovers of interrupted writes) of documents no longer indexed."""
        folder = self.sidecar / "texts"
        if folder.is_dir():
            for path in folder.iterdir():
                if path.name.endswith(".tmp") or (path.suffix == ".txt" and path.stem not in keep):
                    path.unlink(missing_ok=True)
