"""One writer per server index: a lease record in the Chroma server (``lease`` in the records collection).

It replaces the older rule that the first index folder to ingest owned a server collection for ever: now the
server holds the whole index (rag.server_index), so any folder on any machine may publish the next generation,
and all that must never happen is two ingests writing at once (each deletes what its own folder lacks). The
lease says who writes (holder = host:folder:pid), since when, and its last heartbeat; a holder that stopped
beating for LEASE_TTL_S, or a dead process on this very host, is stale and is taken over. Anything else is
refused in one line naming the holder; ``rag ingest --break-lease`` takes it anyway (for a crashed machine).
Chroma has no compare-and-swap, so a claim is written, then read back after a pause: of two claims at the
same moment only the later one survives the read-back.
"""
from __future__ import annotations

import os
import socket
import threading
import time
from datetime import datetime, timezone

from rag.errors import IndexBusy

LEASE_ID = "lease"
LEASE_TTL_S = 90.0  # a holder silent this long is taken to be gone
BEAT_EVERY_S = 10.0
SETTLE_S = 0.3  # between writing a claim and reading it back


def holder_name(db_dir) -> str:
    """Who this process is, as the lease names it. Example: 'host1:/home/a/.rag/chroma:4242'."""
    return f"{socket.gethostname()}:{db_dir}:{os.getpid()}"


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def is_stale(meta: dict, now: float, host: str) -> bool:
    """Whether a lease can be taken over: no heartbeat for LEASE_TTL_S, or held by a process of this host that no
    longer runs. Example: ``is_stale({"heartbeat": 0.0, "holder": "h:/d:1"}, 1e9, "x")`` -> True."""
    if now - float(meta.get("heartbeat", 0.0)) > LEASE_TTL_S:
        return True
    holder_host, _, pid = str(meta.get("holder", "")).partition(":")
    pid = pid.rsplit(":", 1)[-1]
    if holder_host == host and pid.isdigit():
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
    return False


class Lease:
    """The writer's lease on one server index; ``acquire`` then ``release`` (a heartbeat thread runs between)."""

    def __init__(self, records, where: str, holder: str) -> None:
        self.records = records  # the records collection (rag.server_index.ServerIndex.records())
        self.where = where
        self.holder = holder
        self.since = 0.0
        self._stop = threading.Event()
        self._thread = None
        self.lost_to = ""

    def _read(self) -> dict | None:
        got = self.records.get(ids=[LEASE_ID], include=["metadatas"])
        return (got["metadatas"][0] or {}) if got["ids"] else None

    def _write(self, since: float) -> None:
        self.records.upsert(ids=[LEASE_ID], embeddings=[[1.0]], documents=[""],
                            metadatas=[{"kind": "lease", "holder": self.holder, "since": since,
                                        "heartbeat": time.time()}])

    def acquire(self, break_lease: bool = False) -> None:
        """Take the lease, or raise IndexBusy naming the holder and since when."""
        current = self._read()
        if current and current.get("holder") != self.holder and not break_lease \
                and not is_stale(current, time.time(), socket.gethostname()):
            raise self._busy(current)
        self.since = time.time()
        self._write(self.since)
        time.sleep(SETTLE_S)
        current = self._read()
        if not current or current.get("holder") != self.holder:
            raise self._busy(current or {})
        self._thread = threading.Thread(target=self._beat, name="lease-heartbeat", daemon=True)
        self._thread.start()

    def _busy(self, meta: dict) -> IndexBusy:
        since = float(meta.get("since", 0.0))
        beat = time.time() - float(meta.get("heartbeat", since))
        return IndexBusy(f"another `rag ingest` holds the lease on {self.where}: {meta.get('holder', 'unknown')} "
                         f"since {_iso(since)} (last heartbeat {beat:.0f} s ago); wait for it to finish, or if it "
                         "died run `rag ingest --break-lease`")

    def _beat(self) -> None:
        while not self._stop.wait(BEAT_EVERY_S):
            try:
                current = self._read()
                if not current or current.get("holder") != self.holder:  # broken (and maybe released since)
                    self.lost_to = str((current or {}).get("holder", "another ingest"))
                    return
                self._write(self.since)
            except Exception:  # a missed beat is retried; the server being gone fails the ingest itself
                pass

    def check(self) -> None:
        """Raise IndexBusy when another writer broke this lease (called before publishing)."""
        current = self._read()
        if self.lost_to or not current or current.get("holder") != self.holder:
            raise IndexBusy(f"the lease on {self.where} was taken by "
                            f"{(current or {}).get('holder', self.lost_to or 'nobody')} during this ingest; "
                            "nothing was published: run `rag ingest` again when it is done")

    def release(self) -> None:
        """Stop beating and delete the lease if it is still ours."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        try:
            current = self._read()
            if current and current.get("holder") == self.holder:
                self.records.delete(ids=[LEASE_ID])
        except Exception:
            pass
