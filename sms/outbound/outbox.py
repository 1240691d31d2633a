"""The outbox: every text JobStop sends is a row here first.

enqueue() runs inside the caller's transaction, so a change and the message it causes
commit together or not at all. The dispatcher (sms.outbound.dispatch) claims due rows, sends them
and records the outcome through sms.outbound.delivery.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from itertools import chain
from typing import Any

from kiosk.core.clock import iso
from kiosk.core.db import transaction
from sms.outbound import compose, quiet

KINDS = ("otp", "transactional", "alert")
# E.164 numbers, one per line: a batch's numbers are checked with one match (ASCII digits
# only: \d takes any script's).
_E164_LINES = re.compile(r"(?:\+[1-9][0-9]{6,14}\n)*")


@dataclass(frozen=True)
class Enqueued:
    id: int | None
    status: str
    reason: str | None   # "duplicate", "opted_out", "expired"; None when it will be sent


_COLUMNS = ("to_number, body, kind, dedupe_key, status, reason, language, night_ok, next_attempt_at, valid_until,"
            " segments, encoding, seeker_id, opening_id, appointment_id, created_at, updated_at")
# A row's parameters: ?1 is the batch's stamp (created_at = updated_at), then 15 per row.
# Optional values travel as 0 / '' and the statement turns them back into NULL: binding
# None costs the sqlite3 module an adapter lookup (two failed attribute reads), about ten
# times an int, and a message has up to five of them. Ids start at 1; reason and
# valid_until are never empty text.
_PER_ROW = 15
_VALUES = ("(?{}, ?{}, ?{}, ?{}, ?{}, nullif(?{}, ''), ?{}, ?{}, ?{}, nullif(?{}, ''), ?{}, ?{},"
           " nullif(?{}, 0), nullif(?{}, 0), nullif(?{}, 0), ?1, ?1)")
# One message: one statement, the opt-out registry consulted by the INSERT itself.
_OPTED_OUT = "EXISTS (SELECT 1 FROM sms_optouts WHERE phone = ?2 AND opted_out = 1)"
_INSERT_ONE = (
    f"INSERT INTO sms_messages ({_COLUMNS}) VALUES (?2, ?3, ?4, ?5,"
    f" CASE WHEN {_OPTED_OUT} THEN 'cancelled' ELSE ?6 END,"
    f" CASE WHEN {_OPTED_OUT} THEN 'opted_out' ELSE nullif(?7, '') END,"
    " ?8, ?9, ?10, nullif(?11, ''), ?12, ?13, nullif(?14, 0), nullif(?15, 0), nullif(?16, 0), ?1, ?1)"
    " ON CONFLICT (dedupe_key) DO NOTHING RETURNING id, status, reason"
)
# A batch: the opt-outs among its numbers are read once (same transaction), then plain
# inserts, CHUNK rows per statement: one statement step per row costs about a fifth more.
CHUNK = 100
_OPTED_OUT_AMONG = ("SELECT phone FROM sms_optouts WHERE opted_out = 1"
                    " AND phone IN (SELECT value FROM json_each(?))")
_FIELDS = frozenset(("to", "body", "kind", "dedupe_key", "send_at", "valid_until", "night_ok", "seeker_id",
                     "opening_id", "appointment_id", "language"))
_iso = lru_cache(maxsize=256)(iso)  # a batch shares a handful of instants


_NONE_SHARED = (False,) * _PER_ROW
# Which of a row's values may be bound once for a chunk: not the number, body or dedupe key,
# which differ from row to row (fewer patterns, fewer statements to prepare).
_SHAREABLE = (False, False, True, False) + (True,) * (_PER_ROW - 4)


@lru_cache(maxsize=128)
def _insert_rows(count: int, shared: tuple[bool, ...]) -> str:
    """The INSERT for `count` rows whose columns marked in `shared` hold one value for all.

    Parameters: ?1 the stamp, then one per shared column, then the others row by row.
    """
    numbers, next_number = [], 2
    for same in shared:
        numbers.append(next_number if same else None)
        next_number += same
    rows = []
    for _ in range(count):
        row = []
        for number in numbers:
            row.append(number if number is not None else next_number)
            next_number += number is None
        rows.append(_VALUES.format(*row))
    return f"INSERT INTO sms_messages ({_COLUMNS}) VALUES {', '.join(rows)} ON CONFLICT (dedupe_key) DO NOTHING"


def _insert(db: sqlite3.Connection, stamp: str, rows: list[tuple]) -> None:
    """One INSERT for CHUNK rows; a value every row shares (kind, due, ...) is bound once.

    Binding is most of the statement's cost per value, and a batch's rows share most columns.
    Each pattern of shared columns is its own statement (about 7 ms to prepare, then cached
    by the connection); a batch's chunks mostly share one pattern.
    """
    columns = list(zip(*rows, strict=True))
    shared = tuple(can and column.count(column[0]) == len(column)
                   for can, column in zip(_SHAREABLE, columns, strict=True))
    varying = [column for column, same in zip(columns, shared, strict=True) if not same]
    params = [stamp, *(column[0] for column, same in zip(columns, shared, strict=True) if same)]
    params += chain.from_iterable(zip(*varying, strict=True))
    db.execute(_insert_rows(len(rows), shared), params)


@lru_cache(maxsize=256)
def _alert_due(due: datetime, quiet_hours: tuple[str, str], zone: str) -> datetime | None:
    """When an alert due at `due` may go (None: at once); a batch shares one `due`, so cached."""
    return quiet.window_opens(due, quiet_hours, zone) if quiet.is_quiet(due, quiet_hours, zone) else None


def _row(message: Mapping[str, Any], now: datetime, stamp: str, quiet_hours: tuple[str, str], zone: str) -> tuple:
    """A message's _PER_ROW parameters (see _VALUES); status decided here (expiry, quiet hours)."""
    if not _FIELDS.issuperset(message):
        raise TypeError(f"unknown message fields: {sorted(set(message) - _FIELDS)}")
    to, body, kind, get = message["to"], message["body"], message["kind"], message.get
    if kind not in KINDS:
        raise ValueError(f"unknown message class {kind!r}")
    send_at, valid_until, night_ok = get("send_at"), get("valid_until"), get("night_ok", False)
    due = send_at if send_at is not None and send_at > now else now
    status, reason = "queued", ""
    if kind == "alert" and not night_ok:
        opens = _alert_due(due, quiet_hours, zone)
        if opens is not None:
            status, due = "held", opens
    if valid_until is not None and valid_until <= due:
        status, reason = "expired", "expired"
    segments, encoding = compose.measure(body)
    return (to, body, kind, message["dedupe_key"], status, reason, get("language", "ko"), 1 if night_ok else 0,
            stamp if due is now else _iso(due), _iso(valid_until) if valid_until else "", segments, encoding,
            get("seeker_id") or 0, get("opening_id") or 0, get("appointment_id") or 0)


