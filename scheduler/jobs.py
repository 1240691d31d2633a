"""Helpers every job module shares: the app's clock, a connection of its own, the lease check."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from flask import Flask

from kiosk.core import db as kdb
from kiosk.core.db import Connection
from scheduler import lease


class LeaseLost(Exception):
    """Raised inside a long job when this process no longer holds the scheduler lease."""


class QuietHeartbeat(logging.Filter):
    """Keeps APScheduler's two lines a run ("Running job", "executed successfully") out of the log
    for the lease's heartbeat, which runs every few seconds; its warnings and errors still show."""

    def filter(self, record: logging.LogRecord) -> bool:
        job = record.args[0] if isinstance(record.args, tuple) and record.args else None
        return record.levelno > logging.INFO or getattr(job, "id", None) != "lease"


QUIET_HEARTBEAT = QuietHeartbeat()  # one instance: adding it again changes nothing


_running = threading.local()  # the lease holder a job runs under, per worker thread


def now(app: Flask) -> datetime:
    """The instant a job works with: always the app's clock, so tests can set it."""
    return app.extensions["clock"].now()


@contextmanager
def connection(app: Flask) -> Iterator[Connection]:
    """A connection of the job's own, closed when the job is done."""
    conn = kdb.connect(app.config["DATABASE"])
    try:
        yield conn
    finally:
        conn.close()


@contextmanager
def under_lease(holder: str, stop: Callable[[], bool] | None = None) -> Iterator[None]:
    """Marks the jobs run in this thread as running under `holder`'s lease; `stop` says when a
    job that runs on (the dispatcher's loop) must end: the process stops or lost the lease."""
    _running.holder, _running.stop = holder, stop
    try:
        yield
    finally:
        _running.holder = _running.stop = None


def stop_check() -> Callable[[], bool] | None:
    """The scheduler's "time to end" for a job that runs on; None outside the scheduler."""
    return getattr(_running, "stop", None)


def lease_guard(app: Flask) -> Callable[[Connection], None]:
    """A check for long jobs to call inside each chunk's write transaction.

    It raises LeaseLost when the job runs under a lease this process no longer holds, so no
    chunk commits once another process has taken over. Outside the scheduler (a test, a
    command) there is no lease and the check passes.
    """
    holder = getattr(_running, "holder", None)

    def check(db: Connection) -> None:
        if holder is not None and not lease.holds(db, holder, now(app)):
            raise LeaseLost(holder)
    return check
