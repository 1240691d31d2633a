"""SQLite access: one connection per request, explicit transactions, numbered migrations."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from flask import Flask, current_app, g

BUSY_TIMEOUT_MS = 5000


def connect(path: str) -> sqlite3.Connection:
    """A connection in autocommit mode; callers group writes with transaction()."""
    db = sqlite3.connect(path, isolation_level=None, check_same_thread=False,
                         timeout=BUSY_TIMEOUT_MS / 1000)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA foreign_keys = ON")
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA synchronous = NORMAL")
    return db


def get_db() -> sqlite3.Connection:
    """The current request's connection: the worker thread's own, kept between requests.

    Opening a connection costs about as much as a whole cached query, and a kept one keeps
    its page cache warm. A thread serves one request at a time, so nothing is shared.
    """
    if "db" not in g:
        local = current_app.extensions["db_connections"]
        if getattr(local, "db", None) is None:
            local.db = connect(current_app.config["DATABASE"])
        g.db = local.db
    return g.db


def data_version(db: sqlite3.Connection) -> tuple[int, int]:
    """Differs whenever the database changed as db sees it: another connection committed
    (SQLite's data_version, other processes included) or db made a change itself."""
    return db.execute("PRAGMA data_version").fetchone()[0], db.total_changes


def close_db(_exc: BaseException | None = None) -> None:
    """End of a request: nothing it began stays open for the next one on this thread."""
    db = g.pop("db", None)
    if db is not None and db.in_transaction:
        db.execute("ROLLBACK")


def forget_connections(app: Flask) -> None:
    """Drops this thread's kept connection (after init-db replaced the file, say)."""
    local = app.extensions["db_connections"]
    if getattr(local, "db", None) is not None:
        local.db.close()
        local.db = None


@contextmanager
def transaction(db: sqlite3.Connection, *, immediate: bool = True) -> Iterator[sqlite3.Connection]:
    """BEGIN (IMMEDIATE, so writers queue instead of failing late) ... COMMIT or ROLLBACK."""
    if db.in_transaction:  # nested: the outer transaction decides
        yield db
        return
    db.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def migration_files() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every file in kiosk/migrations, in order."""
    found = []
    for entry in resources.files("kiosk.migrations").iterdir():
        if entry.name.endswith(".sql") and entry.name[:4].isdigit():
            version = int(entry.name[:4])
            found.append((version, entry.name[5:-4], entry.read_text(encoding="utf-8")))
    return sorted(found)


def migrate(db: sqlite3.Connection, upto: int | None = None) -> list[str]:
    """Applies the migrations this database has not seen (up to a version); safe to repeat."""
    db.execute("PRAGMA journal_mode = WAL")
    db.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL"
        " DEFAULT CURRENT_TIMESTAMP)"
    )
    applied = {row[0] for row in db.execute("SELECT version FROM schema_migrations")}
    done = []
    for version, name, sql in migration_files():
        if version in applied or (upto is not None and version > upto):
            continue
        # executescript commits first; the migration's own BEGIN/COMMIT keeps it atomic.
        try:
            db.executescript(
                f"BEGIN;\n{sql}\n;INSERT INTO schema_migrations (version, name) "
                f"VALUES ({version}, '{name}');\nCOMMIT;"
            )
        except sqlite3.Error:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        done.append(f"{version:04d}_{name}")
    return done


def init_db(path: str) -> list[str]:
    """A fresh database at path (an existing file is replaced), migrated to the latest schema."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = connect(path)
    try:
        return migrate(db)
    finally:
        db.close()


def database_path(app: Flask) -> str:
    return app.config["DATABASE"] or str(Path(app.instance_path) / "jobstop.sqlite3")


def init_app(app: Flask) -> None:
    app.config["DATABASE"] = database_path(app)
    app.extensions["db_connections"] = threading.local()
    app.teardown_appcontext(close_db)
