"""Pure planning: what is in the folder now versus what the index holds -> per-file statuses and chunk work."""
from __future__ import annotations

from dataclasses import dataclass, field

from rag.manifest import DocumentEntry


@dataclass
class Plan:
    """Per-file statuses for the report and chunk ids to add and delete."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    renamed: list[dict] = field(default_factory=list)
    add_ids: list[str] = field(default_factory=list)
    delete_ids: list[str] = field(default_factory=list)


def plan(old: dict[str, DocumentEntry], new: dict[str, DocumentEntry], indexed_ids: set[str]) -> Plan:
    """Compare the previous manifest, the folder's documents and the ids really in Chroma.

    The chunk work depends only on ``new`` versus ``indexed_ids``, so a run interrupted at any point is
    repaired by the next one; ``old`` only names the statuses. Example: an empty ``old`` and one new document
    -> ``Plan(added=[source], add_ids=its chunk ids)``.
    """
    result = Plan()
    wanted: set[str] = set()
    for entry in new.values():
        wanted.update(entry.chunk_ids)
    result.add_ids = sorted(wanted - indexed_ids)
    result.delete_ids = sorted(indexed_ids - wanted)

    gone = {s: e for s, e in old.items() if s not in new}
    gone_by_sha = {}
    for source, entry in sorted(gone.items()):
        gone_by_sha.setdefault(entry.sha, []).append(source)
    for source, entry in sorted(new.items()):
        previous = old.get(source)
        complete = all(cid in indexed_ids for cid in entry.chunk_ids)
        if previous is None:
            if gone_by_sha.get(entry.sha):
                origin = gone_by_sha[entry.sha].pop(0)
                gone.pop(origin)
                result.renamed.append({"from": origin, "to": source})
            else:
                result.added.append(source)
        elif previous.sha != entry.sha or previous.chunk_ids != entry.chunk_ids or not complete:
            result.updated.append(source)
        else:
            result.unchanged.append(source)
    result.removed = sorted(gone)
    return result
