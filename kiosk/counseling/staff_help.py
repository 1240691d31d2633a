"""A visitor asks for staff at a kiosk: the counselor on shift is texted, or staff call back.

With a counselor of the kiosk's center on shift now, 직원 호출 texts one of them (the same
pick as referral requests: fewest requests today, then longest idle) and, for five minutes
after, a second tap at that kiosk texts no one again: help is already coming. With no one on
shift (the center is closed, or it has no counselors, like the job bus) the visitor may leave
a number: the request goes to a counselor of the next shift, texted when it starts, or waits
in the list staff read (`jobstop counselors callbacks`) where a center has no counselor.

The only module that writes help_calls and callback_requests.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from kiosk.core.clock import iso
from kiosk.core.db import Connection, Row, transaction
from kiosk.core.formatting import clock_time, local
from kiosk.core.i18n import translate
from kiosk.core.limits import Cap, take
from kiosk.core.phones import national
from kiosk.counseling import routing
from sms.outbound import outbox

HELP_EVERY = timedelta(minutes=5)
# The wording of the call-back notice is kiosk.help.consent.* in the catalog; change the
# version with it, so a stored request shows which wording the visitor agreed to.
CALLBACK_NOTICE_VERSION = "2026-12-v1"


def on_shift_now(db: Connection, center_id: int, now: datetime, zone: str) -> int | None:
    """The number of a staffed shift running now at the center, or None."""
    found = routing.next_shift(db, center_id, now, zone)
    return found[1] if found is not None and found[0] <= now else None


def call_staff(db: Connection, kiosk: Mapping[str, Any], now: datetime, zone: str) -> str:
    """'coming' (a counselor on shift was texted), 'already' (texted within five minutes) or
    'phone' (no one on shift: the screen shows the center's number and offers a call-back)."""
    shift = on_shift_now(db, kiosk["center_id"], now, zone)
    if shift is None:
        return "phone"
    with transaction(db):
        last = db.execute("SELECT max(called_at) FROM help_calls WHERE kiosk_code = ?",
                          (kiosk["code"],)).fetchone()[0]
        if last is not None and last > iso(now - HELP_EVERY):
            return "already"
        day_start = local(now, zone).replace(hour=0, minute=0, second=0, microsecond=0)
        counselor = routing.pick(db, kiosk["center_id"], shift, day_start)
        if counselor is None:
            return "phone"
        db.execute("INSERT INTO help_calls (kiosk_code, center_id, counselor_id, called_at) VALUES (?, ?, ?, ?)",
                   (kiosk["code"], kiosk["center_id"], counselor["id"], iso(now)))
        language = counselor["language"] or "ko"
        body = translate("counseling.counselor.help_call", language, kiosk=kiosk["name"],
                         time=clock_time(local(now, zone), language))
        outbox.enqueue(db, to=counselor["phone"], body=body, kind="transactional",
                       dedupe_key=f"help:{kiosk['code']}:{iso(now)}", now=now, language=language)
    return "coming"


def request_callback(db: Connection, *, phone: str, kiosk: Mapping[str, Any], language: str,
                     now: datetime, zone: str, caps: Sequence[Cap] = ()) -> Row:
    """Records a call-back request and sends it to a counselor if the center has any.

    The same number at the same center while a request is open is that request again; a new
    one counts toward the caller's hourly caps (kiosk.core.limits.Limited past them)."""
    at = iso(now)
    with transaction(db):
        if db.execute("SELECT 1 FROM callback_requests WHERE center_id = ? AND phone = ? AND status <> 'closed'",
                      (kiosk["center_id"], phone)).fetchone() is None:
            take(db, "callback", caps, now)
        db.execute(
            "INSERT INTO callback_requests (phone, kiosk_code, center_id, status, consent_version,"
            " language, created_at, updated_at) VALUES (?, ?, ?, 'new', ?, ?, ?, ?)"
            " ON CONFLICT (center_id, phone) WHERE status <> 'closed' DO NOTHING",
            (phone, kiosk["code"], kiosk["center_id"], CALLBACK_NOTICE_VERSION, language, at, at))
        request = db.execute("SELECT * FROM callback_requests WHERE center_id = ? AND phone = ?"
                             " AND status <> 'closed'", (kiosk["center_id"], phone)).fetchone()
        if request["status"] == "new":
            _assign(db, request, now, zone)
        return db.execute("SELECT * FROM callback_requests WHERE id = ?", (request["id"],)).fetchone()


def _assign(db: Connection, request: Row, now: datetime, zone: str) -> bool:
    """Texts the request to a counselor of the shift on now or the next (sent when it starts)."""
    found = routing.next_shift(db, request["center_id"], now, zone)
    if found is None:
        return False
    starts, shift = found
    counselor = routing.pick(db, request["center_id"], shift,
                             starts.replace(hour=0, minute=0, second=0, microsecond=0))
    if counselor is None:
        return False
    db.execute("UPDATE callback_requests SET counselor_id = ?, assigned_at = ?, status = 'assigned',"
               " updated_at = ? WHERE id = ? AND status = 'new'",
               (counselor["id"], iso(now), iso(now), request["id"]))
    language = counselor["language"] or "ko"
    kiosk = db.execute("SELECT name FROM kiosks WHERE code = ?", (request["kiosk_code"],)).fetchone()
    body = translate("counseling.counselor.callback", language, phone=national(request["phone"]),
                     kiosk=kiosk["name"] if kiosk else request["kiosk_code"],
                     language=request["language"].upper())
    outbox.enqueue(db, to=counselor["phone"], body=body, kind="transactional",
                   dedupe_key=f"callback:{request['id']}:counselor", now=now, send_at=starts, language=language)
    return True


def assign_new(db: Connection, now: datetime, zone: str) -> int:
    """Every call-back request no counselor has received yet (counselors were added since)."""
    with transaction(db):
        waiting = db.execute("SELECT * FROM callback_requests WHERE status = 'new' ORDER BY created_at, id").fetchall()
        return sum(_assign(db, request, now, zone) for request in waiting)


def open_requests(db: Connection) -> list[Row]:
    """Call-back requests not yet closed, oldest first, with the kiosk's and center's names."""
    return db.execute(
        "SELECT r.*, c.name AS center_name, k.name AS kiosk_name, n.name AS counselor_name"
        " FROM callback_requests r JOIN centers c ON c.id = r.center_id"
        " LEFT JOIN kiosks k ON k.code = r.kiosk_code LEFT JOIN counselors n ON n.id = r.counselor_id"
        " WHERE r.status <> 'closed' ORDER BY r.created_at, r.id").fetchall()


def close(db: Connection, request_id: int, now: datetime) -> bool:
    """Staff called back: the request is done."""
    return db.execute("UPDATE callback_requests SET status = 'closed', updated_at = ? WHERE id = ?"
                      " AND status <> 'closed'", (iso(now), request_id)).rowcount == 1


def purge_older_than(db: Connection, before: datetime) -> int:
    """Deletes call-back requests (and their numbers) made before `before`; help calls too."""
    db.execute("DELETE FROM help_calls WHERE called_at < ?", (iso(before),))
    return db.execute("DELETE FROM callback_requests WHERE created_at < ?", (iso(before),)).rowcount
