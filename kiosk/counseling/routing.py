"""Kiosk referral requests ("ask a counselor") go to a counselor of the kiosk's center, or, where
the center has no counselors (the job bus, a bus stop booth), of its partner center.

The request goes to a counselor on shift now — or, when the center is closed, to one of the
next shift, texted when that shift starts. Among them, the one with the fewest requests
that day, then the one who got one longest ago, so requests spread over everyone.
The text carries a short id (R12) the counselor books against: `예약 R12 11/25 14:00`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from kiosk.core.clock import iso
from kiosk.core.db import Connection, Row, transaction
from kiosk.core.i18n import translate
from kiosk.core.phones import mask
from kiosk.counseling import hours as counseling
from kiosk.counseling.texts import Settings
from kiosk.places import centers
from kiosk.seekers import referrals
from sms.outbound import outbox

LOOK_AHEAD_DAYS = 8


def code(referral_id: int) -> str:
    return f"R{referral_id}"


def next_shift(db: Connection, center_id: int, now: datetime, zone: str) -> tuple[datetime, int] | None:
    """(when it starts or now, shift number) of the shift running now or the next with staff."""
    tz = ZoneInfo(zone)
    week = counseling.hours(db, center_id)
    staffed = {row["shift"] for row in counseling.counselors(db, center_id) if row["active"]}
    local_now = now.astimezone(tz)
    for offset in range(LOOK_AHEAD_DAYS):
        day = local_now.date() + timedelta(days=offset)
        for shift in sorted(week.get(day.weekday(), []), key=lambda s: s.opens):
            opens = datetime.combine(day, shift.opens, tzinfo=tz)
            closes = datetime.combine(day, shift.closes, tzinfo=tz)
            if shift.number in staffed and closes > local_now:
                return max(opens, local_now), shift.number
    return None


def shift_starts(db: Connection, counselor: Row, now: datetime, zone: str) -> datetime | None:
    """When this counselor is next on shift: now while their shift runs, else its next start."""
    tz = ZoneInfo(zone)
    week = counseling.hours(db, counselor["center_id"])
    local_now = now.astimezone(tz)
    for offset in range(LOOK_AHEAD_DAYS):
        day = local_now.date() + timedelta(days=offset)
        for shift in week.get(day.weekday(), []):
            closes = datetime.combine(day, shift.closes, tzinfo=tz)
            if shift.number == counselor["shift"] and closes > local_now:
                return max(datetime.combine(day, shift.opens, tzinfo=tz), local_now)
    return None


def pick(db: Connection, center_id: int, shift: int, day_start: datetime) -> Row | None:
    """The counselor of that shift with the fewest requests since day_start, then the longest idle.

    Requests are referrals, staff calls from kiosks and call-backs (kiosk.counseling.staff_help)."""
    return db.execute(
        "SELECT k.*, (SELECT count(*) FROM referral_requests r WHERE r.counselor_id = k.id AND r.assigned_at >= ?)"
        " + (SELECT count(*) FROM help_calls h WHERE h.counselor_id = k.id AND h.called_at >= ?)"
        " + (SELECT count(*) FROM callback_requests c WHERE c.counselor_id = k.id AND c.assigned_at >= ?) AS load,"
        " (SELECT max(at) FROM (SELECT r.assigned_at AS at FROM referral_requests r WHERE r.counselor_id = k.id"
        " UNION ALL SELECT h.called_at FROM help_calls h WHERE h.counselor_id = k.id"
        " UNION ALL SELECT c.assigned_at FROM callback_requests c WHERE c.counselor_id = k.id) AS work) AS last"
        " FROM counselors k WHERE k.center_id = ? AND k.shift = ? AND k.active = 1"
        " ORDER BY load, last NULLS FIRST, k.id LIMIT 1",
        (iso(day_start), iso(day_start), iso(day_start), center_id, shift)).fetchone()


def serving(db: Connection, center_id: int, now: datetime, zone: str) -> tuple[int, datetime, int] | None:
    """(center, shift start, shift) of who takes a center's requests: its own counselors, or, at a
    place with none on any shift (the job bus, a bus stop booth), its partner center's; None when
    neither has anyone."""
    found = next_shift(db, center_id, now, zone)
    if found is not None:
        return center_id, *found
    partner = centers.partner(db, center_id)
    found = next_shift(db, partner["id"], now, zone) if partner else None
    return (partner["id"], *found) if found else None


def assign(db: Connection, referral: Row, now: datetime, settings: Settings) -> Row | None:
    """Sends one new request to a counselor; None when neither the center nor its partner has one."""
    found = serving(db, referral["center_id"], now, settings.zone)
    if found is None:
        return None
    center_id, starts, shift = found
    day_start = starts.replace(hour=0, minute=0, second=0, microsecond=0)
    counselor = pick(db, center_id, shift, day_start)
    if counselor is None:
        return None
    if referrals.assign(db, referral["id"], counselor["id"], now):
        language = counselor["language"] or "ko"
        outbox.enqueue(db, to=counselor["phone"], body=_text(db, referral, language), kind="transactional",
                       dedupe_key=f"referral:{referral['id']}:counselor", now=now, send_at=starts,
                       seeker_id=referral["seeker_id"], opening_id=referral["opening_id"], language=language)
    return counselor


def assign_to(db: Connection, referral: Row, counselor: Row, now: datetime, settings: Settings, *,
              at_once: bool = False) -> bool:
    """Staff give a request to a counselor of their choice, who gets the same text as when it is
    routed (from the start of their shift, or now: at_once, a counselor aboard the job bus);
    False when nothing changed (closed, or theirs already)."""
    with transaction(db):
        if not referrals.reassign(db, referral["id"], counselor["id"], now):
            return False
        language = counselor["language"] or "ko"
        outbox.enqueue(db, to=counselor["phone"], body=_text(db, referral, language), kind="transactional",
                       dedupe_key=f"referral:{referral['id']}:counselor:{counselor['id']}:{iso(now)}", now=now,
                       send_at=now if at_once else shift_starts(db, counselor, now, settings.zone) or now,
                       seeker_id=referral["seeker_id"], opening_id=referral["opening_id"], language=language)
    return True


def _text(db: Connection, referral: Row, language: str) -> str:
    row = db.execute(
        "SELECT s.phone, o.title, o.employer FROM seekers s LEFT JOIN openings o ON o.id = ?"
        " WHERE s.id = ?", (referral["opening_id"], referral["seeker_id"])).fetchone()
    about = f"{row['employer']} {row['title']}" if row["title"] else translate(
        "counseling.counselor.referral_any", language)
    return translate("counseling.counselor.referral", language, code=code(referral["id"]),
                     phone=mask(row["phone"]), about=about)


def assign_new(db: Connection, now: datetime, settings: Settings, *, center_id: int | None = None) -> int:
    """Every request not yet sent to a counselor (of one center, or all); how many were sent."""
    sent = 0
    with transaction(db):
        for referral in db.execute(
                "SELECT * FROM referral_requests WHERE status = 'new' AND (? IS NULL OR center_id = ?)"
                " ORDER BY created_at, id", (center_id, center_id)).fetchall():
            sent += assign(db, referral, now, settings) is not None
    return sent
