"""SQLite, the embedded default: connections, its errors, its page cache, online backup.

The helpers below write SQL the way SQLite spells it (a list bound as one parameter, substring
tests, comma-joined aggregates); kiosk.core.db.pgsql rewrites those forms for PostgreSQL.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

BUSY_TIMEOUT_MS = 5000


def connect(path: str, busy_ms: int = BUSY_TIMEOUT_MS) -> sqlite3.Connection:
    """A connection in autocommit mode; callers group writes with transaction()."""
    db = sqlite3.connect(path, isolation_level=None, check_same_thread=False,
                         timeout=busy_ms / 1000)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA foreign_keys = ON")
    db.execute(f"PRAGMA busy_timeout = {int(busy_ms)}")
    db.execute("PRAGMA synchronous = NORMAL")
    return db


def is_busy(exc: sqlite3.OperationalError) -> bool:
    """Another writer holds the database ('database is locked' / 'busy'): worth another try."""
    return getattr(exc, "sqlite_errorcode", 0) & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def is_unique_violation(exc: sqlite3.IntegrityError) -> bool:
    """A UNIQUE constraint or index refused the row (not a foreign key, NOT NULL or CHECK)."""
    return "UNIQUE" in str(exc)


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


def skip_locked_rows() -> str:
    """Ends a subquery that picks rows to claim: rows another writer is claiming right now are
    left to it (PostgreSQL's FOR UPDATE SKIP LOCKED; SQLite has one writer and needs none)."""
    return " /* FOR UPDATE SKIP LOCKED */"


def comma_joined(expression: str) -> str:
    """The aggregate joining a group's values of `expression` with commas."""
    return f"group_concat({expression})"


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
