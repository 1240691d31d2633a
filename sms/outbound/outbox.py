"""The outbox: every text JobStop sends is a row here first; the only module that writes them.

enqueue() runs inside the caller's transaction, so a change and the message it causes
commit together or not at all. The dispatcher (sms.outbound.dispatch) claims due rows under
a lease, sends them and records each outcome here; sms.outbound.delivery decides how
delivery statuses move.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import datetime
from functools import lru_cache
from typing import Any

from kiosk.core import db as kdb
from kiosk.core.clock import iso
from kiosk.core.db import Connection, Row, in_list, list_param, list_params, skip_locked_rows, transaction
from sms.outbound import inbox, messages, quiet
from sms.outbound.messages import COLUMNS, KINDS, NONE_SHARED, ROWS_FROM_COLUMNS, Enqueued, row, stamp_of

# One message: one statement, the opt-out registry consulted by the INSERT itself.
_OPTED_OUT = "EXISTS (SELECT 1 FROM sms_optouts WHERE phone = ?2 AND opted_out = 1)"
_INSERT_ONE = (
    f"INSERT INTO sms_messages ({COLUMNS}) VALUES (?2, ?3, ?4, ?5,"
    f" CASE WHEN {_OPTED_OUT} THEN 'cancelled' ELSE ?6 END,"
    f" CASE WHEN {_OPTED_OUT} THEN 'opted_out' ELSE nullif(?7, '') END,"
    " ?8, ?9, ?10, nullif(?11, ''), ?12, ?13, nullif(?14, 0), nullif(?15, 0), nullif(?16, 0), ?1, ?1)"
    " ON CONFLICT (dedupe_key) DO NOTHING RETURNING id, status, reason"
)
# A batch: the opt-outs among its numbers are read once (same transaction), then plain
# inserts, CHUNK rows per statement: one statement step per row costs about a fifth more.
CHUNK = 100
_OPTED_OUT_AMONG = f"SELECT phone FROM sms_optouts WHERE opted_out = 1 AND {in_list('phone')}"
_INSERT_COLUMNS = f"INSERT INTO sms_messages ({COLUMNS}) {ROWS_FROM_COLUMNS} ON CONFLICT (dedupe_key) DO NOTHING"


@lru_cache(maxsize=128)
def _insert_rows(count: int, shared: tuple[bool, ...]) -> str:
    """The INSERT for `count` rows whose columns marked in `shared` hold one value for all."""
    return (f"INSERT INTO sms_messages ({COLUMNS}) VALUES {messages.placeholders(count, shared)}"
            " ON CONFLICT (dedupe_key) DO NOTHING")


def _insert(db: Connection, stamp: str, rows: list[tuple]) -> int:
    """One INSERT for CHUNK rows; how many were added. Each pattern of shared columns: a statement of its own."""
    shared, params = messages.bind(stamp, rows)
    return db.execute(_insert_rows(len(rows), shared), params).rowcount


def enqueue(db: Connection, *, to: str, body: str, kind: str, dedupe_key: str, now: datetime,
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
    messages.check_numbers((to,))
    stamp = stamp_of(now)
    added = db.execute(_INSERT_ONE, (stamp, *row(message, now, stamp, quiet_hours, zone))).fetchone()
    if added is None:
        existing = db.execute("SELECT id, status FROM sms_messages WHERE dedupe_key = ?",
                              (dedupe_key,)).fetchone()
        return Enqueued(existing["id"], existing["status"], "duplicate")
    return Enqueued(added["id"], added["status"], added["reason"])


def enqueue_many(db: Connection, outgoing: Iterable[Mapping[str, Any]], *, now: datetime,
                 quiet_hours: tuple[str, str] = quiet.DEFAULT_QUIET, zone: str = quiet.DEFAULT_ZONE) -> int:
    """enqueue() for a batch (digests, alert runs): same rules, one transaction; how many rows were added.

    Each mapping holds enqueue's keyword arguments (to, body, kind, dedupe_key, ...).
    """
    stamp = stamp_of(now)
    return enqueue_rows(db, [row(message, now, stamp, quiet_hours, zone) for message in outgoing], now=now)


def enqueue_rows(db: Connection, rows: list[tuple], *, now: datetime) -> int:
    """enqueue_many() for rows made already (messages.row, or messages.Rows for a run of alerts
    made from plain values); how many were added. The opt-out registry is read once for the
    batch's numbers inside the same transaction (a STOP waits for it, and its cancellation
    then covers these rows too). On PostgreSQL: one statement (columns as arrays).
    """
    if not rows:
        return 0
    stamp = stamp_of(now)
    numbers = list({values[0] for values in rows})
    messages.check_numbers(numbers)
    with transaction(db):
        opted_out = {phone for (phone,) in db.execute(_OPTED_OUT_AMONG, (list_param(numbers),))}
        if opted_out:
            rows = [values[:4] + ("cancelled", "opted_out") + values[6:] if values[0] in opted_out else values
                    for values in rows]
        added = kdb.insert_columns(db, _INSERT_COLUMNS, [stamp, stamp, *map(list, zip(*rows, strict=True))])
        if added is not None:
            return added
        whole = len(rows) - len(rows) % CHUNK
        added = sum(_insert(db, stamp, rows[first:first + CHUNK]) for first in range(0, whole, CHUNK))
        # The rest one row per step: a statement per remainder size would each cost a prepare.
        return added + db.executemany(_insert_rows(1, NONE_SHARED), ((stamp, *values) for values in rows[whole:])
                                      ).rowcount


# One statement per link, so each goes through its own index: with the three ORed in one
# WHERE, SQLite walked every pending row through sms_messages_due instead.
_CANCEL_PENDING = {column: "UPDATE sms_messages SET status = 'cancelled', reason = 'cancelled', updated_at = ?"
                           f" WHERE {column} = ? AND status IN ('queued', 'held')"
                   for column in ("appointment_id", "dedupe_key", "seeker_id")}


def cancel_pending(db: Connection, *, now: datetime, appointment_id: int | None = None,
                   dedupe_key: str | None = None, seeker_id: int | None = None) -> int:
    """Cancels queued/held messages of an appointment, a seeker or with a key; how many."""
    links = {"appointment_id": appointment_id, "dedupe_key": dedupe_key, "seeker_id": seeker_id}
    given = {column: value for column, value in links.items() if value is not None}
    if not given:
        raise ValueError("cancel_pending needs an appointment_id, a seeker_id or a dedupe_key")
    stamp = iso(now)
    return sum(db.execute(_CANCEL_PENDING[column], (stamp, value)).rowcount for column, value in given.items())


def cancel_to(db: Connection, phone: str, now: datetime, reason: str) -> int:
    """Cancels every queued or held message to a number, giving `reason`; how many."""
    return db.execute("UPDATE sms_messages SET status = 'cancelled', reason = ?, updated_at = ?"
                      " WHERE to_number = ? AND status IN ('queued', 'held')", (reason, iso(now), phone)).rowcount


def forget_number(db: Connection, phone: str, now: datetime) -> None:
    """A withdrawn person's number and texts leave the message history; counts stay. What still
    waits for the number is cancelled first; the opt-out registry keeps it (a STOP must hold)."""
    cancel_to(db, phone, now, "withdrawn")  # error_text below: Twilio's 21211 / 21614 quote the number
    db.execute("UPDATE sms_messages SET to_number = '', body = '', error_text = NULL, updated_at = ?"
               " WHERE to_number = ?", (iso(now), phone))
    inbox.forget_number(db, phone)


def record_reply(db: Connection, *, to: str, body: str, dedupe_key: str, now: datetime, language: str) -> None:
    """A reply sent in the webhook's own answer (TwiML), kept in the history as sent."""
    added = enqueue(db, to=to, body=body, kind="transactional", dedupe_key=dedupe_key, now=now, language=language)
    store_sid(db, added.id, now, sid=None, transport="twiml", status="sent", segments=None)  # no SID: TwiML's own


