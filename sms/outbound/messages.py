"""A message as the outbox stores it: the fields enqueue takes, checked; its status, due time
and segments decided when it is queued; and how a batch's rows bind to one multi-row INSERT.

No SQL is run here; sms.outbound.outbox writes the rows.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from itertools import chain
from typing import Any

from kiosk.core.clock import iso
from sms.outbound import compose, quiet

KINDS = ("otp", "transactional", "alert")
# E.164 numbers, one per line: a batch's numbers are checked with one match (ASCII digits
# only: \d takes any script's).
_E164_LINES = re.compile(r"(?:\+[1-9][0-9]{6,14}\n)*")
FIELDS = frozenset(("to", "body", "kind", "dedupe_key", "send_at", "valid_until", "night_ok", "seeker_id",
                    "opening_id", "appointment_id", "language"))

COLUMNS = ("to_number, body, kind, dedupe_key, status, reason, language, night_ok, next_attempt_at, valid_until,"
           " segments, encoding, seeker_id, opening_id, appointment_id, created_at, updated_at")
# A row's parameters: ?1 is the batch's stamp (created_at = updated_at), then 15 per row.
# Optional values travel as 0 / '' and the statement turns them back into NULL: binding
# None costs the sqlite3 module an adapter lookup (two failed attribute reads), about ten
# times an int, and a message has up to five of them. Ids start at 1; reason and
# valid_until are never empty text.
PER_ROW = 15
_VALUES = ("(?{}, ?{}, ?{}, ?{}, ?{}, nullif(?{}, ''), ?{}, ?{}, ?{}, nullif(?{}, ''), ?{}, ?{},"
           " nullif(?{}, 0), nullif(?{}, 0), nullif(?{}, 0), ?1, ?1)")
NONE_SHARED = (False,) * PER_ROW
# On PostgreSQL a batch's rows come from its columns, each bound as one array (binary; the
# outbox's INSERT ... SELECT over them). Optional values as '' / 0, as below; then the stamp twice.
ROWS_FROM_COLUMNS = (
    "SELECT r.t, r.b, r.k, r.d, r.s, nullif(r.r, ''), r.l, r.n, r.due,"
    " nullif(r.v, ''), r.sg, r.e, nullif(r.si, 0), nullif(r.oi, 0), nullif(r.ai, 0), %s::text, %s::text"
    " FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[],"
    " %s::int[], %s::text[], %s::text[], %s::int[], %s::text[], %s::bigint[], %s::bigint[], %s::bigint[])"
    " AS r(t, b, k, d, s, r, l, n, due, v, sg, e, si, oi, ai)"
)

# Which of a row's values may be bound once for a chunk: not the number, body or dedupe key,
# which differ from row to row (fewer patterns, fewer statements to prepare).
_SHAREABLE = (False, False, True, False) + (True,) * (PER_ROW - 4)

stamp_of = lru_cache(maxsize=256)(iso)  # a batch shares a handful of instants


@dataclass(frozen=True)
class Enqueued:
    """What enqueue answers: the message's row and, when it will not be sent, why."""

    id: int | None
    status: str
    reason: str | None   # "duplicate", "opted_out", "expired"; None when it will be sent


@lru_cache(maxsize=256)
def _alert_due(due: datetime, quiet_hours: tuple[str, str], zone: str) -> datetime | None:
    """When an alert due at `due` may go (None: at once); a batch shares one `due`, so cached."""
    return quiet.window_opens(due, quiet_hours, zone) if quiet.is_quiet(due, quiet_hours, zone) else None


def row(message: Mapping[str, Any], now: datetime, stamp: str, quiet_hours: tuple[str, str], zone: str) -> tuple:
    """A message's PER_ROW parameters (see _VALUES); status decided here (expiry, quiet hours)."""
    if not FIELDS.issuperset(message):
        raise TypeError(f"unknown message fields: {sorted(set(message) - FIELDS)}")
    to, body, kind, get = message["to"], message["body"], message["kind"], message.get
    if kind not in KINDS:
        raise ValueError(f"unknown message class {kind!r}")
    night_ok = get("night_ok", False)
    status, reason, due, until = _state(kind, get("send_at"), get("valid_until"), night_ok, now, stamp,
                                        quiet_hours, zone)
    segments, encoding = compose.measure(body)
    return (to, body, kind, message["dedupe_key"], status, reason, get("language", "ko"), 1 if night_ok else 0,
            due, until, segments, encoding, get("seeker_id") or 0, get("opening_id") or 0,
            get("appointment_id") or 0)


