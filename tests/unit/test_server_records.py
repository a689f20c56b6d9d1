"""Issue 15: the pure parts of server mode's records and lease (ids, generations, staleness)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys

from rag.lease import LEASE_TTL_S, holder_name, is_stale
from rag.server_index import doc_record_id, entry_from_metadata, entry_metadata, generation_of, records_name
from rag.manifest import DocumentEntry


def test_records_sit_beside_their_chunk_collection():
    assert records_name("rag_chunks") == "rag_chunks__docs"
    assert records_name("team") != records_name("team2")


def test_a_document_record_is_named_by_its_name_content_and_path():
    base = doc_record_id("a.txt", "ab12", "/x/a.txt")
    assert base.startswith("doc:") and len(base) == 36
    assert base == doc_record_id("a.txt", "ab12", "/x/a.txt")
    assert len({base, doc_record_id("b.txt", "ab12", "/x/a.txt"), doc_record_id("a.txt", "cd34", "/x/a.txt"),
                doc_record_id("a.txt", "ab12", "/y/a.txt")}) == 4
    assert doc_record_id("a\0b", "c", "d") != doc_record_id("a", "b\0c", "d")  # the separator cannot be forged


def test_a_generation_is_a_hash_of_everything_the_manifest_says():
    one = {"version": 1, "embedder": "m", "source_root": "/r", "documents": {"a": {"chunk_ids": ["1"]}}}
    assert generation_of(one) == generation_of({**one, "generation": "anything"})
    assert generation_of(one) != generation_of({**one, "documents": {"a": {"chunk_ids": ["2"]}}})
    assert generation_of(one) != generation_of({**one, "embedder": "other"})
    assert len(generation_of({"documents": {}})) == 16


def test_a_document_entry_survives_record_metadata_in_several_scripts():
    for entry in (DocumentEntry("a.txt", "/x/a.txt", "ab", ["1", "2"], "Title", "2026-01-31", "text", "utf-8", 12),
                  DocumentEntry("新闻/稀.html", "/x/新闻/稀.html", "cd", ["3"], "标题", "", "html", "utf-8", 3),
                  DocumentEntry("é.pdf", "/x/é.pdf", "ef", [], "", "", "pdf", "pdf", 0)):
        meta = entry_metadata(entry)
        assert all(isinstance(v, (str, int, float, bool)) for v in meta.values())  # what Chroma stores
        assert entry_from_metadata({**meta, "kind": "doc"}) == entry


def test_a_lease_is_stale_when_silent_or_its_local_process_is_gone():
    host = socket.gethostname()
    now = 1_000_000.0
    assert is_stale({"holder": "elsewhere:/d:1", "heartbeat": now - LEASE_TTL_S - 1}, now, host)
    assert not is_stale({"holder": "elsewhere:/d:1", "heartbeat": now - 5}, now, host)
    assert not is_stale({"holder": holder_name("/d"), "heartbeat": now}, now, host)  # this very process
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    assert is_stale({"holder": f"{host}:/d:{gone.stdout.strip()}", "heartbeat": now}, now, host)
    assert not is_stale({"holder": f"{host}:/with:colons:{os.getpid()}", "heartbeat": now}, now, host)
    assert is_stale({}, now, host)  # a damaged record blocks nobody