def release_held(db: Connection, now: datetime) -> int:
    """Held alerts whose window has opened become queued; how many were released."""
    return db.execute(
        "UPDATE sms_messages SET status = 'queued', updated_at = ?"
        # every class named, so the due index (status, kind, next_attempt_at) finds the time range
        " WHERE status = 'held' AND kind IN ('otp', 'transactional', 'alert') AND next_attempt_at <= ?",
        (iso(now), iso(now)),
    ).rowcount


def last_sent_to(db: Connection, phone: str, *, key_prefix: str) -> Row | None:
    """The message a number most recently received whose dedupe key starts with key_prefix, by when
    it was sent, not queued: reminders are queued at booking and go out days later."""
    return db.execute(
        "SELECT * FROM sms_messages WHERE to_number = ? AND substr(dedupe_key, 1, ?) = ?"
        " AND status IN ('sending', 'sent', 'delivered')"
        " ORDER BY coalesce(sent_at, updated_at) DESC, id DESC LIMIT 1",
        (phone, len(key_prefix), key_prefix),
    ).fetchone()


def get(db: Connection, message_id: int) -> Row | None:
    return db.execute("SELECT * FROM sms_messages WHERE id = ?", (message_id,)).fetchone()


# One class's due rows, oldest first; claim_due runs it per class in KINDS order. The outer
# WHERE is the id list alone: with `status = 'queued'` beside it SQLite walked every queued
# row's index entry to test it against the list (a digest run: hundreds of thousands).
_CLAIM = ("UPDATE sms_messages SET status = 'sending', lease_token = ?1, lease_until = ?2,"
          " attempts = attempts + 1, updated_at = ?3"
          " WHERE id IN (SELECT id FROM sms_messages WHERE status = 'queued'"
          f" AND kind = ?4 AND next_attempt_at <= ?3 ORDER BY next_attempt_at, id LIMIT ?5{skip_locked_rows()})"
          " RETURNING id, to_number, body, kind, night_ok, valid_until, attempts, next_attempt_at")


