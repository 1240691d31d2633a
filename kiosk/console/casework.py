"""What the referral and appointment pages share: whose rows a person may see and touch."""

from __future__ import annotations

from flask import abort, request

from kiosk.console.access import Staff, current_staff, visible_centers
from kiosk.core.db import Connection, Row
from kiosk.counseling import hours as counseling
from kiosk.places import centers


def me() -> Staff:
    staff = current_staff()
    assert staff is not None  # every view here is behind signed_in()
    return staff


def chosen_center(db: Connection, *, required: bool) -> int | None:
    """The center a page shows: an admin's choice (?center=, else all or the first), anyone else's own."""
    staff = me()
    if staff.role != "admin":
        return staff.center_id
    wanted = request.args.get("center", "")
    ids = visible_centers(db)
    if wanted.isdigit() and int(wanted) in ids:
        return int(wanted)
    return ids[0] if required and ids else None


def may_touch_appointment(appointment: Row | None) -> Row:
    """The appointment if this person may see and change it: 404 unknown, 403 someone else's."""
    if appointment is None:
        abort(404)
    staff = me()
    if staff.role == "counselor" and appointment["counselor_id"] != staff.counselor_id:
        abort(403)
    if staff.role != "admin" and appointment["center_id"] != staff.center_id:
        abort(403)
    return appointment


def serves(db: Connection, center_id: int) -> list[int]:
    """The centers whose counselors take a center's requests: itself and its partner center."""
    partner = centers.partner(db, center_id)
    return [center_id] + ([partner["id"]] if partner else [])


def counselors_of(db: Connection, center_ids: list[int]) -> list[Row]:
    """The active counselors of these centers, by center then name."""
    rows = [row for center_id in center_ids for row in counseling.counselors(db, center_id) if row["active"]]
    return sorted(rows, key=lambda row: (center_ids.index(row["center_id"]), row["name"], row["id"]))
