"""Pure planning: folder documents vs previous manifest vs ids really in Chroma -> statuses and chunk work."""
from __future__ import annotations

import json

import pytest

from ingest.manifest import plan
from rag.manifest import DocumentEntry, Manifest


def _doc(source: str, sha: str, ids: list[str]) -> DocumentEntry:
    return DocumentEntry(source, f"/corpus/{source}", sha, ids)


def test_first_run_adds_everything():
    new = {"a.txt": _doc("a.txt", "sa", ["a1", "a2"]), "b.txt": _doc("b.txt", "sb", ["b1"])}
    got = plan({}, new, set())
    assert got.added == ["a.txt", "b.txt"] and got.add_ids == ["a1", "a2", "b1"]
    assert not (got.updated or got.removed or got.unchanged or got.renamed or got.delete_ids)


def test_unchanged_folder_has_no_work():
    docs = {"a.txt": _doc("a.txt", "sa", ["a1", "a2"])}
    got = plan(docs, dict(docs), {"a1", "a2"})
    assert got.unchanged == ["a.txt"] and got.add_ids == [] and got.delete_ids == []


def test_edited_file_is_updated_old_chunks_replaced():
    old = {"a.txt": _doc("a.txt", "s1", ["a1", "a2"])}
    new = {"a.txt": _doc("a.txt", "s2", ["a1", "a3"])}
    got = plan(old, new, {"a1", "a2"})
    assert got.updated == ["a.txt"] and got.add_ids == ["a3"] and got.delete_ids == ["a2"]


def test_deleted_file_is_removed():
    old = {"a.txt": _doc("a.txt", "sa", ["a1"]), "b.txt": _doc("b.txt", "sb", ["b1"])}
    got = plan(old, {"a.txt": old["a.txt"]}, {"a1", "b1"})
    assert got.removed == ["b.txt"] and got.delete_ids == ["b1"] and got.unchanged == ["a.txt"]


def test_renamed_file_is_matched_by_content_hash():
    old = {"old.txt": _doc("old.txt", "same", ["o1"])}
    new = {"new.txt": _doc("new.txt", "same", ["n1"])}
    got = plan(old, new, {"o1"})
    assert got.renamed == [{"from": "old.txt", "to": "new.txt"}]
    assert not (got.added or got.removed) and got.add_ids == ["n1"] and got.delete_ids == ["o1"]


def test_two_copies_renamed_and_one_removed():
    old = {"x.txt": _doc("x.txt", "same", ["x1"]), "y.txt": _doc("y.txt", "same", ["y1"])}
    new = {"z.txt": _doc("z.txt", "same", ["z1"])}
    got = plan(old, new, {"x1", "y1"})
    assert got.renamed == [{"from": "x.txt", "to": "z.txt"}] and got.removed == ["y.txt"]


def test_interrupted_run_is_repaired_against_what_chroma_holds():
    # The manifest says a.txt is complete, but Chroma lost a2 (killed run) and holds an orphan z9.
    docs = {"a.txt": _doc("a.txt", "sa", ["a1", "a2"])}
    got = plan(docs, dict(docs), {"a1", "z9"})
    assert got.updated == ["a.txt"] and got.add_ids == ["a2"] and got.delete_ids == ["z9"]


def test_no_manifest_but_chunks_already_indexed():
    # A first run killed after its upserts: the next run adds nothing twice.
    new = {"a.txt": _doc("a.txt", "sa", ["a1", "a2"])}
    got = plan({}, new, {"a1"})
    assert got.added == ["a.txt"] and got.add_ids == ["a2"] and got.delete_ids == []


def test_changed_chunking_updates_with_same_content():
    old = {"a.txt": _doc("a.txt", "sa", ["a1"])}
    new = {"a.txt": _doc("a.txt", "sa", ["c1", "c2"])}
    got = plan(old, new, {"a1"})
    assert got.updated == ["a.txt"] and got.add_ids == ["c1", "c2"] and got.delete_ids == ["a1"]


def test_manifest_round_trips_through_json():
    manifest = Manifest("all-MiniLM-L6-v2/torch", "/corpus",
                        {"a.txt": DocumentEntry("a.txt", "/corpus/a.txt", "sa", ["a1"], "Title", "2026-01-06",
                                                "text", "cp1252", 12)}, "gen")
    again = Manifest.from_json(json.loads(json.dumps(manifest.to_json())))
    assert again.to_json() == manifest.to_json() and again.documents["a.txt"].encoding == "cp1252"


def test_manifest_of_another_version_is_refused():
    with pytest.raises(ValueError):
        Manifest.from_json({"version": 999, "documents": {}})
