"""The request's database connection: one per worker thread, kept between requests."""

from __future__ import annotations

import threading
from pathlib import Path

from flask import Flask, current_app, g

from kiosk.core.db import Connection, connect, engine, rollback_if_open


def get_db() -> Connection:
    """The current request's connection: the worker thread's own, kept between requests
    (on PostgreSQL, one from the process's pool until the request ends: close_db).

    Opening a SQLite connection costs about as much as a whole cached query, and a kept one
    keeps its page cache warm. A thread serves one request at a time, so nothing is shared.
    """
    if "db" not in g:
        local = current_app.extensions["db_connections"]
        if getattr(local, "db", None) is None:
            local.db = connect(current_app.config["DATABASE"])
        g.db = local.db
    return g.db


def close_db(_exc: BaseException | None = None) -> None:
    """End of a request: nothing it began stays open for the next one on this thread.

    A PostgreSQL connection goes back to the process's pool: threads come and go (the
    development server starts one per request), and a pool's connections are cheap to take.
    """
    db = g.pop("db", None)
    if db is not None:
        rollback_if_open(db)
        if engine(db) == "postgresql":
            forget_connections(current_app)


def forget_connections(app: Flask) -> None:
    """Drops this thread's kept connection (after init-db replaced the file, say)."""
    local = app.extensions["db_connections"]
    if getattr(local, "db", None) is not None:
        local.db.close()
        local.db = None


def database_path(app: Flask) -> str:
    return app.config["DATABASE"] or str(Path(app.instance_path) / "jobstop.sqlite3")


def init_app(app: Flask) -> None:
    app.config["DATABASE"] = database_path(app)
    app.extensions["db_connections"] = threading.local()
    app.teardown_appcontext(close_db)
