"""Helpers every job module shares: the app's clock and a connection of its own."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from flask import Flask

from kiosk import db as kdb


def now(app: Flask) -> datetime:
    """The instant a job works with: always the app's clock, so tests can set it."""
    return app.extensions["clock"].now()


@contextmanager
def connection(app: Flask) -> Iterator[sqlite3.Connection]:
    """A connection of the job's own, closed when the job is done."""
    conn = kdb.connect(app.config["DATABASE"])
    try:
        yield conn
    finally:
        conn.close()
