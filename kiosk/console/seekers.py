"""Seekers in the console: find one by name and the last four digits, always with a reason;
see their appointments, referral requests and alerts; pause alerts; withdraw them on request.

Every search and every view or change of a seeker's data leaves an access record with the
reason given (note_access). The search is a POST, so no name or digits reach a URL or a log.
A seeker's page opens only with a reason given for that seeker (from the search's list, or
asked on the page), kept in the console session while the page is used. Who may see whom:
kiosk.seekers.lookup (admin everyone; center staff their center's seekers; a counselor those
of their own appointments and requests); anyone else gets 403.
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from kiosk.console import console, seeker_casework
from kiosk.console.access import current_staff, note_access, signed_in
from kiosk.core.db import transaction
from kiosk.core.phones import mask
from kiosk.counseling import records
from kiosk.http.db import get_db
from kiosk.http.now import app_now
from kiosk.seekers import lookup
from kiosk.seekers import store as seekers

READERS = ("admin", "staff", "counselor")
WITHDRAWERS = ("admin", "staff")  # a counselor asks the center to withdraw someone
REASON_LENGTH = (2, 200)
KEPT = "seeker_access"  # the session's {"id": seeker, "reason": why} for the open seeker page


def _scope() -> lookup.Scope:
    staff = current_staff()
    assert staff is not None
    if staff.role == "counselor":
        return lookup.Scope(counselor_id=staff.counselor_id if staff.counselor_id is not None else -1)
    if staff.role == "staff":
        return lookup.Scope(center_id=staff.center_id if staff.center_id is not None else -1)
    return lookup.Scope()


def _reason_error(reason: str) -> str | None:
    low, high = REASON_LENGTH
    return None if low <= len(reason) <= high else "console_openings.seekers.invalid.reason"


def _find_errors(typed: dict[str, str]) -> dict[str, str]:
    errors = {}
    if not (len(typed["last_four"]) == 4 and typed["last_four"].isascii() and typed["last_four"].isdigit()):
        errors["last_four"] = "console_openings.seekers.invalid.last_four"
    if not typed["name"] or len(typed["name"]) > 50:
        errors["name"] = "console_openings.seekers.invalid.name"
    if (problem := _reason_error(typed["reason"])) is not None:
        errors["reason"] = problem
    return errors


@console.route("/seekers", methods=["GET", "POST"], endpoint="seekers")
@signed_in(*READERS)
def seekers_find() -> tuple[str, int]:
    typed = {name: " ".join(request.form.get(name, "").split()) for name in ("last_four", "name", "reason")}
    if request.method == "GET":
        return render_template("console/seekers/find.html", typed=typed, errors={}, found=None), 200
    errors = _find_errors(typed)
    if errors:
        return render_template("console/seekers/find.html", typed=typed, errors=errors, found=None), 422
    db = get_db()
    found = lookup.find(db, _scope(), last_four=typed["last_four"], name=typed["name"])
    with transaction(db):
        note_access("search", f"seekers by name and last four digits: {len(found)} found", reason=typed["reason"])
    rows = [{"id": r["id"], "name": r["name"], "phone": mask(r["phone"]), "registered_at": r["registered_at"],
             "center_name": r["center_name"]} for r in found]
    return render_template("console/seekers/find.html", typed=typed, errors={}, found=rows), 200




def visible_or_403(seeker_id: int) -> Any:
    db = get_db()
    if not lookup.visible(db, _scope(), seeker_id):
        abort(403)
    return lookup.profile(db, seeker_id)


def kept_reason(seeker_id: int) -> str | None:
    kept = session.get(KEPT)
    if isinstance(kept, dict) and kept.get("id") == seeker_id and isinstance(kept.get("reason"), str):
        return kept["reason"]
    return None


@console.post("/seekers/<id:seeker_id>/open")
@signed_in(*READERS)
def seeker_open(seeker_id: int) -> Response | tuple[str, int]:
    profile = visible_or_403(seeker_id)
    reason = " ".join(request.form.get("reason", "").split())
    if (problem := _reason_error(reason)) is not None:
        return render_template("console/seekers/reason.html", profile=profile, typed={"reason": reason},
                               errors={"reason": problem}), 422
    session[KEPT] = {"id": seeker_id, "reason": reason}
    came_from = request.form.get("appointment", "")  # an appointment's outcome: its referral form
    if came_from.isdigit():
        return redirect(url_for("console.seeker", seeker_id=seeker_id, appointment=came_from,
                                _anchor="placements"), 303)
    return redirect(url_for("console.seeker", seeker_id=seeker_id), 303)


@console.get("/seekers/<id:seeker_id>")
@signed_in(*READERS)
def seeker(seeker_id: int) -> tuple[str, int]:
    profile = visible_or_403(seeker_id)
    reason = kept_reason(seeker_id)
    if reason is None:  # a bookmark, a link: nothing is shown before a reason is given
        return render_template("console/seekers/reason.html", profile=profile, typed={"reason": ""},
                               errors={}), 200
    return render_seeker(profile, reason)


def render_seeker(profile: Any, reason: str, *, forms: dict | None = None, status: int = 200) -> tuple[str, int]:
    """The seeker's page (its casework forms as typed, when one was refused), a view recorded."""
    db, seeker_id = get_db(), profile["id"]
    with transaction(db):
        note_access("view", "seeker page: profile, appointments, referral requests, alerts, consultations,"
                    " placements, programs", seeker_id=seeker_id, reason=reason)
    staff = current_staff()
    return render_template(
        "console/seekers/seeker.html", profile=profile, phone=mask(profile["phone"]), reason=reason,
        prefs=seekers.prefs(db, seeker_id), appointments=lookup.appointments(db, seeker_id),
        referrals=lookup.referrals(db, seeker_id), alerts=lookup.alerts(db, seeker_id),
        may_withdraw=staff is not None and staff.role in WITHDRAWERS,
        changed=request.args.get("changed", ""), **seeker_casework.context(db, profile, forms)), status


