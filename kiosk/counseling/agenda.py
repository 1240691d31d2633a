"""What the console shows of appointments: a day or a week of a center or a counselor, and the
appointments past their time that still have no outcome. Read models only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from kiosk.core.clock import iso, parse_iso
from kiosk.core.db import Connection, Row, tuple_cursor

SELECT = (
    "SELECT a.id, a.kind, a.status, a.outcome, a.starts_at, a.center_id, a.counselor_id, a.accompanied,"
    " a.employer, a.memo, a.booked_via, a.seeker_id, k.name AS counselor_name, s.name AS seeker_name,"
    " coalesce(s.phone, ac.phone) AS phone, c.slot_minutes, c.name AS center_name, a.place"
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
    seeker: str        # the name, if given, and the number's last four digits
    employer: str | None
    memo: str | None
    accompanied: bool
    place: str | None = None  # where it is held when not at the center (a stop of the job bus)


def who(name: str | None, phone: str | None) -> str:
    """A person as lists show them: the name and the last four digits, 홍길동(2222), or (2222)."""
    tail = f"({phone[-4:]})" if phone else ""
    return f"{name}{tail}" if name else tail


def _entry(row: Row) -> Entry:
    starts = parse_iso(row["starts_at"])
    return Entry(id=row["id"], kind=row["kind"], status=row["status"], outcome=row["outcome"], starts_at=starts,
                 ends_at=starts + timedelta(minutes=row["slot_minutes"]), center_id=row["center_id"],
                 center_name=row["center_name"], counselor_id=row["counselor_id"],
                 counselor_name=row["counselor_name"],
                 seeker=who(row["seeker_name"], row["phone"]),
                 employer=row["employer"], memo=row["memo"], accompanied=bool(row["accompanied"]),
                 place=row["place"])


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


class Cell(NamedTuple):
    """One appointment as a week's grid shows it: little, for a center's thousand a week."""

    id: int
    starts_at: str     # as stored (UTC text); many share one, so callers convert each once
    kind: str
    state: str         # the outcome if recorded, else the status
    counselor_id: int | None
    seeker: str


CELLS = (
    "SELECT a.id, a.starts_at, a.kind, coalesce(a.outcome, a.status), a.counselor_id, s.name,"
    " coalesce(s.phone, ac.phone) FROM appointments a LEFT JOIN seekers s ON s.id = a.seeker_id"
    " LEFT JOIN appointment_consents ac ON ac.appointment_id = a.id"
)


def cells(db: Connection, start: datetime, end: datetime, *, center_id: int | None = None,
          counselor_id: int | None = None) -> list[Cell]:
    """A center's or a counselor's appointments starting in [start, end), for a week's grid."""
    where, owner = ("a.counselor_id = ?", counselor_id) if counselor_id is not None else ("a.center_id = ?", center_id)
    rows = tuple_cursor(db).execute(f"{CELLS} WHERE {where} AND a.starts_at >= ? AND a.starts_at < ?"
                                    " ORDER BY a.starts_at, a.id", (owner, iso(start), iso(end)))
    return [Cell(row[0], row[1], row[2], row[3], row[4], who(row[5], row[6])) for row in rows]


def without_outcome(db: Connection, now: datetime, *, center_id: int | None = None,
                    counselor_id: int | None = None) -> list[Entry]:
    """Agreed appointments whose time is over and that still have no outcome, oldest first."""
    rows = db.execute(
        f"{SELECT} WHERE a.outcome IS NULL AND a.status IN ('booked', 'confirmed') AND a.starts_at < ?1"
        " AND (?2 IS NULL OR a.center_id = ?2) AND (?3 IS NULL OR a.counselor_id = ?3)"
        " ORDER BY a.starts_at, a.id",
        (iso(now), center_id, counselor_id))
    return [entry for entry in map(_entry, rows) if entry.ends_at <= now]