def claim_due(db: Connection, now: datetime, limit: int, *, token: str,
              lease_until: datetime) -> list[Row]:
    """Atomically moves up to `limit` due queued rows to 'sending' under this pass's token.

    No writer's transaction needed: rows another dispatcher is claiming are skipped (SQLite
    has one writer anyway), so each row goes to one pass. Codes first, then transactional
    messages, then alerts: each class takes what the ones before it left of the limit, so a
    code due now never waits behind a digest run.
    """
    claimed: list[Row] = []
    for kind in KINDS:
        if len(claimed) >= limit:
            break
        rows = db.execute(_CLAIM, (token, iso(lease_until), iso(now), kind, limit - len(claimed))).fetchall()
        claimed += sorted(rows, key=lambda row: (row["next_attempt_at"], row["id"]))  # RETURNING has no order
    return claimed


def release_claimed(db: Connection, ids: Collection[int], token: str, now: datetime) -> int:
    """Claimed rows this pass will not send now go back to the queue, the claim's attempt undone."""
    return db.execute(
        "UPDATE sms_messages SET status = 'queued', attempts = attempts - 1, lease_token = NULL,"
        f" lease_until = NULL, updated_at = ? WHERE {in_list('id')}"
        # unary + keeps SQLite on the ids, not on every 'sending' row of the due index
        " AND +status = 'sending' AND lease_token = ?", (iso(now), list_param(ids), token)).rowcount