def _state(kind: str, send_at: datetime | None, valid_until: datetime | None, night_ok: object, now: datetime,
           stamp: str, quiet_hours: tuple[str, str], zone: str) -> tuple[str, str, str, str]:
    """(status, reason, next_attempt_at, valid_until) as stored: due at send_at (now if earlier),
    alerts held through quiet hours unless night_ok, expired when no longer valid by then."""
    due = send_at if send_at is not None and send_at > now else now
    status, reason = "queued", ""
    if kind == "alert" and not night_ok:
        opens = _alert_due(due, quiet_hours, zone)
        if opens is not None:
            status, due = "held", opens
    if valid_until is not None and valid_until <= due:
        status, reason = "expired", "expired"
    return status, reason, stamp if due is now else stamp_of(due), stamp_of(valid_until) if valid_until else ""


class Rows:
    """row() for a run of messages of one class and validity (a digest run, an alert batch), each
    from plain values instead of a mapping: the same rules, decided once per (send_at, night_ok)."""

    def __init__(self, kind: str, now: datetime, valid_until: datetime | None,
                 quiet_hours: tuple[str, str], zone: str) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown message class {kind!r}")
        self.kind, self.now, self.stamp, self.valid_until = kind, now, stamp_of(now), valid_until
        self.quiet_hours, self.zone = quiet_hours, zone
        self._states: dict[tuple, tuple[str, str, str, str]] = {}
        self._measured: dict[str, tuple[int, str]] = {}  # a run's bodies (compose.measure keeps the last 8,192)

    def row(self, to: str, body: str, dedupe_key: str, send_at: datetime | None, night_ok: int, language: str,
            seeker_id: int, opening_id: int = 0) -> tuple:
        """One message's parameters, as row() makes them (ids > 0, or 0 for none)."""
        state = self._states.get((send_at, night_ok))
        if state is None:
            if len(self._states) >= 4096:  # paced digests: a send time each, so few repeat
                self._states.clear()
            state = self._states[send_at, night_ok] = _state(self.kind, send_at, self.valid_until, night_ok,
                                                             self.now, self.stamp, self.quiet_hours, self.zone)
        status, reason, due, until = state
        measured = self._measured.get(body)
        if measured is None:
            measured = self._measured[body] = compose.measure(body)
        segments, encoding = measured
        return (to, body, self.kind, dedupe_key, status, reason, language, 1 if night_ok else 0, due, until,
                segments, encoding, seeker_id, opening_id, 0)


def check_numbers(numbers: Collection[str]) -> None:
    """Refuses the lot unless every number is E.164 (one line each, so no newline may hide in one)."""
    lines = "\n".join(numbers) + "\n"
    if lines.count("\n") != len(numbers) or _E164_LINES.fullmatch(lines) is None:
        raise ValueError("recipient must be an E.164 number")


def placeholders(count: int, shared: tuple[bool, ...]) -> str:
    """The VALUES list for `count` rows whose columns marked in `shared` hold one value for all.

    Parameters: ?1 the stamp, then one per shared column, then the others row by row.
    """
    numbers, next_number = [], 2
    for same in shared:
        numbers.append(next_number if same else None)
        next_number += same
    rows = []
    for _ in range(count):
        values = []
        for number in numbers:
            values.append(number if number is not None else next_number)
            next_number += number is None
        rows.append(_VALUES.format(*values))
    return ", ".join(rows)


def bind(stamp: str, rows: list[tuple]) -> tuple[tuple[bool, ...], list]:
    """(which columns every row shares, the parameters) for one INSERT of these rows.

    Binding is most of the statement's cost per value, and a batch's rows share most columns:
    a value every row shares (kind, due, ...) is bound once.
    """
    columns = list(zip(*rows, strict=True))
    shared = tuple(can and column.count(column[0]) == len(column)
                   for can, column in zip(_SHAREABLE, columns, strict=True))
    varying = [column for column, same in zip(columns, shared, strict=True) if not same]
    params = [stamp, *(column[0] for column, same in zip(columns, shared, strict=True) if same)]
    params += chain.from_iterable(zip(*varying, strict=True))
    return shared, params
