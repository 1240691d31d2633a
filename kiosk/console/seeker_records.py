"""Recording a seeker's casework in the console: a consultation (kind, channel, counselor, a
short note), a placement referral to an employer (an opening of the center's, or an employer
typed) and later its result, and correcting a wrong one.

Each form carries its own key: the same form sent twice records one row. A correction is never
a silent change: the record as it was goes to the corrections log (kiosk.counseling.records);
a cancelled record leaves the figures and stays in the log, shown struck through on the page.
A hire goes through the one writer every path uses (kiosk.counseling.placement_results), so a
person is counted hired once. Every change is an access record with the page's reason.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from kiosk.console import console
from kiosk.console import seeker_casework as casework
from kiosk.console.access import note_access, signed_in
from kiosk.console.casework import me
from kiosk.console.seekers import READERS, kept_reason, render_seeker, visible_or_403
from kiosk.core.clock import iso, parse_iso
from kiosk.core.db import transaction
from kiosk.core.formatting import local
from kiosk.counseling import appointments, placement_results, records
from kiosk.http.db import get_db
from kiosk.http.now import app_now

Page = tuple[str, int] | Response


def _seeker_or_back(seeker_id: int) -> tuple[Any, str | None]:
    """The seeker and the page's reason; None when there is none (or they withdrew): go back."""
    profile = visible_or_403(seeker_id)
    reason = kept_reason(seeker_id)
    return profile, reason if reason is not None and profile["status"] == "active" else None


def _back(seeker_id: int, changed: str, part: str) -> Response:
    return redirect(url_for("console.seeker", seeker_id=seeker_id, changed=changed, _anchor=part), 303)


@console.post("/seekers/<id:seeker_id>/consultations")
@signed_in(*READERS)
def seeker_consultation_add(seeker_id: int) -> Page:
    profile, reason = _seeker_or_back(seeker_id)
    if reason is None:
        return redirect(url_for("console.seeker", seeker_id=seeker_id), 303)
    db, form = get_db(), casework.typed(request.form, casework.CONSULTATION_FIELDS)
    form["form_key"] = form["form_key"][:64] or casework.new_key()
    values, errors = casework.check_consultation(db, form)
    if errors:
        return render_seeker(profile, reason, forms={"consultation": (form, errors)}, status=422)
    with transaction(db):
        number = records.add_consultation(db, seeker_id=seeker_id, form_key=form["form_key"], **values)
        casework.refresh_figures(db, [iso(values["at"])])
        note_access("change", f"consultation #{number} recorded", seeker_id=seeker_id, reason=reason)
    return _back(seeker_id, "consultation_added", "consultations")


@console.post("/seekers/<id:seeker_id>/placements")
@signed_in(*READERS)
def seeker_placement_add(seeker_id: int) -> Page:
    profile, reason = _seeker_or_back(seeker_id)
    if reason is None:
        return redirect(url_for("console.seeker", seeker_id=seeker_id), 303)
    db, form = get_db(), casework.typed(request.form, casework.PLACEMENT_FIELDS)
    form["form_key"] = form["form_key"][:64] or casework.new_key()
    values, errors = casework.check_placement(db, form, profile)
    if errors:
        return render_seeker(profile, reason, forms={"placement": (form, errors)}, status=422)
    appointment = request.form.get("appointment_id", "")
    with transaction(db):
        number = records.add_placement(db, seeker_id=seeker_id, form_key=form["form_key"],
                                       appointment_id=_own_appointment(db, seeker_id, appointment), **values)
        casework.refresh_figures(db, [iso(values["at"])])
        note_access("change", f"placement #{number} recorded", seeker_id=seeker_id, reason=reason)
    return _back(seeker_id, "placement_added", "placements")


def _own_appointment(db: Any, seeker_id: int, text: str) -> int | None:
    """The appointment a referral came from (the outcome form's link), if it is this seeker's."""
    found = appointments.get(db, int(text)) if text.isdigit() else None
    return found["id"] if found is not None and found["seeker_id"] == seeker_id else None


def _consultation_page(profile: Any, row: Any, form: dict, errors: dict, status: int = 200) -> tuple[str, int]:
    return render_template("console/seekers/consultation.html", profile=profile, row=row, typed=form,
                           errors=errors, counselor_choices=casework.counselor_choices(get_db()),
                           topics=casework.CONSULTATION_TOPICS, channels=casework.CONSULTATION_CHANNELS,
                           today=casework.today().isoformat()), status


