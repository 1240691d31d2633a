"""The referral queue staff read: every open "ask a counselor" request, from kiosks and by text.

Read models only (kiosk.seekers.referrals writes the requests, kiosk.counseling.routing sends
them). Oldest first, each with how long it has waited and whether that is too long.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from kiosk.core.clock import parse_iso
from kiosk.core.db import Connection, Row, comma_joined
from kiosk.core.phones import mask
from kiosk.core.regions import OCCUPATIONS

OPEN = ("new", "assigned")

# A center's queue holds the requests made there and those sent to one of its counselors
# (a request from a place without counselors goes to its partner center's).
QUEUE = (
    "SELECT r.id, r.status, r.created_at, r.assigned_at, r.kiosk_code, r.center_id, r.counselor_id,"
    " r.opening_id, r.seeker_id, c.name AS center_name, kk.name AS kiosk_name, k.name AS counselor_name,"
    " k.center_id AS counselor_center_id, s.phone, s.name AS seeker_name, o.title, o.employer,"
    f" (SELECT {comma_joined('p.value')} FROM seeker_prefs p WHERE p.seeker_id = r.seeker_id"
    " AND p.kind = 'occupation') AS occupations"
    " FROM referral_requests r JOIN centers c ON c.id = r.center_id JOIN seekers s ON s.id = r.seeker_id"
    " LEFT JOIN openings o ON o.id = r.opening_id LEFT JOIN counselors k ON k.id = r.counselor_id"
    " LEFT JOIN kiosks kk ON kk.code = r.kiosk_code"
    " WHERE r.status IN ('new', 'assigned')"
    " AND (?1 IS NULL OR r.center_id = ?1 OR k.center_id = ?1"
    " OR r.center_id IN (SELECT p.id FROM centers p WHERE p.partner_center_id = ?1))"
    " AND (?2 IS NULL OR r.counselor_id = ?2)"
    " ORDER BY r.created_at, r.id"
)


@dataclass(frozen=True)
class Request:
    """One open request as the queue shows it."""

    id: int
    status: str
    asked_at: datetime
    waited: timedelta
    late: bool
    by_text: bool           # texted 상담, not asked at a kiosk
    place: str              # the kiosk's name, or the center's for a texted request
    center_id: int
    center_name: str
    counselor_id: int | None
    counselor_name: str | None
    counselor_center_id: int | None
    seeker_id: int
    seeker: str             # the name, if given, and the masked number
    occupations: tuple[str, ...]
    opening_id: int | None
    opening: str | None     # employer and title


def _request(row: Row, now: datetime, flag_after: timedelta) -> Request:
    asked = parse_iso(row["created_at"])
    chosen = set((row["occupations"] or "").split(","))
    masked = mask(row["phone"])
    return Request(
        id=row["id"], status=row["status"], asked_at=asked, waited=now - asked,
        late=now - asked > flag_after, by_text=row["kiosk_code"] is None,
        place=row["kiosk_name"] or row["center_name"], center_id=row["center_id"],
        center_name=row["center_name"], counselor_id=row["counselor_id"],
        counselor_name=row["counselor_name"], counselor_center_id=row["counselor_center_id"],
        seeker_id=row["seeker_id"], seeker=f"{row['seeker_name']} {masked}" if row["seeker_name"] else masked,
        occupations=tuple(code for code in OCCUPATIONS if code in chosen), opening_id=row["opening_id"],
        opening=f"{row['employer']} {row['title']}" if row["title"] else None)


def queue(db: Connection, now: datetime, flag_after: timedelta, *, center_id: int | None = None,
          counselor_id: int | None = None) -> list[Request]:
    """Open requests of a center (or every center), or those sent to one counselor; oldest first."""
    return [_request(row, now, flag_after) for row in db.execute(QUEUE, (center_id, counselor_id))]


def one(db: Connection, referral_id: int, now: datetime, flag_after: timedelta) -> Request | None:
    """One open request as the queue shows it, or None when it is not open (booked, closed, unknown)."""
    row = db.execute(QUEUE.replace(" ORDER BY", " AND r.id = ?3 ORDER BY"),
                     (None, None, referral_id)).fetchone()
    return _request(row, now, flag_after) if row else None