def _check_numbers(numbers: Collection[str]) -> None:
    """Refuses the lot unless every number is E.164 (one line each, so no newline may hide in one)."""
    lines = "\n".join(numbers) + "\n"
    if lines.count("\n") != len(numbers) or _E164_LINES.fullmatch(lines) is None:
        raise ValueError("recipient must be an E.164 number")


def enqueue(db: sqlite3.Connection, *, to: str, body: str, kind: str, dedupe_key: str, now: datetime,
            send_at: datetime | None = None, valid_until: datetime | None = None, night_ok: bool = False,
            seeker_id: int | None = None, opening_id: int | None = None,
            appointment_id: int | None = None, language: str = "ko",
            quiet_hours: tuple[str, str] = quiet.DEFAULT_QUIET, zone: str = quiet.DEFAULT_ZONE) -> Enqueued:
    """Adds a message to the outbox in the caller's transaction (never commits by itself).

    A dedupe key already present adds nothing and answers the existing row with reason
    "duplicate". Opted-out numbers get a 'cancelled' row with reason "opted_out" — for every
    class, one-time codes included (Twilio refuses them too; the screen says to text START).
    Alerts due inside quiet hours are 'held' until the window opens unless night_ok.
    """
    message = {"to": to, "body": body, "kind": kind, "dedupe_key": dedupe_key, "send_at": send_at,
               "valid_until": valid_until, "night_ok": night_ok, "seeker_id": seeker_id,
               "opening_id": opening_id, "appointment_id": appointment_id, "language": language}
    _check_numbers((to,))
    stamp = _iso(now)
    row = db.execute(_INSERT_ONE, (stamp, *_row(message, now, stamp, quiet_hours, zone))).fetchone()
    if row is None:
        existing = db.execute("SELECT id, status FROM sms_messages WHERE dedupe_key = ?",
                              (dedupe_key,)).fetchone()
        return Enqueued(existing["id"], existing["status"], "duplicate")
    return Enqueued(row["id"], row["status"], row["reason"])


