"""Server mode's local cache: the published generation's manifest and BM25 index, rebuilt from the server
when missing or older than what the server publishes, kept under DB_DIR/sidecar/generations/<generation>/.

A machine with nothing but the URL builds it on first use (the manifest from the document records, BM25 from
the generation's chunk texts) and reuses it while the generation stands. Several processes sharing one DB_DIR
build it once (a file lock). A generation replaced while it is being read is simply read again.

Every function takes the caller's ``store`` (a rag.store.IndexStore in server mode); this module does not import
rag.store, which imports it.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from rag.errors import BackendUnavailable, IndexMissing, RagError
from rag.manifest import Manifest, write_atomic

ATTEMPTS = 4


class _Replaced(Exception):
    """The generation being read was replaced (and partly deleted) by a newer one."""


def published_manifest(store) -> Manifest | None:
    """The published generation's manifest (cached), or None when nothing was published."""
    for _ in range(ATTEMPTS):
        generation = store.published_generation()
        if not generation:
            return None
        try:
            return _manifest(store, generation)
        except _Replaced:
            continue
    raise _changing(store)


def snapshot(store):
    """(manifest, BM25 index) of the published generation, both of that one generation."""
    for _ in range(ATTEMPTS):
        generation = store.published_generation()
        if not generation:
            raise IndexMissing(f"no index in {store.describe()}: run `rag ingest` first")
        try:
            _download(store, generation)
            manifest = _manifest(store, generation)
            return manifest, _bm25(store, manifest)
        except _Replaced:
            continue
    raise _changing(store)


def save(store, manifest: Manifest, bm25) -> None:
    """Cache a generation this process already holds (the ingest that published it)."""
    folder = store.generation_dir(manifest.generation)
    try:
        bm25.save(folder / "bm25")
        write_atomic(folder / "manifest.json", json.dumps(manifest.to_json(), ensure_ascii=False))
        _drop_others(store, manifest.generation)
    except OSError:
        pass  # a cache that cannot be written is rebuilt by the next reader


def _download(store, generation: str) -> None:
    """A generation not cached here: fetch the snapshot its ingest published (manifest + BM25), if any; what it
    lacks is rebuilt from the records and chunk texts by ``_manifest`` and ``_bm25``."""
    from filelock import FileLock

    folder = store.generation_dir(generation)
    if (folder / "manifest.json").exists() and (folder / "bm25" / "ids.json").exists():
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(folder) + ".lock")
        lock.acquire(timeout=300)
    except OSError:
        return  # a read-only --db: rebuilt in memory
    try:
        if (folder / "manifest.json").exists() and (folder / "bm25" / "ids.json").exists():
            return
        import tempfile

        with tempfile.TemporaryDirectory(dir=folder.parent, prefix=f".{generation}.") as tmp:
            try:
                found = store.server().read_snapshot(generation, Path(tmp))
            except Exception:  # damaged or half-deleted: the records and chunks still rebuild it
                found = False
            if found and (Path(tmp) / "manifest.json").exists():
                shutil.rmtree(folder / "bm25", ignore_errors=True)
                os.replace(Path(tmp) / "bm25", folder / "bm25")
                os.replace(Path(tmp) / "manifest.json", folder / "manifest.json")
    finally:
        lock.release()


def _changing(store) -> BackendUnavailable:
    return BackendUnavailable(f"the index on {store.describe()} was replaced {ATTEMPTS} times while being read; "
                              "try again")


def _manifest(store, generation: str) -> Manifest:
    path = store.generation_dir(generation) / "manifest.json"
    try:
        manifest = Manifest.from_json(json.loads(path.read_text(encoding="utf-8")))
        if manifest.generation == generation:
            return manifest
    except (OSError, ValueError, KeyError, TypeError):
        pass
    try:
        manifest = store.server().manifest(generation)
    except IndexMissing:
        raise _Replaced() from None
    except RagError:
        raise
    except Exception as exc:
        raise store._wrap(exc) from None
    try:
        write_atomic(path, json.dumps(manifest.to_json(), ensure_ascii=False))
    except OSError:
        pass
    return manifest


def _bm25(store, manifest: Manifest):
    from filelock import FileLock

    from rag.bm25 import BM25Index

    folder = store.generation_dir(manifest.generation)
    ordered = sorted(cid for entry in manifest.documents.values() for cid in entry.chunk_ids)
    cached = _load(folder / "bm25", ordered)
    if cached is not None:
        return cached
    try:
        folder.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(folder) + ".lock")
        lock.acquire(timeout=300)
    except OSError:
        lock = None  # a read-only --db: build in memory every time
    try:
        cached = _load(folder / "bm25", ordered)
        if cached is not None:
            return cached
        try:
            texts = store.server().chunk_texts(store.collection(), ordered)
        except RagError:
            raise
        except Exception as exc:
            raise store._wrap(exc) from None
        if len(texts) != len(ordered):
            raise _Replaced()
        bm25 = BM25Index.build(ordered, [texts[cid] for cid in ordered])
        try:
            bm25.save(folder / "bm25")
            _drop_others(store, manifest.generation)
        except OSError:
            pass
        return bm25
    finally:
        if lock is not None:
            lock.release()


def _load(directory, ordered: list[str]):
    from rag.bm25 import BM25Index

    try:
        bm25 = BM25Index.load(directory)
    except Exception:
        return None
    return bm25 if bm25.ids == ordered else None


def _drop_others(store, keep: str) -> None:
    """Older generations' caches (a process that loaded one holds it in memory, not on disk)."""
    root = store.generation_dir(keep).parent
    for path in root.iterdir():
        if path.name not in (keep, keep + ".lock") and not path.name.endswith(".lock"):
            shutil.rmtree(path, ignore_errors=True)