@console.post("/seekers/<id:seeker_id>/alerts")
@signed_in(*READERS)
def seeker_alerts(seeker_id: int) -> Response:
    profile = visible_or_403(seeker_id)
    reason = kept_reason(seeker_id)
    if reason is None or profile["status"] != "active":
        return redirect(url_for("console.seeker", seeker_id=seeker_id), 303)
    paused = request.form.get("paused") == "1"
    db = get_db()
    with transaction(db):
        seekers.set_alerts_paused(db, seeker_id, paused, app_now())
        note_access("change", "alerts paused" if paused else "alerts resumed", seeker_id=seeker_id, reason=reason)
    return redirect(url_for("console.seeker", seeker_id=seeker_id, changed="paused" if paused else "resumed"), 303)


@console.route("/seekers/<id:seeker_id>/withdraw", methods=["GET", "POST"])
@signed_in(*WITHDRAWERS)
def seeker_withdraw(seeker_id: int) -> Response | tuple[str, int]:
    profile = visible_or_403(seeker_id)
    kept = kept_reason(seeker_id)
    if kept is None or profile["status"] != "active":  # done already (a second submit), or no reason yet
        return redirect(url_for("console.seeker", seeker_id=seeker_id), 303)
    reason = " ".join(request.form.get("reason", kept).split())
    db = get_db()
    if request.method == "GET" or (problem := _reason_error(reason)) is not None:
        errors = {} if request.method == "GET" else {"reason": problem}
        with transaction(db):
            note_access("view", "withdrawal confirmation: name and masked number", seeker_id=seeker_id, reason=kept)
        return render_template("console/seekers/withdraw.html", profile=profile, phone=mask(profile["phone"]),
                               typed={"reason": reason}, errors=errors), 422 if errors else 200
    with transaction(db):
        seekers.anonymize(db, seeker_id, app_now(), "withdrawal", secret=current_app.config["SECRET_KEY"])
        records.forget_notes(db, [seeker_id])  # at once here; withdrawals elsewhere: the nightly retention
        note_access("withdraw", "withdrawn on the person's request: personal data erased",
                    seeker_id=seeker_id, reason=reason)
    return redirect(url_for("console.seeker", seeker_id=seeker_id, changed="withdrawn"), 303)
