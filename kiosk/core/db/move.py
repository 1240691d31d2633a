"""Moving an installation from its SQLite file into an empty PostgreSQL database.

The target gets the schema from the migrations, then every table's rows (COPY, in foreign-key
order, with the tables' own triggers off: their derived rows come along as rows), then its
auto ids continue after the highest copied one. All in one transaction: a failure leaves the
target empty. Each table's row count and checksum (a sum of per-row digests, so row order
does not matter) are compared before the commit.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.core.db import migrator, postgres, sqlite

SKIPPED = {"schema_migrations"}  # the target's migrations write their own


class MoveRefused(Exception):
    """The move cannot start (a non-empty target, a source that is not SQLite)."""


class MoveFailed(Exception):
    """A table arrived different from how it left: nothing was committed."""


@dataclass(frozen=True)
class Moved:
    table: str
    rows: int
    checksum: str


def move(source_path: str, url: str, say: Callable[[str], None] = lambda _text: None) -> list[Moved]:
    """Copies the SQLite database at source_path into the empty PostgreSQL database at url."""
    if postgres.is_url(source_path):
        raise MoveRefused("the installation's database is already PostgreSQL")
    source = sqlite.connect(source_path)
    target = postgres.connect(url, sqlite.BUSY_TIMEOUT_MS)
    try:
        if _tables(target):
            raise MoveRefused("the target database is not empty; give an empty one")
        migrator.migrate(source)  # both at the same schema
        migrator.migrate(target)
        tables = [t for t in _in_key_order(target) if t not in SKIPPED]
        with target.raw.transaction():
            moved = [_copy(source, target, table, say) for table in tables]
            _continue_ids(target)
            _verify(target, moved)
        return moved
    finally:
        source.close()
        target.close()


def _tables(target: postgres.Connection) -> list[str]:
    return [r[0] for r in target.raw.execute(
        "SELECT table_name FROM information_schema.tables"
        " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")]


def _in_key_order(target: postgres.Connection) -> list[str]:
    """The tables, each after the tables its foreign keys point to."""
    tables = sorted(_tables(target))
    needs = {t: set() for t in tables}
    for child, parent in target.raw.execute(
            "SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint WHERE contype = 'f'"):
        if child in needs and parent != child:
            needs[child].add(parent)
    ordered: list[str] = []
    while needs:
        ready = sorted(t for t, parents in needs.items() if not parents - set(ordered)) or sorted(needs)
        ordered += ready
        for table in ready:
            del needs[table]
    return ordered


def _columns(target: postgres.Connection, table: str) -> list[str]:
    return [r[0] for r in target.raw.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()"
        " AND table_name = %s ORDER BY ordinal_position", (table,))]


def _copy(source: sqlite3.Connection, target: postgres.Connection, table: str,
          say: Callable[[str], None]) -> Moved:
    columns = _columns(target, table)
    names = ", ".join(f'"{c}"' for c in columns)
    digest, rows = 0, 0
    target.raw.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
    target.raw.execute(f'DELETE FROM "{table}"')  # what a migration seeded (content_version) comes along
    with target.raw.cursor().copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
        for row in source.execute(f'SELECT {names} FROM "{table}"'):  # noqa: S608 - the schema's names
            copy.write_row(tuple(row))
            digest, rows = (digest + _row_digest(row)) % 2**128, rows + 1
    target.raw.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')
    say(f"{table}: {rows} rows")
    return Moved(table, rows, f"{digest:032x}")


def _row_digest(row: tuple) -> int:
    text = "\x1f".join("\x00" if v is None else repr(v) if isinstance(v, float) else str(v) for v in row)
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:16], "big")


def _continue_ids(target: postgres.Connection) -> None:
    """Each identity column's next value comes after the highest copied id."""
    for table, column in target.raw.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND is_identity = 'YES'").fetchall():
        target.raw.execute(f'SELECT setval(pg_get_serial_sequence(%s, %s), coalesce(max("{column}"), 0) + 1, false)'
                           f' FROM "{table}"', (f'"{table}"', column))


def _verify(target: postgres.Connection, moved: list[Moved]) -> None:
    """Reads every table back from the target: the same rows, by count and by checksum."""
    for expected in moved:
        names = ", ".join(f'"{c}"' for c in _columns(target, expected.table))
        digest, rows = 0, 0
        for row in target.raw.execute(f'SELECT {names} FROM "{expected.table}"'):  # noqa: S608
            digest, rows = (digest + _row_digest(row)) % 2**128, rows + 1
        if (rows, f"{digest:032x}") != (expected.rows, expected.checksum):
            raise MoveFailed(f"{expected.table}: {rows} rows arrived of {expected.rows}, or they differ")
