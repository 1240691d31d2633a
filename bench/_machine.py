"""What the benchmarks print about the machine they ran on."""

from __future__ import annotations

import sqlite3
import time
from urllib.parse import urlsplit, urlunsplit


def reference() -> float:
    """A trivial in-memory SQLite insert, µs per row: how fast and how busy this machine is now.

    Measured at 3.9–4.8 µs/row on this 2-core machine when idle, up to 15 under other work.
    """
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT UNIQUE)")
    started = time.perf_counter()
    with conn:
        conn.executemany("INSERT INTO t (a, b) VALUES (?, ?)", ((f"a{i}", f"b{i}") for i in range(100_000)))
    conn.close()
    return (time.perf_counter() - started) / 100_000 * 1e6


def load() -> str:
    """The load averages (1, 5, 15 minutes): other work on the machine while a figure was taken."""
    with open("/proc/loadavg") as averages:
        return " ".join(averages.read().split()[:3])


def is_postgres(target: str | None) -> bool:
    return bool(target) and target.startswith(("postgresql://", "postgres://"))


def on_server(server: str, name: str) -> str:
    """server (a postgresql:// URL) with database `name` instead of its own."""
    parts = urlsplit(server)
    return urlunsplit(parts._replace(path=f"/{name}"))


def fresh_postgres(server: str, name: str) -> str:
    """A new, empty database `name` on the PostgreSQL server (dropped first if it is there); its URL."""
    import psycopg  # only the PostgreSQL runs need it

    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
    return on_server(server, name)


def drop_postgres(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def copied_into_postgres(source: str, server: str, name: str) -> tuple[str, float]:
    """A new database `name` on server holding a copy of the SQLite database at source (the
    tables' rows as they are, with `jobstop move-to-postgres`), analyzed; its URL and the
    seconds the copy took. Building large data through PostgreSQL's triggers row by row takes
    far longer than on SQLite, and a copy compares both engines on the very same rows."""
    from kiosk.core import db
    from kiosk.core.db import move

    started = time.perf_counter()
    url = fresh_postgres(server, name)
    move.move(source, url)
    conn = db.connect(url)
    conn.execute("VACUUM ANALYZE")
    conn.close()
    return url, time.perf_counter() - started
