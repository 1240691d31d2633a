"""Counseling away from the center: counselors who spend some hours elsewhere (aboard the job
bus at a stop) and the slots they offer there.

An outing belongs to a center (its slot length, the center its appointments count for) and
names its counselors, its hours and its place. Its slots lie on the center's grid from
midnight, wholly inside the hours; a slot has as many places as counselors of the outing with
nothing booked in it anywhere (the unique index appointments_one_per_slot holds that too).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from kiosk.core.clock import iso
from kiosk.core.db import Connection, in_list, list_param
from kiosk.counseling.hours import Slot, slot_of
from kiosk.places import centers


@dataclass(frozen=True)
class Outing:
    center_id: int
    counselor_ids: tuple[int, ...]
    opens: datetime   # zone-aware local times
    closes: datetime
    place: str        # where appointments are held: the stop's name and address
    run_id: int | None = None  # the job bus's run it is, credited with its appointments


def starts(db: Connection, outing: Outing) -> list[datetime]:
    """The slot starts of the outing (local, aware)."""
    minutes = centers.slot_minutes(db, outing.center_id)
    at = slot_of(outing.opens, minutes)
    if at < outing.opens:
        at += timedelta(minutes=minutes)
    found = []
    while at + timedelta(minutes=minutes) <= outing.closes:
        found.append(at)
        at += timedelta(minutes=minutes)
    return found


def _taken(db: Connection, outing: Outing) -> set[tuple[int, str]]:
    rows = db.execute(
        f"SELECT counselor_id, slot_start FROM appointments WHERE {in_list('counselor_id')}"
        " AND slot_start >= ? AND slot_start < ? AND status IN ('booked', 'pending_consent', 'confirmed')",
        (list_param(list(outing.counselor_ids)), iso(outing.opens), iso(outing.closes)))
    return {(row[0], row[1]) for row in rows}


def free_counselors(db: Connection, outing: Outing, slot_start: datetime) -> list[int]:
    """The outing's counselors with nothing booked in the slot starting then."""
    taken = _taken(db, outing)
    return [c for c in dict.fromkeys(outing.counselor_ids) if (c, iso(slot_start)) not in taken]


def free_slots(db: Connection, outing: Outing, now: datetime) -> list[Slot]:
    """Every slot of the outing after now with a free place."""
    taken = _taken(db, outing)
    found = []
    for at in starts(db, outing):
        if at <= now:
            continue
        stamp = iso(at)
        free = sum((c, stamp) not in taken for c in dict.fromkeys(outing.counselor_ids))
        if free:
            found.append(Slot(at.astimezone(UTC), free))
    return found
