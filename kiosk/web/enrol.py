"""A kiosk PC becomes a kiosk: it types (or scans) the one-time code staff made in the console,
and reports in while it shows the kiosk, so the console knows it is on."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from kiosk.http import clients
from kiosk.http.db import get_db
from kiosk.places import devices, kiosks
from kiosk.web import caches

bp = Blueprint("enrol", __name__)
RESERVED_CODES = ("enrol",)  # /k/enrol is this page, never a kiosk


@bp.get("/k/enrol")
def enrol_form() -> str:
    return render_template("kiosk/enrol.html", typed="", error=None)


@bp.post("/k/enrol")
def enrol() -> Response | tuple[str, int]:
    """A right code enrols this browser for its kiosk and opens the kiosk; a wrong one says why."""
    typed = request.form.get("code", "").strip()[:40]
    if not devices.normalized(typed):
        return render_template("kiosk/enrol.html", typed=typed, error="kiosk.enrol.empty"), 422
    try:
        device = devices.redeem(get_db(), typed, current_app.extensions["clock"].now(),
                                current_app.config["SECRET_KEY"])
    except devices.Refused as refused:
        return render_template("kiosk/enrol.html", typed=typed, error=f"kiosk.enrol.{refused.reason}"), 422
    clients.remember(device)
    return redirect(url_for("kiosk.home", kiosk_code=device["kiosk_code"]), code=303)


@bp.post("/k/<kiosk_code>/report")
def report(kiosk_code: str) -> Response | tuple[str, int]:
    """The kiosk page's report that it is on (kiosk.js), visitor or not; it leaves the visitor's
    session alone. A device disabled in the meantime gets the refusal, and the page reloads to it."""
    db = get_db()
    kiosk = caches.current().kiosks.get(db, kiosk_code, lambda: kiosks.get(db, kiosk_code))
    if kiosk is None:
        abort(404)
    return ("", 204) if clients.admit(kiosk) is not None else clients.refusal()
