"""Centers' counseling hours and shifts, their counselors, and the free slots between them.

A center is open while any of its shifts runs on that weekday; a counselor works the shift
with their number. Slots lie on a grid of the center's slot length from midnight, and a slot
has as many places as counselors on shift who have no appointment in it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from kiosk.core.clock import iso
from kiosk.core.db import Connection, Row
from kiosk.places import centers

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Shift:
    number: int
    opens: time
    closes: time


@dataclass(frozen=True)
class Slot:
    start: datetime  # UTC
    free: int


# --- hours ------------------------------------------------------------------------------

def set_hours(db: Connection, center_id: int, weekdays: Iterable[int],
              shifts: list[tuple[str, str]], slot_minutes: int | None = None) -> None:
    """Replaces the shifts of those weekdays: [("08:00", "15:00"), ("15:00", "22:00")]."""
    for weekday in weekdays:
        db.execute("DELETE FROM center_hours WHERE center_id = ? AND weekday = ?", (center_id, weekday))
        db.executemany(
            "INSERT INTO center_hours (center_id, weekday, shift, opens, closes) VALUES (?, ?, ?, ?, ?)",
            [(center_id, weekday, number, opens, closes)
             for number, (opens, closes) in enumerate(shifts, start=1)])
    if slot_minutes is not None:
        centers.set_slot_minutes(db, center_id, slot_minutes)


def set_week(db: Connection, center_id: int, week: dict[int, dict[int, tuple[str, str]]]) -> None:
    """Replaces every weekday's shifts, keeping their numbers: {weekday: {shift: (opens, closes)}};
    a weekday left out is closed."""
    db.execute("DELETE FROM center_hours WHERE center_id = ?", (center_id,))
    db.executemany(
        "INSERT INTO center_hours (center_id, weekday, shift, opens, closes) VALUES (?, ?, ?, ?, ?)",
        [(center_id, weekday, number, opens, closes)
         for weekday, shifts in sorted(week.items()) for number, (opens, closes) in sorted(shifts.items())])


def hours(db: Connection, center_id: int) -> dict[int, list[Shift]]:
    """{weekday: [shifts]} for the weekdays the center is open."""
    found: dict[int, list[Shift]] = {}
    for row in db.execute("SELECT * FROM center_hours WHERE center_id = ? ORDER BY weekday, shift",
                          (center_id,)):
        found.setdefault(row["weekday"], []).append(
            Shift(row["shift"], time.fromisoformat(row["opens"]), time.fromisoformat(row["closes"])))
    return found


def slot_of(at: datetime, minutes: int) -> datetime:
    """The start of the slot an instant falls in (the grid runs from local midnight)."""
    since_midnight = at.hour * 60 + at.minute
    start = since_midnight - since_midnight % minutes
    return at.replace(hour=start // 60, minute=start % 60, second=0, microsecond=0)


def shifts_at(week: dict[int, list[Shift]], at: datetime, minutes: int) -> list[int]:
    """The shift numbers whose hours hold the whole slot starting at `at` (local time)."""
    start = at.time()
    end_minutes = at.hour * 60 + at.minute + minutes
    return [s.number for s in week.get(at.weekday(), [])
            if s.opens <= start and end_minutes <= s.closes.hour * 60 + s.closes.minute]


def is_open(db: Connection, center_id: int, at: datetime, zone: str) -> bool:
    """Whether the slot holding this instant lies inside the center's hours."""
    minutes = centers.slot_minutes(db, center_id)
    local = slot_of(at.astimezone(ZoneInfo(zone)), minutes)
    return bool(shifts_at(hours(db, center_id), local, minutes))


def centers_with_counselors(db: Connection) -> list[Row]:
    return db.execute(
        "SELECT c.*, count(*) AS counselors FROM centers c JOIN counselors k ON k.center_id = c.id"
        " WHERE k.active = 1 GROUP BY c.id ORDER BY c.id").fetchall()


# --- counselors -------------------------------------------------------------------------

