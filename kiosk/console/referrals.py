"""The referral queue: every open "ask a counselor" request, oldest first; staff assign one.

Staff see their center's queue (with the requests of places that route to it), admins every
center's (or one's), counselors the requests sent to them. Assigning texts the counselor the
same text automatic routing sends.
"""

from __future__ import annotations

from datetime import timedelta

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_htmx import make_response as htmx_response
from werkzeug.wrappers import Response

from kiosk.console import console
from kiosk.console.access import note_access, signed_in
from kiosk.console.casework import chosen_center, counselors_of, me, serves
from kiosk.counseling import referral_queue, routing
from kiosk.counseling.texts import settings_from
from kiosk.http.db import get_db
from kiosk.http.now import app_now
from kiosk.http.templating import t
from kiosk.places import centers
from kiosk.seekers import referrals as requests

Page = str | tuple[str, int]


def _flag_after() -> timedelta:
    return timedelta(minutes=int(current_app.config["REFERRAL_FLAG_AFTER_MINUTES"]))


@console.app_template_filter("waited")
def waited(span: timedelta) -> str:
    """How long a request has waited: 2시간 5분 / 2 h 5 min."""
    minutes = max(int(span.total_seconds() // 60), 0)
    if minutes < 60:
        return t("casework.waited.minutes", minutes=minutes)
    return t("casework.waited.hours", hours=minutes // 60, minutes=minutes % 60)


def _render(errors: dict[int, str] | None = None, picked: dict[int, str] | None = None) -> Page:
    db, staff = get_db(), me()
    center_id = None if staff.role == "counselor" else chosen_center(db, required=False)
    rows = referral_queue.queue(db, app_now(), _flag_after(), center_id=center_id,
                                counselor_id=staff.counselor_id if staff.role == "counselor" else None)
    note_access("view", "referral_queue" + (f" center={center_id}" if center_id else ""))
    choices = {} if staff.role == "counselor" else {
        row.id: counselors_of(db, serves(db, row.center_id)) for row in rows}
    context = {"rows": rows, "choices": choices, "errors": errors or {}, "picked": picked or {},
               "center_id": center_id, "flag_minutes": int(current_app.config["REFERRAL_FLAG_AFTER_MINUTES"]),
               "all_centers": centers.every(db) if staff.role == "admin" else [],
               "notice": request.args.get("notice", "")}
    template = "console/_referrals.html" if request.headers.get("HX-Request") else "console/referrals.html"
    page = render_template(template, **context)
    return (page, 422) if errors else page


@console.get("/referrals")
@signed_in()
def referrals() -> Page:
    return _render()


@console.post("/referrals/<int:referral_id>/assign")
@signed_in("admin", "staff")
def assign_referral(referral_id: int) -> Page | Response:
    db, now = get_db(), app_now()
    referral = requests.get(db, referral_id)
    if referral is None:
        abort(404)
    served_by = serves(db, referral["center_id"])
    if me().role != "admin" and me().center_id not in served_by:
        abort(403)
    picked = request.form.get("counselor_id", "")
    allowed = {row["id"]: row for row in counselors_of(db, served_by)}
    if referral_queue.one(db, referral_id, now, _flag_after()) is None:
        return _render({referral_id: "casework.referrals.error_closed"}, {referral_id: picked})
    if not picked.isdigit() or int(picked) not in allowed:
        return _render({referral_id: "casework.referrals.error_counselor"}, {referral_id: picked})
    changed = routing.assign_to(db, referral, allowed[int(picked)], now, settings_from(current_app.config))
    note_access("change", f"referral R{referral_id} assigned", seeker_id=referral["seeker_id"])
    target = url_for("console.referrals", center=request.args.get("center") or None,
                     notice="assigned" if changed else "unchanged")
    if request.headers.get("HX-Request"):
        return htmx_response("", 204, redirect=target)
    return redirect(target, 303)
