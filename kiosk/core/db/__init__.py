"""The database: connections, explicit transactions, numbered migrations, on either engine.

A database target is a path (SQLite, the embedded default, in one file) or a
postgresql://... URL (PostgreSQL through psycopg 3 and a pool). Everything else in JobStop
types against the names here and writes its SQL once: `?` or `:name` parameters, SQL both
engines read, and these helpers where SQLite and PostgreSQL spell something differently
(in_list, list_rows, contains, comma_joined; RETURNING id, INSERT ... ON CONFLICT).
Only this package knows which engine it talks to; tests/unit/test_sql_portability.py keeps it so.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg

from kiosk.core.db import migrator, postgres, sqlite
from kiosk.core.db.sqlite import (  # noqa: F401 - the SQL helpers, in the form both engines read
    BUSY_TIMEOUT_MS,
    comma_joined,
    contains,
    in_list,
    list_param,
    list_params,
    list_rows,
    skip_locked_rows,
)

Connection = sqlite3.Connection | postgres.Connection
Row = sqlite3.Row | postgres.Row
Error = (sqlite3.Error, psycopg.Error)
IntegrityError = (sqlite3.IntegrityError, psycopg.IntegrityError)
OperationalError = (sqlite3.OperationalError, psycopg.OperationalError)



def is_postgres_url(target: str) -> bool:
    """A postgresql:// (or postgres://) URL rather than a SQLite file path."""
    return postgres.is_url(target)


def engine(db: Connection) -> str:
    """'sqlite' or 'postgresql'."""
    return "postgresql" if isinstance(db, postgres.Connection) else "sqlite"


def connect(target: str) -> Connection:
    """A connection in autocommit mode; callers group writes with transaction()."""
    if is_postgres_url(target):
        return postgres.connect(target, BUSY_TIMEOUT_MS)
    return sqlite.connect(target, BUSY_TIMEOUT_MS)


def backup(target: str, copy_to: str) -> int:
    """A consistent copy of a SQLite database while it is in use (sqlite.backup); its size.
    PostgreSQL is copied with pg_dump (docs/deploy.md)."""
    if is_postgres_url(target):
        raise ValueError("a PostgreSQL database is backed up with pg_dump (docs/deploy.md)")
    return sqlite.backup(target, copy_to)


def close_pools() -> None:
    """Ends this process's pooled PostgreSQL connections (after a fork, at exit, in tests)."""
    postgres.close_pools()


def is_busy(exc: BaseException) -> bool:
    """Another writer holds the database (or the rows) past the wait: worth another try."""
    if isinstance(exc, sqlite3.OperationalError):
        return sqlite.is_busy(exc)
    return postgres.is_busy(exc)


def is_unique_violation(exc: BaseException) -> bool:
    """A UNIQUE constraint or index refused the row (not a foreign key, NOT NULL or CHECK)."""
    if isinstance(exc, sqlite3.IntegrityError):
        return sqlite.is_unique_violation(exc)
    return postgres.is_unique_violation(exc)


def insert_columns(db: Connection, sql: str, columns: list) -> int | None:
    """A bulk INSERT whose parameters are whole columns, on PostgreSQL (`sql` is PostgreSQL's,
    e.g. INSERT ... SELECT FROM unnest(%s::text[], ...)): how many rows it added. None on
    SQLite, whose multi-row VALUES the caller uses instead."""
    if engine(db) == "sqlite":
        return None
    return postgres.execute_columns(db, sql, columns)


def single_writer(db: Connection) -> bool:
    """True where writers take turns anyway (SQLite). On PostgreSQL a transaction that changes
    only rows it already holds (a claimed message, by id) can run beside the others, without
    the writers' lock (transaction(immediate=False)): its UPDATE locks the rows it changes."""
    return engine(db) == "sqlite"


def lock_key(db: Connection, key: str) -> None:
    """Inside a transaction: until it ends, no other transaction that locks the same key runs
    past this point (PostgreSQL's advisory lock on the key's hash; SQLite has one writer)."""
    if engine(db) == "postgresql":
        db.execute("SELECT pg_advisory_xact_lock(hashtext(?))", (key,))


def rollback_if_open(db: Connection) -> None:
    """Ends a transaction a failed statement (or a finished request) left open."""
    if db.in_transaction:
        db.execute("ROLLBACK")


def use_cache(db: Connection, megabytes: int) -> None:
    """A page cache of this size for this connection (SQLite's; PostgreSQL's is the server's)."""
    if engine(db) == "sqlite":
        sqlite.use_cache(db, megabytes)


def tuple_cursor(db: Connection) -> Any:  # noqa: ANN401 - the engine's cursor
    """A cursor whose rows are plain tuples: cheaper than Row when reading millions of them."""
    return postgres.tuple_cursor(db) if engine(db) == "postgresql" else sqlite.tuple_cursor(db)


def streamed_rows(db: Connection, sql: str, params: Sequence[Any]) -> Iterator[tuple]:
    """A query's rows as plain tuples, each as soon as the database has it: PostgreSQL's server
    goes on computing the next while the caller works on this one (SQLite's rows always come so)."""
    if engine(db) == "postgresql":
        return postgres.tuple_cursor(db).stream(sql, params)
    return sqlite.tuple_cursor(db).execute(sql, params)


@contextmanager
def statement_may_fail(db: Connection) -> Iterator[Connection]:
    """Around a statement whose failure the caller handles (a constraint refusing a row): when
    it fails only it is undone and the transaction goes on, as SQLite always does (PostgreSQL
    would abort the whole transaction: a savepoint keeps the rest)."""
    if engine(db) == "sqlite" or not db.in_transaction:
        yield db
        return
    db.execute("SAVEPOINT statement_may_fail")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK TO SAVEPOINT statement_may_fail")
        raise
    db.execute("RELEASE SAVEPOINT statement_may_fail")


def table_names(db: Connection) -> list[str]:
    """The database's own tables (not views, not the engine's), by name."""
    if engine(db) == "postgresql":
        sql = ("SELECT table_name FROM information_schema.tables"
               " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1")
    else:
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1"
    return [row[0] for row in db.execute(sql)]


def data_version(db: Connection) -> int:
    """Changes whenever what the content caches show changed, by any connection on any machine:
    the counter the content tables' triggers count up (migration 0014); session, usage and
    outbox writes leave it alone."""
    return db.execute("SELECT n FROM content_version").fetchone()[0]


@contextmanager
def transaction(db: Connection, *, immediate: bool = True) -> Iterator[Connection]:
    """BEGIN ... COMMIT or ROLLBACK. immediate: this transaction writes, and runs after every
    other immediate one (SQLite's BEGIN IMMEDIATE; on PostgreSQL a transaction-wide lock), so
    what it read stays true until it commits."""
    if db.in_transaction:  # nested: the outer transaction decides
        yield db
        return
    if engine(db) == "sqlite":
        db.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")  # writers queue instead of failing late
    else:
        db.begin(immediate=immediate)
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def migrate(db: Connection, upto: int | None = None) -> list[str]:
    """Applies the migrations this database has not seen (up to a version); safe to repeat."""
    return migrator.migrate(db, upto)


def init_db(target: str) -> list[str]:
    """A fresh database at target (an existing one is emptied), migrated to the latest schema."""
    return migrator.init_db(target)


def migration_files(engine_name: str = "sqlite") -> list[tuple[int, str, str]]:
    """(version, name, sql) of every migration as this engine runs it, in order."""
    return migrator.migration_files(engine_name)
