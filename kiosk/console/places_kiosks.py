"""Kiosks and their devices: admins see every kiosk, center staff their own center's (another
center's kiosk or device is 403), counselors none. Staff add and edit kiosks, make a one-time
enrolment code that a kiosk PC types at /k/enrol, see when each device last reported in, and
disable a device, which is refused from its next request on."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from kiosk.console import console
from kiosk.console import places_forms as forms
from kiosk.console.access import require_center, signed_in, visible_centers
from kiosk.console.places_centers import STAFF_ROLES, region_options
from kiosk.core.db import IntegrityError, statement_may_fail, transaction
from kiosk.http.db import get_db
from kiosk.http.extensions import htmx
from kiosk.http.now import app_now
from kiosk.http.templating import t
from kiosk.places import centers, devices, kiosks

Page = str | tuple[str, int]


@console.get("/kiosks", endpoint="kiosks")
@signed_in(*STAFF_ROLES)
def kiosks_page() -> str:
    return _list(request.args.get("notice", ""))


def _list(notice: str) -> str:
    db = get_db()
    rows = kiosks.of_centers(db, visible_centers(db))
    found = devices.of_kiosks(db, [row["code"] for row in rows])
    now, within = app_now(), timedelta(minutes=current_app.config["DEVICE_ONLINE_MINUTES"])
    online = {d["id"]: devices.is_online(d, now, within) for listed in found.values() for d in listed}
    template = "console/_kiosks.html" if htmx else "console/kiosks.html"
    return render_template(template, rows=rows, devices=found, online=online, notice=notice)


def _center_options() -> list[tuple[int, str]]:
    db = get_db()
    mine = set(visible_centers(db))
    return [(row["id"], row["name"]) for row in centers.every(db) if row["id"] in mine]


def _form_page(values: dict[str, str], errors: dict[str, str], code: str | None, status: int = 200) -> Page:
    page = render_template("console/kiosk_form.html", values=values, errors=errors, code=code,
                           places=[(kind, t(f"places.place.{kind}")) for kind in kiosks.PLACE_KINDS],
                           regions=region_options(), centers=_center_options())
    return page, status


def _kiosk_or_404(code: str):
    kiosk = kiosks.any_state(get_db(), code)
    if kiosk is None:
        abort(404)
    require_center(kiosk["center_id"])
    return kiosk


@console.get("/kiosks/new")
@signed_in(*STAFF_ROLES)
def kiosk_new() -> Page:
    options = _center_options()
    values = dict.fromkeys(forms.KIOSK_FIELDS, "") | {"place_kind": "station", "active": "1",
                                                       "center": str(options[0][0]) if len(options) == 1 else ""}
    return _form_page(values, {}, None)


@console.post("/kiosks/new")
@signed_in(*STAFF_ROLES)
def kiosk_create() -> Page | Response:
    return _save(None)


@console.get("/kiosks/<code>")
@signed_in(*STAFF_ROLES)
def kiosk_edit(code: str) -> Page:
    kiosk = _kiosk_or_404(code)
    values = {"code": kiosk["code"], "name": kiosk["name"], "place_kind": kiosk["place_kind"],
              "region": kiosk["region"], "center": str(kiosk["center_id"]), "active": str(kiosk["active"])}
    return _form_page(values, {}, code)


@console.post("/kiosks/<code>")
@signed_in(*STAFF_ROLES)
def kiosk_update(code: str) -> Page | Response:
    _kiosk_or_404(code)
    return _save(code)


def _save(code: str | None) -> Page | Response:
    """Adds or changes a kiosk; refused, the form again (422) with every reason and what was typed."""
    db = get_db()
    values = forms.typed(request.form, forms.KIOSK_FIELDS)
    values["code"] = code or values["code"]
    values["active"] = "1" if code is None or values["active"] == "1" else "0"
    errors = forms.kiosk_problems(values, new=code is None, centers=set(visible_centers(db)))
    if not errors:
        fields = {"name": values["name"], "place_kind": values["place_kind"], "region": values["region"],
                  "center_id": int(values["center"])}
        try:
            with transaction(db), statement_may_fail(db):
                if code is None:
                    kiosks.add(db, code=values["code"], **fields)
                else:
                    kiosks.change(db, code, active=values["active"] == "1", **fields)
        except IntegrityError:
            errors["code"] = "places.error.code_taken"
    if errors:
        return _form_page(values, errors, code, 422)
    return redirect(url_for("console.kiosks", notice="saved"), 303)


@console.post("/kiosks/<code>/enrolment")
@signed_in(*STAFF_ROLES)
def kiosk_enrolment(code: str) -> str:
    """A new one-time code for this kiosk (its earlier unused code stops working), shown once."""
    kiosk = _kiosk_or_404(code)
    made = devices.make_code(get_db(), kiosk["code"], app_now(), current_app.config["SECRET_KEY"])
    enrol_url = current_app.config["PUBLIC_URL"].rstrip("/") + url_for("enrol.enrol_form")
    return render_template("console/kiosk_enrolment.html", kiosk=kiosk, code=made.code,
                           expires=made.expires_at.strftime("%Y-%m-%dT%H:%M:%SZ"), enrol_url=enrol_url)


@console.post("/kiosks/devices/<id:device_id>/disable")
@signed_in(*STAFF_ROLES)
def device_disable(device_id: int) -> str | Response:
    db = get_db()
    device = devices.get(db, device_id)
    if device is None:
        abort(404)
    _kiosk_or_404(device["kiosk_code"])
    devices.disable(db, device_id, app_now())
    if htmx:
        return _list("disabled")
    return redirect(url_for("console.kiosks", notice="disabled"), 303)