@console.route("/seekers/<id:seeker_id>/consultations/<id:consultation_id>", methods=["GET", "POST"])
@signed_in(*READERS)
def seeker_consultation(seeker_id: int, consultation_id: int) -> Page:
    profile, reason = _seeker_or_back(seeker_id)
    db = get_db()
    row = casework.changeable(records.get_consultation(db, consultation_id), seeker_id)
    if reason is None:
        return redirect(url_for("console.seeker", seeker_id=seeker_id), 303)
    if request.method == "GET":
        with transaction(db):
            note_access("view", f"consultation #{consultation_id}", seeker_id=seeker_id, reason=reason)
        day = local(parse_iso(row["at"]), current_app.config["TIMEZONE"]).date().isoformat()
        return _consultation_page(profile, row, {"day": day, "topic": row["topic"], "channel": row["channel"],
                                                 "counselor_id": str(row["counselor_id"] or ""),
                                                 "note": row["note"] or ""}, {})
    form = casework.typed(request.form, casework.CONSULTATION_FIELDS)
    values, errors = casework.check_consultation(db, form)
    if errors:
        return _consultation_page(profile, row, form, errors, 422)
    if _same_day(row["at"], values["at"]):
        values["at"] = parse_iso(row["at"])  # the day is unchanged: so is the time
    with transaction(db):
        if records.change_consultation(db, row, account_id=me().id, now=app_now(), **values):
            casework.refresh_figures(db, [row["at"], iso(values["at"])])
            note_access("change", f"consultation #{consultation_id} corrected", seeker_id=seeker_id, reason=reason)
    return _back(seeker_id, "consultation_changed", "consultations")


def _same_day(stored: str, at: Any) -> bool:
    zone = current_app.config["TIMEZONE"]
    return local(parse_iso(stored), zone).date() == local(at, zone).date()


@console.post("/seekers/<id:seeker_id>/consultations/<id:consultation_id>/cancel")
@signed_in(*READERS)
def seeker_consultation_cancel(seeker_id: int, consultation_id: int) -> Page:
    profile, reason = _seeker_or_back(seeker_id)
    db = get_db()
    row = records.get_consultation(db, consultation_id)
    if row is None:  # cancelled already (a second submit)
        return _back(seeker_id, "consultation_cancelled", "consultations")
    row = casework.changeable(row, seeker_id)
    if reason is None:
        return redirect(url_for("console.seeker", seeker_id=seeker_id), 303)
    with transaction(db):
        records.cancel_consultation(db, row, account_id=me().id, now=app_now())
        casework.refresh_figures(db, [row["at"]])
        note_access("change", f"consultation #{consultation_id} cancelled", seeker_id=seeker_id, reason=reason)
    return _back(seeker_id, "consultation_cancelled", "consultations")


def _placement_page(profile: Any, row: Any, form: dict, errors: dict, status: int = 200) -> tuple[str, int]:
    return render_template("console/seekers/placement.html", profile=profile, row=row, typed=form,
                           errors=errors, results=records.RESULTS, today=casework.today().isoformat()), status


@console.route("/seekers/<id:seeker_id>/placements/<id:placement_id>", methods=["GET", "POST"])
@signed_in(*READERS)
def seeker_placement(seeker_id: int, placement_id: int) -> Page:
    profile, reason = _seeker_or_back(seeker_id)
    db = get_db()
    row = casework.changeable(records.get_placement(db, placement_id), seeker_id)
    if reason is None:
        return redirect(url_for("console.seeker", seeker_id=seeker_id), 303)
    if request.method == "GET":
        with transaction(db):
            note_access("view", f"placement #{placement_id}", seeker_id=seeker_id, reason=reason)
        return _placement_page(profile, row, {"result": row["result"], "hired_on": row["hired_on"] or ""}, {})
    form = casework.typed(request.form, casework.RESULT_FIELDS)
    values, errors = casework.check_result(form, row)
    if errors:
        return _placement_page(profile, row, form, errors, 422)
    with transaction(db):
        changed, touched = placement_results.set_result(db, row, account_id=me().id, now=app_now(), **values)
        if changed:
            casework.refresh_figures(db, touched)
            note_access("change", f"placement #{placement_id} result {values['result']}", seeker_id=seeker_id,
                        reason=reason)
    return _back(seeker_id, "placement_changed", "placements")


@console.post("/seekers/<id:seeker_id>/placements/<id:placement_id>/cancel")
@signed_in(*READERS)
def seeker_placement_cancel(seeker_id: int, placement_id: int) -> Page:
    profile, reason = _seeker_or_back(seeker_id)
    db = get_db()
    row = records.get_placement(db, placement_id)
    if row is None:  # cancelled already (a second submit)
        return _back(seeker_id, "placement_cancelled", "placements")
    row = casework.changeable(row, seeker_id)
    if reason is None:
        return redirect(url_for("console.seeker", seeker_id=seeker_id), 303)
    with transaction(db):
        touched = placement_results.cancel(db, row, account_id=me().id, now=app_now())
        casework.refresh_figures(db, touched)
        note_access("change", f"placement #{placement_id} cancelled", seeker_id=seeker_id, reason=reason)
    return _back(seeker_id, "placement_cancelled", "placements")
