"""What the staff console reads about seekers: finding one, and their appointments,
referral requests and alerts. Reads only; the owners of those tables write them.

Who may see whom: an admin everyone; center staff their center's seekers, that is those who
registered at one of its kiosks or have an appointment or a referral request there; a
counselor those with an appointment or a referral request of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kiosk.core.db import Connection, Row

HISTORY_LIMIT = 50  # rows of each history a seeker's page shows, newest first
FOUND_LIMIT = 20


@dataclass(frozen=True)
class Scope:
    """Whose seekers a staff member may see: neither set means every seeker."""

    center_id: int | None = None
    counselor_id: int | None = None


_CENTER = ("(s.center_id = :center"
           " OR EXISTS (SELECT 1 FROM appointments a WHERE a.seeker_id = s.id AND a.center_id = :center)"
           " OR EXISTS (SELECT 1 FROM referral_requests r WHERE r.seeker_id = s.id AND r.center_id = :center))")
_COUNSELOR = ("(EXISTS (SELECT 1 FROM appointments a WHERE a.seeker_id = s.id AND a.counselor_id = :counselor)"
              " OR EXISTS (SELECT 1 FROM referral_requests r WHERE r.seeker_id = s.id"
              " AND r.counselor_id = :counselor))")


def _within(scope: Scope) -> tuple[str, dict[str, Any]]:
    if scope.counselor_id is not None:
        return _COUNSELOR, {"counselor": scope.counselor_id}
    if scope.center_id is not None:
        return _CENTER, {"center": scope.center_id}
    return "1 = 1", {}


def find(db: Connection, scope: Scope, *, last_four: str, name: str) -> list[Row]:
    """Active seekers of that name whose number ends in those four digits, within the scope."""
    within, params = _within(scope)
    return db.execute(
        "SELECT s.id, s.name, s.phone, s.registered_at, s.kiosk_code, c.name AS center_name"
        " FROM seekers s LEFT JOIN centers c ON c.id = s.center_id"
        " WHERE s.name = :name AND s.status = 'active'"
        " AND substr(s.phone, length(s.phone) - 3) = :last_four"
        f" AND {within} ORDER BY s.registered_at DESC, s.id LIMIT :limit",  # noqa: S608 - fixed text
        {**params, "name": " ".join(name.split()), "last_four": last_four,
         "limit": FOUND_LIMIT}).fetchall()


def visible(db: Connection, scope: Scope, seeker_id: int) -> bool:
    """Whether this seeker is within the scope (a seeker who does not exist is not)."""
    within, params = _within(scope)
    return db.execute(f"SELECT 1 FROM seekers s WHERE s.id = :id AND {within}",  # noqa: S608 - fixed text
                      {**params, "id": seeker_id}).fetchone() is not None


def profile(db: Connection, seeker_id: int) -> Row | None:
    """The seeker with where they registered."""
    return db.execute(
        "SELECT s.*, c.name AS center_name, k.name AS kiosk_name FROM seekers s"
        " LEFT JOIN centers c ON c.id = s.center_id LEFT JOIN kiosks k ON k.code = s.kiosk_code"
        " WHERE s.id = ?", (seeker_id,)).fetchone()


def appointments(db: Connection, seeker_id: int) -> list[Row]:
    """The seeker's appointments, latest first, with their center and counselor."""
    return db.execute(
        "SELECT a.id, a.kind, a.starts_at, a.status, a.outcome, c.name AS center_name,"
        " co.name AS counselor_name FROM appointments a JOIN centers c ON c.id = a.center_id"
        " LEFT JOIN counselors co ON co.id = a.counselor_id WHERE a.seeker_id = ?"
        " ORDER BY a.starts_at DESC, a.id DESC LIMIT ?", (seeker_id, HISTORY_LIMIT)).fetchall()


def referrals(db: Connection, seeker_id: int) -> list[Row]:
    """The seeker's referral requests, latest first, with the opening asked about."""
    return db.execute(
        "SELECT r.id, r.status, r.created_at, o.title, o.employer, c.name AS center_name,"
        " co.name AS counselor_name FROM referral_requests r JOIN centers c ON c.id = r.center_id"
        " LEFT JOIN openings o ON o.id = r.opening_id LEFT JOIN counselors co ON co.id = r.counselor_id"
        " WHERE r.seeker_id = ? ORDER BY r.created_at DESC, r.id DESC LIMIT ?",
        (seeker_id, HISTORY_LIMIT)).fetchall()


def alerts(db: Connection, seeker_id: int) -> list[Row]:
    """Job alerts texted to the seeker, latest first, with the opening each was about."""
    return db.execute(
        "SELECT m.id, m.status, m.created_at, m.sent_at, o.title, o.employer FROM sms_messages m"
        " LEFT JOIN openings o ON o.id = m.opening_id WHERE m.seeker_id = ? AND m.kind = 'alert'"
        " ORDER BY m.created_at DESC, m.id DESC LIMIT ?", (seeker_id, HISTORY_LIMIT)).fetchall()
