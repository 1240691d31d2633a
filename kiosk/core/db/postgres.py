"""PostgreSQL behind the same names as SQLite: psycopg 3, a pool per database URL.

JobStop's statements are written once, with `?` placeholders, in the SQL both engines speak;
the few things SQLite writes its own way come from the helpers of kiosk.core.db and are
rewritten here, once per statement text (sql.translate). Rows read by name and by index like
sqlite3.Row. Parameters are bound on the client (psycopg's ClientCursor), so a bare `?`
takes its type from where it stands, as it does in SQLite.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from functools import lru_cache
from typing import Any

import psycopg
from psycopg import ClientCursor, errors
from psycopg import _queries as psycopg_queries
from psycopg.adapt import Loader
from psycopg.pq import TransactionStatus
from psycopg_pool import ConnectionPool

from kiosk.core.db import pgsql

WRITERS_LOCK = 7315_0001  # the advisory lock every transaction(immediate=True) holds
MIGRATIONS_LOCK = 7315_0002
POOL_WAIT = 10.0  # seconds a connect() waits for a free (or new) connection
POOL_MAX = int(os.environ.get("JOBSTOP_DATABASE_POOL_MAX", "20"))

# psycopg keeps a statement split into its parts (an LRU cache) only when it is short: 4 KB
# and 50 parameters, against an ORM's endless variants. JobStop's statements are a fixed set
# written in its code, and the long ones run the most (the outbox's 100-row INSERT, 1,200
# parameters, was split again on every run: ~15 µs a row). Where this psycopg has the limits,
# they are raised; anywhere else nothing changes.
if hasattr(psycopg_queries, "MAX_CACHED_STATEMENT_PARAMS"):
    psycopg_queries.MAX_CACHED_STATEMENT_LENGTH = 64 * 1024
    psycopg_queries.MAX_CACHED_STATEMENT_PARAMS = 4096


def is_url(target: str) -> bool:
    return target.startswith(("postgresql://", "postgres://"))


class Row(tuple):
    """A result row readable by index and by column name, like sqlite3.Row."""

    __slots__ = ()
    _index: dict[str, int] = {}

    def __getitem__(self, key: Any) -> Any:  # noqa: ANN401 - whatever the column holds
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._index)


def _row_factory(cursor: psycopg.Cursor) -> Any:  # noqa: ANN401 - psycopg's RowMaker
    return _row_class(tuple(column.name for column in cursor.description or ()))


@lru_cache(maxsize=4096)
def _row_class(names: tuple[str, ...]) -> type[Row]:
    """The Row class for a statement's columns, made once per set of names (not per statement run)."""
    index: dict[str, int] = {}
    for position, name in enumerate(names):
        index.setdefault(name, position)
    return type("Row", (Row,), {"__slots__": (), "_index": index})


class _NumberLoader(Loader):
    """numeric as SQLite gives it: an int when whole (sum of integers), else a float (avg)."""

    def load(self, data: bytes) -> int | float:
        value = Decimal(bytes(data).decode())
        return int(value) if value == value.to_integral_value() else float(value)


class Cursor(ClientCursor):
    """Runs JobStop's `?` statements; list parameters arrive as JSON text and go as arrays."""

    def execute(self, query: str, params: Sequence[Any] | None = None, **kwargs: Any) -> Cursor:  # noqa: ANN401
        statement = pgsql.translate(query)
        return super().execute(statement.text, statement.bind(params), **kwargs)

    def executemany(self, query: str, params_seq: Iterable[Sequence[Any]], **kwargs: Any) -> None:  # noqa: ANN401
        statement = pgsql.translate(query)
        super().executemany(statement.text, [statement.bind(p) for p in params_seq], **kwargs)

    def stream(self, query: str, params: Sequence[Any] | None = None, **kwargs: Any) -> Iterator[Any]:  # noqa: ANN401
        statement = pgsql.translate(query)
        return super().stream(statement.text, statement.bind(params), **kwargs)