def add_counselor(db: Connection, *, name: str, phone: str, center_id: int, shift: int,
                  now: datetime, language: str = "ko") -> int:
    """A new counselor; a number already registered raises IntegrityError."""
    return db.execute(
        "INSERT INTO counselors (name, phone, center_id, shift, language, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        (name, phone, center_id, shift, language, iso(now))).fetchone()[0]


def add_counselors(db: Connection, counselors: Iterable[tuple[str, str, int, int]], now: datetime) -> None:
    """Adds counselors given as (name, phone, center id, shift); a number already registered is kept."""
    stamp = iso(now)
    db.executemany("INSERT INTO counselors (name, phone, center_id, shift, created_at) VALUES (?, ?, ?, ?, ?)"
                   " ON CONFLICT (phone) DO NOTHING", (row + (stamp,) for row in counselors))


def counselor_by_phone(db: Connection, phone: str) -> Row | None:
    """The active counselor texting from this number (commands are theirs only)."""
    return db.execute(
        "SELECT k.*, c.name AS center_name, c.phone AS center_phone FROM counselors k"
        " JOIN centers c ON c.id = k.center_id WHERE k.phone = ? AND k.active = 1", (phone,)).fetchone()


def counselor(db: Connection, counselor_id: int) -> Row | None:
    return db.execute("SELECT * FROM counselors WHERE id = ?", (counselor_id,)).fetchone()


def counselors(db: Connection, center_id: int | None = None) -> list[Row]:
    return db.execute(
        "SELECT k.*, c.name AS center_name FROM counselors k JOIN centers c ON c.id = k.center_id"
        " WHERE ? IS NULL OR k.center_id = ? ORDER BY c.id, k.shift, k.name",
        (center_id, center_id)).fetchall()


def move_counselor(db: Connection, counselor_id: int, *, center_id: int, shift: int) -> int:
    """A counselor's center and shift from now on (their booked appointments stay theirs)."""
    return db.execute("UPDATE counselors SET center_id = ?, shift = ? WHERE id = ?",
                      (center_id, shift, counselor_id)).rowcount


def set_active(db: Connection, counselor_id: int, active: bool) -> int:
    return db.execute("UPDATE counselors SET active = ? WHERE id = ?",
                      (int(active), counselor_id)).rowcount


# --- slots ------------------------------------------------------------------------------

def _taken(db: Connection, center_id: int, start: datetime, end: datetime) -> set[tuple[int, str]]:
    rows = db.execute(
        "SELECT a.counselor_id, a.slot_start FROM appointments a JOIN counselors k ON k.id = a.counselor_id"
        " WHERE k.center_id = ? AND a.slot_start >= ? AND a.slot_start < ?"
        " AND a.status IN ('booked', 'pending_consent', 'confirmed')",
        (center_id, iso(start), iso(end)))
    return {(row[0], row[1]) for row in rows}


def _staff(db: Connection, center_id: int) -> dict[int, list[int]]:
    """{shift: [counselor ids]} of the center's active counselors."""
    staff: dict[int, list[int]] = {}
    for row in db.execute("SELECT id, shift FROM counselors WHERE center_id = ? AND active = 1 ORDER BY id",
                          (center_id,)):
        staff.setdefault(row["shift"], []).append(row["id"])
    return staff


def free_counselors(db: Connection, center_id: int, slot_start: datetime, zone: str) -> list[int]:
    """Counselors on shift with nothing booked in the slot starting at slot_start."""
    minutes = centers.slot_minutes(db, center_id)
    local = slot_start.astimezone(ZoneInfo(zone))
    staff = _staff(db, center_id)
    taken = _taken(db, center_id, slot_start, slot_start + timedelta(minutes=minutes))
    on_shift = [c for number in shifts_at(hours(db, center_id), local, minutes) for c in staff.get(number, [])]
    return [c for c in dict.fromkeys(on_shift) if (c, iso(slot_start)) not in taken]


def free_slots(db: Connection, center_id: int, *, first_day: date, days: int,
               now: datetime, zone: str) -> list[Slot]:
    """Every slot with a free place from first_day for `days` days, after now."""
    tz = ZoneInfo(zone)
    minutes = centers.slot_minutes(db, center_id)
    week, staff = hours(db, center_id), _staff(db, center_id)
    start = datetime.combine(first_day, time(0), tzinfo=tz)
    taken = _taken(db, center_id, start, start + timedelta(days=days))
    found = []
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        for at in _grid(week.get(day.weekday(), []), day, minutes, tz):
            if at <= now:
                continue
            on_shift = {c for n in shifts_at(week, at, minutes) for c in staff.get(n, [])}
            stamp = iso(at)
            free = sum((c, stamp) not in taken for c in on_shift)
            if free:
                found.append(Slot(at.astimezone(UTC), free))
    return found


def _grid(shifts: list[Shift], day: date, minutes: int, tz: ZoneInfo) -> list[datetime]:
    starts: set[datetime] = set()
    for shift in shifts:
        at = slot_of(datetime.combine(day, shift.opens, tzinfo=tz), minutes)
        if at.time() < shift.opens:
            at += timedelta(minutes=minutes)
        end = datetime.combine(day, shift.closes, tzinfo=tz)
        while at + timedelta(minutes=minutes) <= end:
            starts.add(at)
            at += timedelta(minutes=minutes)
    return sorted(starts)


def nearest_free(slots: list[Slot], wanted: datetime, count: int = 4) -> list[Slot]:
    """The free slots closest in time to the one someone wanted, in time order."""
    return sorted(sorted(slots, key=lambda s: abs((s.start - wanted).total_seconds()))[:count],
                  key=lambda s: s.start)
