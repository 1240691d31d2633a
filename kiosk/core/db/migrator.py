"""Numbered migrations, one set for both engines, recorded in schema_migrations.

kiosk/core/migrations/NNNN_name.sql is shared: SQLite runs it as written, PostgreSQL as
kiosk.core.db.pgsql.migration_sql rewrites it. NNNN_name.sqlite.sql or NNNN_name.postgresql.sql
replaces it for that engine where the SQL must differ: all of it, or only what follows the
shared file's line OWN_FROM_HERE (docs/architecture.md has the rules).
"""

from __future__ import annotations

import re
import sqlite3
from importlib import resources
from pathlib import Path

from kiosk.core.db import pgsql, postgres, sqlite

_FILE = re.compile(r"^(\d{4})_(\w+?)(?:\.(sqlite|postgresql))?\.sql$")
OWN_FROM_HERE = "-- Each engine's own from here"  # a shared file's line: a dialect file replaces the rest
REBUILDS_TABLES = "-- Rebuilds tables"  # a SQLite file's line: run with foreign keys off, checked before commit


def migrate(db: sqlite3.Connection | postgres.Connection, upto: int | None = None) -> list[str]:
    """Applies the migrations this database has not seen (up to a version); safe to repeat."""
    if isinstance(db, postgres.Connection):
        return _migrate_postgres(db, migration_files("postgresql"), upto)
    return _migrate_sqlite(db, migration_files("sqlite"), upto)


def init_db(target: str) -> list[str]:
    """A fresh database at target (an existing one is emptied), migrated to the latest schema."""
    if postgres.is_url(target):
        return _init_postgres(target, migration_files("postgresql"))
    return _init_sqlite(target, migration_files("sqlite"))


def migration_files(engine_name: str) -> list[tuple[int, str, str]]:
    """(version, name, sql) of every migration as this engine runs it, in order: a file
    NNNN_name.<engine>.sql replaces NNNN_name.sql for its engine (from its OWN_FROM_HERE line
    on, where it has one); a shared file is read by PostgreSQL through
    kiosk.core.db.pgsql.migration_sql (docs/architecture.md)."""
    shared: dict[int, tuple[str, str]] = {}
    own: dict[int, tuple[str, str]] = {}
    for entry in resources.files("kiosk.core.migrations").iterdir():
        found = _FILE.match(entry.name)
        if found is not None and found.group(3) in (None, engine_name):
            chosen = own if found.group(3) else shared
            chosen[int(found.group(1))] = (found.group(2), entry.read_text(encoding="utf-8"))
    files = []
    for version in sorted(shared.keys() | own.keys()):
        name, sql = shared.get(version, ("", ""))
        if engine_name == "postgresql":
            sql = pgsql.migration_sql(sql)
        if version in own:
            name, replacing = own[version]
            sql = sql.partition(OWN_FROM_HERE)[0] if OWN_FROM_HERE in sql else ""
            sql += replacing
        files.append((version, name, sql))
    return files


def _migrate_sqlite(db: sqlite3.Connection, files: list[tuple[int, str, str]], upto: int | None = None) -> list[str]:
    """Applies the migrations this database has not seen (up to a version); safe to repeat."""
    db.execute("PRAGMA journal_mode = WAL")
    db.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL"
        " DEFAULT CURRENT_TIMESTAMP)"
    )
    applied = {row[0] for row in db.execute("SELECT version FROM schema_migrations")}
    done = []
    for version, name, sql in files:
        if version in applied or (upto is not None and version > upto):
            continue
        _apply_sqlite(db, version, name, sql)
        done.append(f"{version:04d}_{name}")
    return done


def _apply_sqlite(db: sqlite3.Connection, version: int, name: str, sql: str) -> None:
    """One migration in one transaction. A file that rebuilds a table (SQLite cannot alter a
    CHECK) runs with foreign keys off, as SQLite's own procedure asks, and every key is
    checked before it commits."""
    rebuilds = REBUILDS_TABLES in sql
    if rebuilds:
        db.execute("PRAGMA foreign_keys = OFF")
    # executescript commits first; the migration's own BEGIN keeps it atomic.
    try:
        db.executescript(f"BEGIN;\n{sql}\n;INSERT INTO schema_migrations (version, name) "
                         f"VALUES ({version}, '{name}');")
        if rebuilds and db.execute("PRAGMA foreign_key_check").fetchone() is not None:
            raise sqlite3.IntegrityError(f"migration {version:04d} leaves rows pointing nowhere")
        db.execute("COMMIT")
    except sqlite3.Error:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    finally:
        if rebuilds:
            db.execute("PRAGMA foreign_keys = ON")


def _init_sqlite(path: str, files: list[tuple[int, str, str]]) -> list[str]:
    """A fresh database at path (an existing file is replaced), migrated to the latest schema."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = sqlite.connect(path)
    try:
        return _migrate_sqlite(db, files)
    finally:
        db.close()


def _migrate_postgres(db: postgres.Connection, files: list[tuple[int, str, str]], upto: int | None = None) -> list[str]:
    """Applies the migrations this database has not seen, each in its own transaction; two
    processes starting at once take turns (an advisory lock), the second finds nothing to do."""
    raw = db.raw
    with raw.transaction():
        raw.execute("SELECT pg_advisory_xact_lock(%s)", (postgres.MIGRATIONS_LOCK,))
        raw.execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
                    " version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL"
                    " DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'))")
    done = []
    for version, name, sql in files:
        if upto is not None and version > upto:
            break
        with raw.transaction():
            raw.execute("SELECT pg_advisory_xact_lock(%s)", (postgres.MIGRATIONS_LOCK,))
            if raw.execute("SELECT 1 FROM schema_migrations WHERE version = %s", (version,)).fetchone():
                continue
            raw.execute(sql.encode())  # no parameters: several statements, % as written
            raw.execute("INSERT INTO schema_migrations (version, name) VALUES (%s, %s)", (version, name))
        done.append(f"{version:04d}_{name}")
    return done


def _init_postgres(url: str, files: list[tuple[int, str, str]]) -> list[str]:
    """Empties the database at url (its public schema) and migrates it to the latest schema."""
    db = postgres.connect(url, sqlite.BUSY_TIMEOUT_MS)
    try:
        db.raw.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public")
        return _migrate_postgres(db, files)
    finally:
        db.close()
