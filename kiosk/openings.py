"""Job openings: storing, finding and closing them."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from kiosk.clock import iso
from kiosk.regions import hourly_equivalent

FIELDS = (
    "source_ref", "title", "employer", "occupation", "region", "address", "employment_type",
    "wage_kind", "wage_amount", "work_hours", "work_days", "description", "how_to_apply",
    "contact_phone", "posted_on", "deadline", "status",
)
UPDATABLE = [f for f in FIELDS if f != "source_ref"]

_UPSERT = (
    f"INSERT INTO openings ({', '.join(FIELDS)}, hourly_wage, created_at, updated_at)"
    f" VALUES ({', '.join(':' + f for f in FIELDS)}, :hourly_wage, :now, :now)"
    " ON CONFLICT (source_ref) DO UPDATE SET "
    + ", ".join(f"{f} = excluded.{f}" for f in (*UPDATABLE, "hourly_wage"))
    + ", updated_at = excluded.updated_at"
    " WHERE " + " OR ".join(f"openings.{f} IS NOT excluded.{f}" for f in UPDATABLE)
    + " RETURNING id"
)


def short_code(opening_id: int) -> str:
    """The code a seeker texts back to ask about an opening: J1234."""
    return f"J{opening_id}"


def upsert_many(db: sqlite3.Connection, rows: Iterable[Mapping[str, Any]], now: datetime) -> list[int]:
    """Inserts openings, or updates the one with the same source_ref; returns changed ids.

    Runs inside the caller's transaction.
    """
    stamp = iso(now)
    changed = []
    for row in rows:
        values = {"deadline": None, "status": "open", "description": "", "contact_phone": "",
                  "source_ref": None, **row}
        values["hourly_wage"] = hourly_equivalent(values["wage_kind"], int(values["wage_amount"]))
        values["now"] = stamp
        found = db.execute(_UPSERT, values).fetchone()
        if found:
            changed.append(found[0])
    return changed


def get(db: sqlite3.Connection, opening_id: int) -> sqlite3.Row | None:
    return db.execute("SELECT * FROM openings WHERE id = ?", (opening_id,)).fetchone()
