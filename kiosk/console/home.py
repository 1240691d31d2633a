"""The console's home: what the signed-in person has to do today, by role.

Each count links to the page where it is handled; a count whose page this person may not open
(or that this installation does not have) is not shown, so the home grows with the nav.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, render_template

from kiosk.console import console
from kiosk.console.access import Staff, current_staff, signed_in, visible_centers
from kiosk.console.nav import entries_for
from kiosk.core.db import Connection
from kiosk.counseling import agenda
from kiosk.http.db import get_db
from kiosk.http.now import app_now, app_today
from kiosk.staff import today
from sms.outbound import overview


@dataclass(frozen=True)
class Item:
    key: str  # the catalog key of its label
    count: int
    endpoint: str  # the nav page that decides whether it is shown
    params: dict[str, str]
    link: str | None = None  # where the count links, when not the page itself


def _scope(staff: Staff) -> today.Scope:
    if staff.role == "admin":
        return today.Scope(None)
    if staff.role == "counselor":
        return today.Scope([staff.center_id], staff.counselor_id)
    return today.Scope([staff.center_id])


def _day_bounds() -> tuple[datetime, datetime]:
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    start = datetime.combine(app_today(), time(0), tzinfo=zone)
    return start, start + timedelta(days=1)


def _items(db: Connection, staff: Staff) -> list[Item]:
    """Every count this person's role has, before the nav decides which are shown."""
    scope, now = _scope(staff), app_now()
    start, end = _day_bounds()
    items = [
        Item("console.home.appointments_today", today.appointments_between(db, scope, start, end),
             "console.appointments", {}),
        Item("console.home.outcomes_missing", len(_waiting_outcome(db, staff, now)), "console.appointments", {},
             link="console.appointments_waiting"),
        Item("console.home.referrals_waiting", today.referrals_waiting(db, scope), "console.referrals", {}),
        Item("console.home.callbacks_waiting", today.callbacks_waiting(db, scope), "console.referrals", {}),
    ]
    if staff.role == "admin":
        items += [
            Item("console.home.locked_accounts", today.locked_accounts(db, now), "console.accounts", {}),
            Item("console.home.without_password", today.without_password(db), "console.accounts", {}),
            Item("console.home.failed_sign_ins", today.failed_sign_ins(db, now), "console.access_records",
                 {"action": "sign_in_failed", "from": (app_today() - timedelta(days=1)).isoformat()}),
            Item("operations.home.unreached", overview.unreached_count(db, now - timedelta(days=1)),
                 "console.operations", {}),
        ]
    else:
        items.append(Item("operations.home.unreached",
                          overview.unreached_count(db, now - timedelta(days=1), visible_centers(db)),
                          "console.unreached_texts", {}))
    return items


def _waiting_outcome(db: Connection, staff: Staff, now: datetime) -> list[agenda.Entry]:
    """The appointments page's own list of those over without an outcome, in this person's scope."""
    return agenda.without_outcome(db, now, center_id=None if staff.role == "admin" else staff.center_id,
                                  counselor_id=staff.counselor_id if staff.role == "counselor" else None)


@console.get("/")
@signed_in()
def home() -> str:
    staff = current_staff()
    pages = dict(entries_for(staff))
    items = [item for item in _items(get_db(), staff) if item.endpoint in pages]
    return render_template("console/home.html", person=staff, items=items)