class Connection:
    """One pooled PostgreSQL connection in autocommit mode; close() gives it back."""

    def __init__(self, pool: ConnectionPool, raw: psycopg.Connection) -> None:
        self._pool = pool
        self.raw = raw

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> Cursor:
        if sql == "BEGIN IMMEDIATE":  # what a SQLite writer says: the same writer's BEGIN here
            self.begin(immediate=True)
            return self.cursor()
        return self.cursor().execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> Cursor:
        cursor = self.cursor()
        cursor.executemany(sql, rows)
        return cursor

    def cursor(self, row_factory: Any = _row_factory) -> Cursor:  # noqa: ANN401
        return Cursor(self.raw, row_factory=row_factory)

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status in (TransactionStatus.INTRANS, TransactionStatus.INERROR,
                                                    TransactionStatus.ACTIVE)

    def begin(self, *, immediate: bool) -> None:
        """BEGIN; immediate: after every other immediate transaction, as SQLite's single writer."""
        self.raw.execute("BEGIN")
        if immediate:
            self.raw.execute("SELECT pg_advisory_xact_lock(%s)", (WRITERS_LOCK,))

    def commit(self) -> None:
        """Ends an open transaction, as sqlite3's commit does (nothing when none is open)."""
        if self.in_transaction:
            self.raw.execute("COMMIT")

    def close(self) -> None:
        if self.raw is not None:
            if not self.raw.closed and self.in_transaction:
                self.raw.execute("ROLLBACK")
            self._pool.putconn(self.raw)  # a broken one the pool drops
            self.raw = None

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


_pools: dict[str, ConnectionPool] = {}
_pools_lock = threading.Lock()


_lock_timeouts: weakref.WeakKeyDictionary[psycopg.Connection, int] = weakref.WeakKeyDictionary()


def _configure(raw: psycopg.Connection) -> None:
    raw.adapters.register_loader("numeric", _NumberLoader)
    raw.execute("SET TIME ZONE 'UTC'")
    # JobStop asks many small, indexed questions per request. A planner that expects a few
    # thousand rows starts a parallel worker for one, which costs more than the whole query
    # (the kiosk's "past their deadline" check: 0.05 ms of work, 55-100 ms with the worker).
    raw.execute("SET max_parallel_workers_per_gather = 0")
    # Nor JIT compiling: for the matcher's one large statement it spent 1.3 s compiling.
    raw.execute("SET jit = off")


def pool(url: str) -> ConnectionPool:
    """The process's pool for this database URL (JOBSTOP_DATABASE_POOL_MAX connections at most)."""
    with _pools_lock:
        found = _pools.get(url)
        if found is None:
            found = ConnectionPool(url, min_size=0, max_size=POOL_MAX, open=True, timeout=POOL_WAIT,
                                   kwargs={"autocommit": True}, configure=_configure,
                                   name="jobstop")
            _pools[url] = found
        return found


def connect(url: str, busy_ms: int) -> Connection:
    """A connection from the URL's pool, in autocommit mode; callers group writes with transaction().
    A writer waits busy_ms for a lock before it gives up (lock_timeout, as SQLite's busy timeout)."""
    chosen = pool(url)
    raw = chosen.getconn()
    if _lock_timeouts.get(raw) != busy_ms:
        raw.execute(f"SET lock_timeout = {int(busy_ms)}")
        _lock_timeouts[raw] = busy_ms
    return Connection(chosen, raw)


def _forget_pools_in_child() -> None:
    """A forked process (a gunicorn worker) starts its own pools; the parent's stay the parent's."""
    global _pools_lock
    _pools.clear()
    _pools_lock = threading.Lock()


os.register_at_fork(after_in_child=_forget_pools_in_child)


def close_pools(url: str | None = None) -> None:
    """Closes this process's pools (or one URL's): their connections end."""
    with _pools_lock:
        for key in [url] if url else list(_pools):
            found = _pools.pop(key, None)
            if found is not None:
                found.close()


def is_busy(exc: BaseException) -> bool:
    """Another writer holds what this one needs (lock timeout, deadlock, serialization)."""
    return isinstance(exc, errors.LockNotAvailable | errors.DeadlockDetected
                      | errors.SerializationFailure | errors.QueryCanceled)


def is_unique_violation(exc: BaseException) -> bool:
    return isinstance(exc, errors.UniqueViolation)


def execute_columns(db: Connection, sql: str, params: Sequence[Any]) -> int:
    """`sql` (psycopg's %s placeholders) whose parameters are mostly whole columns (lists), bound
    in binary as arrays (server-side: no quoting of every value); how many rows it changed."""
    with db.raw.cursor(binary=True) as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def tuple_cursor(db: Connection) -> Cursor:
    return db.cursor(row_factory=psycopg.rows.tuple_row)