def recover_stale(db: Connection, now: datetime, max_attempts: int) -> int:
    """Re-examines 'sending' rows whose lease ran out (their dispatcher died).

    A row with a stored SID was accepted by the provider: it is 'sent', never re-sent.
    Without a SID it goes back to the queue (the at-least-once window), or fails once
    it has used up its attempts.
    """
    stamp = iso(now)
    with_sid = db.execute(
        "UPDATE sms_messages SET status = 'sent', sent_at = coalesce(sent_at, ?), lease_token = NULL,"
        " updated_at = ? WHERE status = 'sending' AND lease_until < ? AND twilio_sid IS NOT NULL",
        (stamp, stamp, stamp)).rowcount
    used_up = db.execute(
        "UPDATE sms_messages SET status = 'failed', error_text = 'dispatcher stopped while sending',"
        " lease_token = NULL, updated_at = ? WHERE status = 'sending' AND lease_until < ?"
        " AND twilio_sid IS NULL AND attempts >= ?", (stamp, stamp, max_attempts)).rowcount
    requeued = db.execute(
        "UPDATE sms_messages SET status = 'queued', next_attempt_at = ?, lease_token = NULL, updated_at = ?"
        " WHERE status = 'sending' AND lease_until < ? AND twilio_sid IS NULL",
        (stamp, stamp, stamp)).rowcount
    return with_sid + used_up + requeued


def expire_due(db: Connection, now: datetime) -> int:
    """Queued or held messages past their valid-until become 'expired' without being sent."""
    return db.execute(
        "UPDATE sms_messages SET status = 'expired', reason = 'expired', updated_at = ?"
        " WHERE status IN ('queued', 'held') AND valid_until IS NOT NULL AND valid_until <= ?",
        (iso(now), iso(now)),
    ).rowcount


def mark(db: Connection, message_id: int, token: str, now: datetime, *, status: str,
         reason: str | None = None, next_attempt_at: datetime | None = None,
         error_code: int | None = None, error_text: str | None = None) -> bool:
    """Records a claimed row's outcome (still under this pass's lease): retry, held, failed, expired."""
    return db.execute(
        "UPDATE sms_messages SET status = ?, reason = coalesce(?, reason),"
        " next_attempt_at = coalesce(?, next_attempt_at), error_code = coalesce(?, error_code),"
        " error_text = coalesce(?, error_text), lease_token = NULL, lease_until = NULL, updated_at = ?"
        " WHERE id = ? AND status = 'sending' AND lease_token = ?",
        (status, reason, iso(next_attempt_at) if next_attempt_at else None, error_code, error_text,
         iso(now), message_id, token),
    ).rowcount == 1


def store_sid(db: Connection, message_id: int, now: datetime, *, sid: str | None, transport: str,
              status: str, segments: int | None, note: str | None = None) -> bool:
    """The provider took the message: its SID stored, whoever holds the lease now (once only).

    Without a SID (one the provider repeated cannot be stored) it is 'sent' all the same, with
    a note, so it is never sent again."""
    stamp = iso(now)
    return db.execute(
        "UPDATE sms_messages SET status = ?, twilio_sid = ?, transport = ?, sent_at = ?,"
        " delivered_at = CASE WHEN ? = 'delivered' THEN ? END, segments = coalesce(?, segments),"
        " error_code = NULL, error_text = ?, lease_token = NULL, lease_until = NULL, updated_at = ?"
        " WHERE id = ? AND twilio_sid IS NULL AND status IN ('sending', 'queued')",
        (status, sid, transport, stamp, status, stamp, segments, note, stamp, message_id),
    ).rowcount == 1


def set_delivery_status(db: Connection, message_id: int, status: str, now: datetime,
                        error_code: int | None) -> None:
    """A status the provider reported (sms.outbound.delivery checks it moves forward)."""
    db.execute(
        "UPDATE sms_messages SET status = ?, error_code = coalesce(?, error_code),"
        " delivered_at = CASE WHEN ? = 'delivered' THEN ? ELSE delivered_at END, updated_at = ?"
        " WHERE id = ?",
        (status, error_code, status, iso(now), iso(now), message_id),
    )


FINISHED = ("sent", "delivered", "undelivered", "failed", "expired", "cancelled")


def forget_messages(db: Connection, seeker_ids: list[int]) -> int:
    """Deletes finished rows of withdrawn seekers (queued ones were cancelled), in short transactions."""
    deleted = 0
    for some in list_params(seeker_ids):
        with transaction(db):
            deleted += db.execute(f"DELETE FROM sms_messages WHERE {in_list('seeker_id')}"
                                  f" AND status IN ({', '.join('?' for _ in FINISHED)})", (some, *FINISHED)).rowcount
    return deleted
