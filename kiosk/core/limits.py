"""Hourly caps on what one client address, kiosk device, visitor or number may ask for.

Against SMS pumping and floods of texts to counselors: each counted action (a login code, a
job sent to a phone, a request to a counselor) is a row in limit_events for every scope it
counts toward. A cap on the whole installation alerts staff (an error in the log) the moment
it fills, and each narrower cap sits well below it, so a single client cannot use it up.
Call take() inside the write transaction that does the action, so the count and the action
stand or fall together.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from kiosk.core.clock import iso, parse_iso
from kiosk.core.db import Connection

log = logging.getLogger(__name__)

WINDOW = timedelta(hours=1)
KEPT_FOR = timedelta(days=1)


class Limited(Exception):
    """A cap is reached: .reason names it ('client', 'device', 'all', ...); .retry_at when one frees."""

    def __init__(self, reason: str, retry_at: datetime) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_at = retry_at


@dataclass(frozen=True)
class Cap:
    scope: str      # 'client', 'device', 'visitor', 'number' or 'all'
    subject: str    # a fingerprint (fingerprint()); '' for the whole installation
    per_hour: int   # 0 or less: no cap


def fingerprint(value: str, secret: str) -> str:
    """A keyed hash of an address, a device id or a number: countable, not readable."""
    return hmac.new(secret.encode(), f"limit:{value}".encode(), hashlib.sha256).hexdigest()[:32]


def caps(settings: Mapping[str, Any], action: str, secret: str, **subjects: str) -> list[Cap]:
    """The caps one `action` counts toward: one per scope=value given, from the settings
    <ACTION>S_PER_<SCOPE>_PER_HOUR, and the installation's, <ACTION>S_PER_HOUR."""
    name = action.upper()
    found = [Cap(scope, fingerprint(f"{scope}:{value}", secret), int(settings[f"{name}S_PER_{scope.upper()}_PER_HOUR"]))
             for scope, value in subjects.items()]
    return [*found, Cap("all", "", int(settings[f"{name}S_PER_HOUR"]))]


def take(db: Connection, action: str, caps: Sequence[Cap], now: datetime) -> None:
    """Counts one `action` toward every cap, or raises Limited for the first one reached and
    counts nothing."""
    since, active = iso(now - WINDOW), [cap for cap in caps if cap.per_hour > 0]
    ceiling = None  # the installation's cap, when this action fills it
    for cap in active:
        # The cap's last two places (its last one when it is 1): both taken, it is full (and frees
        # when the older leaves the window); only one taken, this action takes the last place.
        places = min(cap.per_hour, 2)
        taken = db.execute(
            "SELECT at FROM limit_events WHERE action = ? AND scope = ? AND subject = ? AND at > ?"
            " ORDER BY at DESC LIMIT ? OFFSET ?",
            (action, cap.scope, cap.subject, since, places, cap.per_hour - places),
        ).fetchall()
        if len(taken) == places:
            raise Limited(cap.scope, parse_iso(taken[-1]["at"]) + WINDOW)
        if len(taken) == places - 1 and cap.scope == "all":
            ceiling = cap
    db.executemany("INSERT INTO limit_events (action, scope, subject, at) VALUES (?, ?, ?, ?)",
                   [(action, cap.scope, cap.subject, iso(now)) for cap in active])
    if ceiling is not None:
        log.error("the installation's hourly ceiling for %s (%d an hour) is reached: further"
                  " requests are refused until the hour has passed", action, ceiling.per_hour)


def purge_old(db: Connection, now: datetime) -> int:
    """Deletes counts older than a day (they no longer count toward any cap); how many."""
    return db.execute("DELETE FROM limit_events WHERE at < ?", (iso(now - KEPT_FOR),)).rowcount
