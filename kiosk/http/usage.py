"""Usage events from the web process: noted per request, written in batches by UsageBuffer."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from flask import Flask, current_app

from kiosk.core.db import Connection
from kiosk.http.db import get_db
from kiosk.stats import usage
from kiosk.stats.usage import Scalar, UsageBuffer


def record(db: Connection, kiosk_code: str | None, kind: str,
           detail: Mapping[str, Scalar], now: datetime) -> None:
    """Stores one event at once, with the change the request writes (a registration, a booking)."""
    usage.record(db, kiosk_code, kind, detail, now)


def note(kiosk_code: str | None, kind: str, detail: Mapping[str, Scalar], now: datetime) -> None:
    """Notes one event of the current request for the statistics; written with others later."""
    item = usage.event(kiosk_code, kind, detail, now)
    buffer = current_app.extensions["usage"]
    if buffer is None:
        usage.write(get_db(), [item])
    else:
        buffer.add(item)


def flush(app: Flask) -> int:
    """Writes the events this process still holds for app (before reading usage_events)."""
    buffer = app.extensions.get("usage")
    return buffer.flush() if buffer is not None else 0



def init_app(app: Flask) -> None:
    """After db.init_app: the buffer of this app, or None when events are written at once."""
    seconds = float(app.config["USAGE_FLUSH_SECONDS"])
    app.extensions["usage"] = UsageBuffer(
        app.config["DATABASE"], seconds=seconds, batch=int(app.config["USAGE_BATCH"]),
        limit=int(app.config["USAGE_MAX_PENDING"])) if seconds > 0 else None
