"""What a kiosk's home tells a visitor about its center: where it is, its hours today, and
whether counselors are on shift now. Read only; the kiosk keeps it until the content changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from kiosk.core.db import Connection


@dataclass(frozen=True)
class Shift:
    opens: time
    closes: time
    staffed: bool  # an active counselor works this shift


@dataclass(frozen=True)
class Visiting:
    name: str
    address: str
    directions: str
    phone: str
    week: dict[int, tuple[Shift, ...]]  # weekday (0 = Monday) -> its shifts, by opening time
    partner_name: str | None = None     # where a place with no counselors sends its visitors
    partner_phone: str | None = None


def visiting(db: Connection, center_id: int) -> Visiting | None:
    """The center as its kiosks' home shows it, or None."""
    center = db.execute("SELECT c.*, p.name AS partner_name, p.phone AS partner_phone FROM centers c"
                        " LEFT JOIN centers p ON p.id = c.partner_center_id WHERE c.id = ?",
                        (center_id,)).fetchone()
    if center is None:
        return None
    staffed = {row[0] for row in db.execute(
        "SELECT DISTINCT shift FROM counselors WHERE center_id = ? AND active = 1", (center_id,))}
    week: dict[int, list[Shift]] = {}
    for row in db.execute("SELECT weekday, shift, opens, closes FROM center_hours WHERE center_id = ?"
                          " ORDER BY weekday, opens, shift", (center_id,)):
        week.setdefault(row["weekday"], []).append(
            Shift(time.fromisoformat(row["opens"]), time.fromisoformat(row["closes"]), row["shift"] in staffed))
    return Visiting(center["name"], center["address"], center["directions"], center["phone"],
                    {day: tuple(shifts) for day, shifts in week.items()},
                    center["partner_name"], center["partner_phone"])


def open_spans(place: Visiting, weekday: int) -> list[tuple[time, time]]:
    """The day's opening hours: its shifts joined where one ends as the next begins."""
    spans: list[tuple[time, time]] = []
    for shift in place.week.get(weekday, ()):
        if spans and shift.opens <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], shift.closes))
        else:
            spans.append((shift.opens, shift.closes))
    return spans


def staffed_now(place: Visiting, local_now: datetime) -> bool:
    """Whether a shift with counselors runs at this local time."""
    at = local_now.time()
    return any(s.staffed and s.opens <= at < s.closes for s in place.week.get(local_now.weekday(), ()))
