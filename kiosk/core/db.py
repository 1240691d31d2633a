"""The database: connections, explicit transactions, numbered migrations.

The only module that knows the database is SQLite: the only one that imports sqlite3, and
the one place for SQL that SQLite writes its own way (a list bound as one parameter, substring
tests, comma-joined aggregates, PRAGMAs, what a failed statement means). The rest of JobStop
types against the names below and builds such SQL with the helpers here, so another engine
replaces this module; tests/unit/test_sql_portability.py keeps it so.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

Connection = sqlite3.Connection
Cursor = sqlite3.Cursor
Row = sqlite3.Row
Error = sqlite3.Error
IntegrityError = sqlite3.IntegrityError
OperationalError = sqlite3.OperationalError

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


def is_busy(exc: sqlite3.OperationalError) -> bool:
    """Another writer holds the database ('database is locked' / 'busy'): worth another try."""
    return getattr(exc, "sqlite_errorcode", 0) & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def is_unique_violation(exc: sqlite3.IntegrityError) -> bool:
    """A UNIQUE constraint or index refused the row (not a foreign key, NOT NULL or CHECK)."""
    return "UNIQUE" in str(exc)


def rollback_if_open(db: sqlite3.Connection) -> None:
    """Ends a transaction a failed statement (or a finished request) left open."""
    if db.in_transaction:
        db.execute("ROLLBACK")


def use_cache(db: sqlite3.Connection, megabytes: int) -> None:
    """A page cache of this size for this connection (SQLite's default is 2 MB)."""
    db.execute(f"PRAGMA cache_size = -{int(megabytes) * 1024}")


def tuple_cursor(db: sqlite3.Connection) -> sqlite3.Cursor:
    """A cursor whose rows are plain tuples: cheaper than Row when reading millions of them."""
    cursor = db.cursor()
    cursor.row_factory = None
    return cursor


# ---- SQL that each engine writes its own way: callers build statements from these. ----

def in_list(column: str) -> str:
    """`column` is one of a list bound as one parameter, list_param(values)."""
    return f"{column} IN (SELECT value FROM json_each(?))"


def list_rows(alias: str) -> str:
    """A list bound as one parameter, list_param(values), as a table: `alias.value` is an item,
    `alias.key` its place in the list (to keep the list's order)."""
    return f"json_each(?) {alias}"


def list_param(values: Iterable[int | str]) -> str:
    """The one parameter that in_list and list_rows read a list from."""
    return json.dumps(list(values))


def list_params(values: Sequence[int | str], size: int = 500) -> Iterator[str]:
    """list_param of each run of `size` values: long lists go in several short statements
    (each in a transaction of its own, so other writers wait only briefly)."""
    for start in range(0, len(values), size):
        yield list_param(values[start:start + size])


def contains(text: str) -> str:
    """The SQL expression `text` contains a string bound as one parameter (case-sensitive)."""
    return f"instr({text}, ?) > 0"


def comma_joined(expression: str) -> str:
    """The aggregate joining a group's values of `expression` with commas."""
    return f"group_concat({expression})"


def data_version(db: sqlite3.Connection) -> tuple[int, int]:
    """Differs whenever the database changed as db sees it: another connection committed
    (SQLite's data_version, other processes included) or db made a change itself."""
    return db.execute("PRAGMA data_version").fetchone()[0], db.total_changes


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
    """(version, name, sql) for every file in kiosk/core/migrations, in order."""
    found = []
    for entry in resources.files("kiosk.core.migrations").iterdir():
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
            rollback_if_open(db)
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


def backup(path: str, target: str) -> int:
    """A consistent copy of the database at path, taken with SQLite's online backup API while
    other processes keep writing; returns its size in bytes. The copy is one self-contained
    file that passed PRAGMA integrity_check, and appears under its name only when whole."""
    final = Path(target)
    draft = final.with_name(f".{final.name}.partial")
    draft.unlink(missing_ok=True)
    source, copy = connect(path), sqlite3.connect(draft)
    try:
        source.backup(copy)  # in one step: one read snapshot, while writers carry on (WAL)
        copy.execute("PRAGMA journal_mode = DELETE")  # no -wal file beside it; `migrate` turns WAL back on
        verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        copy.close()
        source.close()
    if verdict != "ok":
        draft.unlink()
        raise sqlite3.DatabaseError(f"the copy failed its integrity check: {verdict}")
    draft.replace(final)
    return final.stat().st_size
