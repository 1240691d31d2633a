"""What a figure is about: a period of days in the center's zone and a scope (every center, one
center, one kiosk, or one city or county), as conditions on the recorded rows.

A seeker belongs where they registered (center, kiosk); a city or county is that of the center.
Consultations, referrals and satisfaction answers belong to the center that recorded them, and
to a kiosk through the seeker they are about.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from kiosk.core.clock import iso
from kiosk.core.db import Connection, in_list, list_param


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # included

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same length just before."""
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def year_before(self) -> Period:
        return Period(_year_back(self.start), _year_back(self.end))

    def bounds(self, zone: str) -> tuple[str, str]:
        """[start 00:00, the day after end 00:00) in the zone, as stored UTC text."""
        tz = ZoneInfo(zone)
        return (iso(datetime.combine(self.start, time(0), tzinfo=tz)),
                iso(datetime.combine(self.end + timedelta(days=1), time(0), tzinfo=tz)))


def _year_back(day: date) -> date:
    return day.replace(year=day.year - 1) if (day.month, day.day) != (2, 29) else date(day.year - 1, 2, 28)


@dataclass(frozen=True)
class Scope:
    center_id: int | None = None
    kiosk_code: str | None = None
    region: str | None = None  # a city or county code (kiosk.core.regions)

    @property
    def whole(self) -> bool:
        return self.center_id is None and self.kiosk_code is None and self.region is None

    def as_dict(self) -> dict[str, int | str | None]:
        return {"center_id": self.center_id, "kiosk_code": self.kiosk_code, "region": self.region}


def region_centers(db: Connection, region: str) -> list[int]:
    return [row[0] for row in db.execute("SELECT id FROM centers WHERE region = ? ORDER BY id", (region,))]


def on_seekers(db: Connection, scope: Scope, alias: str = "") -> tuple[str, tuple]:
    """Extra conditions (' AND ...') on seekers for the scope: only those asked for, so indexes stay usable."""
    sql, args = "", ()
    if scope.center_id is not None:
        sql, args = sql + f" AND {alias}center_id = ?", (*args, scope.center_id)
    if scope.kiosk_code is not None:
        sql, args = sql + f" AND {alias}kiosk_code = ?", (*args, scope.kiosk_code)
    if scope.region is not None:
        sql += f" AND {in_list(alias + 'center_id')}"
        args = (*args, list_param(region_centers(db, scope.region)))
    return sql, args


def on_activity(db: Connection, scope: Scope, alias: str = "") -> tuple[str, tuple]:
    """Extra conditions on consultations, placements or satisfaction answers (center_id, seeker_id)."""
    sql, args = "", ()
    if scope.center_id is not None:
        sql, args = sql + f" AND {alias}center_id = ?", (*args, scope.center_id)
    if scope.kiosk_code is not None:
        sql += f" AND {alias}seeker_id IN (SELECT id FROM seekers WHERE kiosk_code = ?)"
        args = (*args, scope.kiosk_code)
    if scope.region is not None:
        sql += f" AND {in_list(alias + 'center_id')}"
        args = (*args, list_param(region_centers(db, scope.region)))
    return sql, args


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def ratio(total: float, people: int, digits: int = 2) -> float | None:
    return round(total / people, digits) if people else None


def change(now: float | None, before: float | None) -> float | None:
    """The relative change from before to now (0.33: +33%); None when before is 0 or unknown."""
    return round(now / before - 1, 4) if now is not None and before else None
