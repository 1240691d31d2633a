"""Usage events: which screens, searches and filters kiosks see, for the centers' statistics.

Never personal data: an event holds a kiosk code, a kind, a small detail and the time. Digits
that could be a phone or ID number (six or more in a row, even with separators) are blanked.

Screen views, searches and filters are noted in the process's UsageBuffer and written in one
transaction every USAGE_FLUSH_SECONDS (sooner when USAGE_BATCH events wait) and at process
exit: one INSERT per page view made the web workers queue for SQLite's write lock. A crash
(kill -9, power loss) loses at most the last USAGE_FLUSH_SECONDS of views; if the database
stays unavailable, the oldest beyond USAGE_MAX_PENDING are dropped and counted. An event that
belongs to a change a request writes anyway (a registration, a booking) is written with it by
record(). USAGE_FLUSH_SECONDS = 0 writes every event at once.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import re
import threading
import weakref
from collections import deque
from collections.abc import Mapping, Sequence
from datetime import datetime

from kiosk.core.clock import iso
from kiosk.core.db import Connection, Error, connect, transaction

log = logging.getLogger(__name__)

_NUMBER_LIKE = re.compile(r"\d(?:[\s.\-]*\d){5,}")
Scalar = str | int | float | bool | None
Event = tuple[str | None, str, str, str]  # kiosk code, kind, detail (JSON), at


def scrub(value: Scalar) -> Scalar:
    """A detail value with anything number-like (phone, resident number) blanked out."""
    if isinstance(value, str):
        return _NUMBER_LIKE.sub("#", value)[:100]
    return value


def event(kiosk_code: str | None, kind: str, detail: Mapping[str, Scalar], now: datetime) -> Event:
    """One event's row; detail values are scalars, scrubbed of number-like text."""
    clean = {key: scrub(value) for key, value in detail.items() if value not in (None, "")}
    return kiosk_code, kind, json.dumps(clean, ensure_ascii=False, sort_keys=True), iso(now)


def write(db: Connection, events: Sequence[Event]) -> None:
    db.executemany("INSERT INTO usage_events (kiosk_code, kind, detail, at) VALUES (?, ?, ?, ?)",
                   events)


def purge_before(db: Connection, cutoff: str) -> int:
    """Deletes events recorded before cutoff (stored UTC text), once their days are summed."""
    return db.execute("DELETE FROM usage_events WHERE at < ?", (cutoff,)).rowcount


def record(db: Connection, kiosk_code: str | None, kind: str,
           detail: Mapping[str, Scalar], now: datetime) -> None:
    """Stores one event at once, in the caller's transaction if one is open."""
    write(db, [event(kiosk_code, kind, detail, now)])


class UsageBuffer:
    """One process's noted events; a short-lived thread writes them once they are due."""

    def __init__(self, path: str, *, seconds: float, batch: int, limit: int) -> None:
        self.path, self.seconds, self.batch = path, seconds, batch
        self.dropped = 0  # events lost because the database stayed unavailable
        self._pending: deque[Event] = deque(maxlen=limit)
        self._fresh_locks()
        _live.add(self)
        _register_process_hooks()

    def _fresh_locks(self) -> None:
        self._lock = threading.Lock()  # guards _pending and _flusher
        self._writing = threading.Lock()  # one batch at a time, so rows keep their order
        self._due = threading.Event()
        self._flusher: threading.Thread | None = None

    def add(self, item: Event) -> None:
        with self._lock:
            if len(self._pending) == self._pending.maxlen:
                self.dropped += 1
            self._pending.append(item)
            if len(self._pending) >= self.batch:
                self._due.set()
            if self._flusher is None:
                # Not written here: the request may hold a transaction the write would wait on.
                self._flusher = threading.Thread(target=self._flush_when_due,
                                                 name="jobstop-usage", daemon=True)
                self._flusher.start()

    def pending(self) -> int:
        return len(self._pending)

    def flush(self) -> int:
        """Writes every waiting event in one transaction; on a database error they stay queued."""
        with self._writing:
            with self._lock:
                batch = list(self._pending)
                self._pending.clear()
            if not batch:
                return 0
            try:
                db = connect(self.path)
                try:
                    with transaction(db):
                        write(db, batch)
                finally:
                    db.close()
            except Error:
                self._put_back(batch)
                raise
            return len(batch)

    def _put_back(self, batch: list[Event]) -> None:
        with self._lock:
            newer = list(self._pending)
            self._pending.clear()
            for item in batch + newer:
                if len(self._pending) == self._pending.maxlen:
                    self.dropped += 1
                self._pending.append(item)

    def _flush_when_due(self) -> None:
        """The flusher thread: waits, writes, and ends once nothing waits (it retries on errors)."""
        while True:
            self._due.wait(self.seconds)
            self._due.clear()
            try:
                self.flush()
            except Exception:  # a thread must not die with events queued; they are retried
                log.warning("usage events not written yet (%d waiting, %d dropped)",
                            self.pending(), self.dropped, exc_info=True)
            with self._lock:
                if not self._pending:
                    self._flusher = None
                    return

    def _after_fork(self) -> None:
        """A forked child starts empty: the parent's events and its thread stay the parent's."""
        self._pending.clear()
        self._fresh_locks()


_live: weakref.WeakSet[UsageBuffer] = weakref.WeakSet()
_hooks_registered = False


def _register_process_hooks() -> None:
    global _hooks_registered
    if not _hooks_registered:
        _hooks_registered = True
        atexit.register(_flush_all)  # a normal exit or restart (gunicorn's too) loses nothing
        os.register_at_fork(after_in_child=_after_fork_all)


def _after_fork_all() -> None:
    for buffer in list(_live):
        buffer._after_fork()


def flush_all(path: str | None = None) -> None:
    """Writes what every live buffer (of the database at path) holds: before that database goes."""
    for buffer in list(_live):
        if path in (None, buffer.path):
            buffer.flush()


def _flush_all() -> None:
    for buffer in list(_live):
        try:
            buffer.flush()
        except Error:
            log.warning("usage events lost at exit: %d", buffer.pending(), exc_info=True)
