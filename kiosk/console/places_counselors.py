"""Counselors: admins see every center's, center staff their own center's (another center's
counselor is 403), counselors none. Staff add a counselor with their mobile number (the number
their texts are commands from; shown masked from then on), change their center or shift,
deactivate them, and see each one's load today. Each change is an access record."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import abort, current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from kiosk.console import console
from kiosk.console import places_forms as forms
from kiosk.console.access import note_access, require_center, signed_in, visible_centers
from kiosk.console.places_centers import STAFF_ROLES
from kiosk.core.db import IntegrityError, statement_may_fail, transaction
from kiosk.core.phones import mask
from kiosk.counseling import hours as counseling
from kiosk.counseling import load
from kiosk.http.db import get_db
from kiosk.http.extensions import htmx
from kiosk.http.now import app_now, app_today
from kiosk.http.templating import t
from kiosk.places import centers

Page = str | tuple[str, int]


def _day() -> tuple[datetime, datetime]:
    start = datetime.combine(app_today(), time(0), tzinfo=ZoneInfo(current_app.config["TIMEZONE"]))
    return start, start + timedelta(days=1)


def _page(values: dict[str, str], errors: dict[str, str], notice: str = "", status: int = 200) -> Page:
    db = get_db()
    mine = visible_centers(db)
    rows = [row for row in counseling.counselors(db) if row["center_id"] in mine]
    loads = load.on_day(db, [row["id"] for row in rows], *_day())
    template = "console/_counselors.html" if htmx and not errors else "console/counselors.html"
    page = render_template(template, rows=rows, loads=loads, masked={row["id"]: mask(row["phone"]) for row in rows},
                           values=values, errors=errors, notice=notice, centers=_center_options(mine),
                           shifts=_shift_options())
    return page, status


def _center_options(mine: list[int]) -> list[tuple[int, str]]:
    return [(row["id"], row["name"]) for row in centers.every(get_db()) if row["id"] in mine]


def _shift_options() -> list[tuple[int, str]]:
    return [(number, t("places.hours.shift", number=number)) for number in range(1, 10)]


def _blank() -> dict[str, str]:
    mine = visible_centers(get_db())
    return dict.fromkeys(forms.COUNSELOR_FIELDS, "") | {"shift": "1", "center": str(mine[0]) if len(mine) == 1 else ""}


@console.get("/counselors", endpoint="counselors")
@signed_in(*STAFF_ROLES)
def counselors_page() -> Page:
    return _page(_blank(), {}, request.args.get("notice", ""))


@console.post("/counselors")
@signed_in(*STAFF_ROLES)
def counselor_create() -> Page | Response:
    """A new counselor; refused, the page again (422) with the reasons and what was typed."""
    db = get_db()
    values = forms.typed(request.form, forms.COUNSELOR_FIELDS)
    errors, phone = forms.counselor_problems(values, new=True, centers=set(visible_centers(db)))
    if not errors:
        try:
            with transaction(db), statement_may_fail(db):
                counselor_id = counseling.add_counselor(db, name=values["name"], phone=phone, now=app_now(),
                                                        center_id=int(values["center"]), shift=int(values["shift"]))
        except IntegrityError:
            errors["phone"] = "places.error.phone_taken"
    if errors:
        return _page(values, errors, status=422)
    note_access("change", f"counselor {counselor_id} added")
    return redirect(url_for("console.counselors", notice="added"), 303)


def _counselor_or_404(counselor_id: int):
    row = counseling.counselor(get_db(), counselor_id)
    if row is None:
        abort(404)
    require_center(row["center_id"])
    return row


@console.get("/counselors/<id:counselor_id>")
@signed_in(*STAFF_ROLES)
def counselor_edit(counselor_id: int) -> Page:
    row = _counselor_or_404(counselor_id)
    values = {"center": str(row["center_id"]), "shift": str(row["shift"])}
    return _edit_page(row, values, {})


def _edit_page(row, values: dict[str, str], errors: dict[str, str], status: int = 200) -> Page:
    page = render_template("console/counselor_form.html", row=row, masked=mask(row["phone"]), values=values,
                           errors=errors, centers=_center_options(visible_centers(get_db())), shifts=_shift_options())
    return page, status


@console.post("/counselors/<id:counselor_id>")
@signed_in(*STAFF_ROLES)
def counselor_update(counselor_id: int) -> Page | Response:
    """Another center or shift from now on; appointments already booked stay with them."""
    row = _counselor_or_404(counselor_id)
    db = get_db()
    values = forms.typed(request.form, ("center", "shift"))
    errors, _ = forms.counselor_problems(values, new=False, centers=set(visible_centers(db)))
    if errors:
        return _edit_page(row, values, errors, 422)
    counseling.move_counselor(db, counselor_id, center_id=int(values["center"]), shift=int(values["shift"]))
    note_access("change", f"counselor {counselor_id} moved to center {values['center']}, shift {values['shift']}")
    return redirect(url_for("console.counselors", notice="moved"), 303)


@console.post("/counselors/<id:counselor_id>/active")
@signed_in(*STAFF_ROLES)
def counselor_active(counselor_id: int) -> Page | Response:
    """Deactivates (active=0) or reactivates a counselor: no new bookings, referrals or commands."""
    _counselor_or_404(counselor_id)
    active = request.form.get("active") == "1"
    counseling.set_active(get_db(), counselor_id, active)
    note_access("change", f"counselor {counselor_id} {'reactivated' if active else 'deactivated'}")
    notice = "reactivated" if active else "deactivated"
    if htmx:
        return _page(_blank(), {}, notice)
    return redirect(url_for("console.counselors", notice=notice), 303)
