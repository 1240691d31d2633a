"""Usage events: which screens, searches and filters kiosks see, for the centers' statistics.

Never personal data: an event holds a kiosk code, a kind, a small detail and the time. Digits
that could be a phone or ID number (six or more in a row, even with separators) are blanked.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Mapping
from datetime import datetime

from kiosk.clock import iso

_NUMBER_LIKE = re.compile(r"\d(?:[\s.\-]*\d){5,}")
Scalar = str | int | float | bool | None


def scrub(value: Scalar) -> Scalar:
    """A detail value with anything number-like (phone, resident number) blanked out."""
    if isinstance(value, str):
        return _NUMBER_LIKE.sub("#", value)[:100]
    return value


def record(db: sqlite3.Connection, kiosk_code: str | None, kind: str,
           detail: Mapping[str, Scalar], now: datetime) -> None:
    """Stores one event; detail values are scalars, scrubbed of number-like text."""
    clean = {key: scrub(value) for key, value in detail.items() if value not in (None, "")}
    db.execute(
        "INSERT INTO usage_events (kiosk_code, kind, detail, at) VALUES (?, ?, ?, ?)",
        (kiosk_code, kind, json.dumps(clean, ensure_ascii=False, sort_keys=True), iso(now)),
    )