def enqueue_many(db: sqlite3.Connection, messages: Iterable[Mapping[str, Any]], *, now: datetime,
                 quiet_hours: tuple[str, str] = quiet.DEFAULT_QUIET, zone: str = quiet.DEFAULT_ZONE) -> int:
    """enqueue() for a batch (digests, alert runs): same rules, one transaction; how many rows were added.

    Each mapping holds enqueue's keyword arguments (to, body, kind, dedupe_key, ...). The
    opt-out registry is read once for the batch's numbers inside the same transaction (a
    STOP waits for it, and its cancellation then covers these rows too).
    """
    stamp = _iso(now)
    rows = [_row(message, now, stamp, quiet_hours, zone) for message in messages]
    if not rows:
        return 0
    numbers = list({row[0] for row in rows})
    _check_numbers(numbers)
    with transaction(db):
        opted_out = {phone for (phone,) in db.execute(_OPTED_OUT_AMONG, (json.dumps(numbers),))}
        if opted_out:
            rows = [row[:4] + ("cancelled", "opted_out") + row[6:] if row[0] in opted_out else row
                    for row in rows]
        before = db.total_changes
        whole = len(rows) - len(rows) % CHUNK
        for first in range(0, whole, CHUNK):
            _insert(db, stamp, rows[first:first + CHUNK])
        # The rest one row per step: a statement per remainder size would each cost a prepare.
        db.executemany(_insert_rows(1, _NONE_SHARED), ((stamp, *row) for row in rows[whole:]))
        return db.total_changes - before


# One statement per link, so each goes through its own index: with the three ORed in one
# WHERE, SQLite walked every pending row through sms_messages_due instead.
_CANCEL_PENDING = {column: "UPDATE sms_messages SET status = 'cancelled', reason = 'cancelled', updated_at = ?"
                           f" WHERE {column} = ? AND status IN ('queued', 'held')"
                   for column in ("appointment_id", "dedupe_key", "seeker_id")}


def cancel_pending(db: sqlite3.Connection, *, now: datetime, appointment_id: int | None = None,
                   dedupe_key: str | None = None, seeker_id: int | None = None) -> int:
    """Cancels queued/held messages of an appointment, a seeker or with a key; how many."""
    links = {"appointment_id": appointment_id, "dedupe_key": dedupe_key, "seeker_id": seeker_id}
    given = {column: value for column, value in links.items() if value is not None}
    if not given:
        raise ValueError("cancel_pending needs an appointment_id, a seeker_id or a dedupe_key")
    stamp = iso(now)
    return sum(db.execute(_CANCEL_PENDING[column], (stamp, value)).rowcount for column, value in given.items())


def cancel_to(db: sqlite3.Connection, phone: str, now: datetime, reason: str) -> int:
    """Cancels every queued or held message to a number, giving `reason`; how many."""
    return db.execute("UPDATE sms_messages SET status = 'cancelled', reason = ?, updated_at = ?"
                      " WHERE to_number = ? AND status IN ('queued', 'held')", (reason, iso(now), phone)).rowcount


def forget_number(db: sqlite3.Connection, phone: str, now: datetime) -> None:
    """A withdrawn person's number and texts leave the message history; counts stay.

    Queued and held messages to the number are cancelled first, so nothing more goes out.
    The opt-out registry keeps the number: a STOP must still hold after withdrawal.
    """
    stamp = iso(now)
    cancel_to(db, phone, now, "withdrawn")
    # error_text too: Twilio's texts for 21211 / 21614 quote the number.
    db.execute("UPDATE sms_messages SET to_number = '', body = '', error_text = NULL, updated_at = ?"
               " WHERE to_number = ?", (stamp, phone))
    db.execute("UPDATE sms_inbound SET from_number = '', body = '', reply = NULL WHERE from_number = ?",
               (phone,))


def release_held(db: sqlite3.Connection, now: datetime) -> int:
    """Held alerts whose window has opened become queued; how many were released."""
    return db.execute(
        "UPDATE sms_messages SET status = 'queued', updated_at = ?"
        # every class named, so the due index (status, kind, next_attempt_at) finds the time range
        " WHERE status = 'held' AND kind IN ('otp', 'transactional', 'alert') AND next_attempt_at <= ?",
        (iso(now), iso(now)),
    ).rowcount


def last_sent_to(db: sqlite3.Connection, phone: str, *, key_prefix: str) -> sqlite3.Row | None:
    """The message a number most recently received whose dedupe key starts with key_prefix.

    Ordered by when it was sent, not queued: reminders are queued at booking time and go
    out days later, and the one the person just read is the one they answer.
    """
    return db.execute(
        "SELECT * FROM sms_messages WHERE to_number = ? AND substr(dedupe_key, 1, ?) = ?"
        " AND status IN ('sending', 'sent', 'delivered')"
        " ORDER BY coalesce(sent_at, updated_at) DESC, id DESC LIMIT 1",
        (phone, len(key_prefix), key_prefix),
    ).fetchone()


def get(db: sqlite3.Connection, message_id: int) -> sqlite3.Row | None:
    return db.execute("SELECT * FROM sms_messages WHERE id = ?", (message_id,)).fetchone()
