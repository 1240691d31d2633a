"""What the console shows of appointments: a day or a week of a center or a counselor, and the
appointments past their time that still have no outcome. Read models only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from kiosk.core.clock import iso, parse_iso
from kiosk.core.db import Connection, Row
from kiosk.core.phones import mask

SELECT = (
    "SELECT a.id, a.kind, a.status, a.outcome, a.starts_at, a.center_id, a.counselor_id, a.accompanied,"
    " a.employer, a.memo, a.booked_via, a.seeker_id, k.name AS counselor_name, s.name AS seeker_name,"
    " coalesce(s.phone, ac.phone) AS phone, c.slot_minutes, c.name AS center_name"
    " FROM appointments a JOIN centers c ON c.id = a.center_id"
    " LEFT JOIN counselors k ON k.id = a.counselor_id LEFT JOIN seekers s ON s.id = a.seeker_id"
    " LEFT JOIN appointment_consents ac ON ac.appointment_id = a.id"
)


@dataclass(frozen=True)
class Entry:
    """One appointment as a day or week view lists it."""

    id: int
    kind: str
    status: str
    outcome: str | None
    starts_at: datetime
    ends_at: datetime
    center_id: int
    center_name: str
    counselor_id: int | None
    counselor_name: str | None
    seeker: str        # the name, if given, and the masked number
    employer: str | None
    memo: str | None
    accompanied: bool


def _entry(row: Row) -> Entry:
    starts = parse_iso(row["starts_at"])
    masked = mask(row["phone"])
    return Entry(id=row["id"], kind=row["kind"], status=row["status"], outcome=row["outcome"], starts_at=starts,
                 ends_at=starts + timedelta(minutes=row["slot_minutes"]), center_id=row["center_id"],
                 center_name=row["center_name"], counselor_id=row["counselor_id"],
                 counselor_name=row["counselor_name"],
                 seeker=f"{row['seeker_name']} {masked}" if row["seeker_name"] else masked,
                 employer=row["employer"], memo=row["memo"], accompanied=bool(row["accompanied"]))


def days(first: date, count: int, zone: str) -> tuple[datetime, datetime]:
    """[start, end) of `count` local days from `first`, as instants."""
    tz = ZoneInfo(zone)
    start = datetime.combine(first, time(0), tzinfo=tz)
    return start, datetime.combine(first + timedelta(days=count), time(0), tzinfo=tz)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def between(db: Connection, start: datetime, end: datetime, *, center_id: int | None = None,
            counselor_id: int | None = None) -> list[Entry]:
    """A center's or a counselor's appointments starting in [start, end), cancelled ones too."""
    if counselor_id is not None:
        where, owner = "a.counselor_id = ?", counselor_id
    else:
        where, owner = "a.center_id = ?", center_id
    rows = db.execute(f"{SELECT} WHERE {where} AND a.starts_at >= ? AND a.starts_at < ?"
                      " ORDER BY a.starts_at, k.name, a.id", (owner, iso(start), iso(end)))
    return [_entry(row) for row in rows]


def without_outcome(db: Connection, now: datetime, *, center_id: int | None = None,
                    counselor_id: int | None = None) -> list[Entry]:
    """Agreed appointments whose time is over and that still have no outcome, oldest first."""
    rows = db.execute(
        f"{SELECT} WHERE a.outcome IS NULL AND a.status IN ('booked', 'confirmed') AND a.starts_at < ?1"
        " AND (?2 IS NULL OR a.center_id = ?2) AND (?3 IS NULL OR a.counselor_id = ?3)"
        " ORDER BY a.starts_at, a.id",
        (iso(now), center_id, counselor_id))
    return [entry for entry in map(_entry, rows) if entry.ends_at <= now]
