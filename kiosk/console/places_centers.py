"""Centers: admins see and add every center, center staff see and edit their own (another
center's address is 403), counselors none. A center has a name, a kind, an address and a
"where to find us" line, a phone, a slot length, a partner center (where a place with no
counselors sends its referrals and bookings) and each weekday's shifts."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from kiosk.console import console
from kiosk.console import places_forms as forms
from kiosk.console.access import current_staff, require_center, signed_in, visible_centers
from kiosk.core.db import IntegrityError, statement_may_fail, transaction
from kiosk.core.regions import REGIONS
from kiosk.counseling import hours as counseling
from kiosk.http.db import get_db
from kiosk.http.extensions import htmx
from kiosk.http.templating import t
from kiosk.places import centers, visiting

Page = str | tuple[str, int]
STAFF_ROLES = ("admin", "staff")


@console.get("/centers", endpoint="centers")
@signed_in(*STAFF_ROLES)
def centers_page() -> str:
    db = get_db()
    rows = centers.listing(db, visible_centers(db))
    weeks = {row["id"]: week_summary(visiting.visiting(db, row["id"])) for row in rows}
    template = "console/_centers.html" if htmx else "console/centers.html"
    return render_template(template, rows=rows, weeks=weeks, notice=request.args.get("notice", ""),
                           may_add=current_staff().role == "admin")


def week_summary(place: visiting.Visiting | None) -> list[str]:
    """The week's hours as staff read them: 월–금 09:00–18:00, 토 10:00–13:00."""
    if place is None:
        return []
    days: list[tuple[list[int], str]] = []
    for day in range(7):
        spans = ", ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in visiting.open_spans(place, day))
        if not spans:
            continue
        if days and days[-1][1] == spans and days[-1][0][-1] == day - 1:
            days[-1][0].append(day)
        else:
            days.append(([day], spans))
    named = [t(f"places.weekday.{group[0]}") + ("" if len(group) == 1 else f"–{t(f'places.weekday.{group[-1]}')}")
             for group, _ in days]
    return [f"{name} {spans}" for name, (_, spans) in zip(named, days, strict=True)]


def kind_options() -> list[tuple[str, str]]:
    return [(kind, t(f"places.kind.{kind}")) for kind in centers.KINDS]


def region_options() -> list[tuple[str, str]]:
    return [(code, t(f"region.{code}")) for code in REGIONS]


def _form_page(values: dict[str, str], hours: dict[str, str], errors: dict[str, str],
               center_id: int | None, status: int = 200) -> Page:
    db = get_db()
    others = [(row["id"], row["name"]) for row in centers.every(db) if row["id"] != center_id]
    page = render_template("console/center_form.html", values=values, hours=hours, errors=errors,
                           center_id=center_id, others=others, kinds=kind_options(), regions=region_options(),
                           weekdays=forms.WEEKDAYS, shifts=forms.SHIFTS)
    return page, status


@console.get("/centers/new")
@signed_in("admin")
def center_new() -> Page:
    values = dict.fromkeys(forms.CENTER_FIELDS, "") | {"kind": "center", "slot_minutes": "30"}
    return _form_page(values, forms.hours_typed({}), {}, None)


@console.post("/centers/new")
@signed_in("admin")
def center_create() -> Page | Response:
    return _save(None)


def _center_or_404(center_id: int):
    center = centers.get(get_db(), center_id)
    if center is None:
        abort(404)
    require_center(center_id)
    return center


@console.get("/centers/<id:center_id>")
@signed_in(*STAFF_ROLES)
def center_edit(center_id: int) -> Page:
    center = _center_or_404(center_id)
    values = {name: str(center[name] or "") for name in forms.CENTER_FIELDS if name != "partner"}
    values["partner"] = str(center["partner_center_id"] or "")
    rows = get_db().execute("SELECT * FROM center_hours WHERE center_id = ?", (center_id,)).fetchall()
    return _form_page(values, forms.hours_values(rows), {}, center_id)


@console.post("/centers/<id:center_id>")
@signed_in(*STAFF_ROLES)
def center_update(center_id: int) -> Page | Response:
    _center_or_404(center_id)
    return _save(center_id)


def _save(center_id: int | None) -> Page | Response:
    """Creates or changes a center and its week; refused, the form again (422) with every reason."""
    db = get_db()
    values, hours = forms.typed(request.form, forms.CENTER_FIELDS), forms.hours_typed(request.form)
    others = {row["id"] for row in centers.every(db)}
    errors = forms.center_problems(values, center_id=center_id, others=others)
    errors |= {f"hours-{key}": reason for key, reason in forms.hours_problems(hours).items()}
    if not errors:
        try:
            with transaction(db), statement_may_fail(db):
                center_id = _write(db, center_id, values, hours)
        except IntegrityError:
            errors["name"] = "places.error.name_taken"
    if errors:
        return _form_page(values, hours, errors, center_id, 422)
    return redirect(url_for("console.centers", notice="saved"), 303)


def _write(db, center_id: int | None, values: dict[str, str], hours: dict[str, str]) -> int:
    fields = forms.center_fields(values)
    if center_id is None:
        center_id = centers.add(db, fields)
    else:
        centers.change(db, center_id, fields)
    centers.set_partner(db, center_id, forms.number(values["partner"]) if values["partner"] else None)
    counseling.set_week(db, center_id, forms.week(hours))
    return center_id

