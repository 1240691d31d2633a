"""My page: a returning seeker's matches, saved openings, appointments and settings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import abort, current_app, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from kiosk.core.clock import parse_iso
from kiosk.core.db import Connection, Row, transaction
from kiosk.core.formatting import local
from kiosk.core.phones import mask
from kiosk.counseling import appointments
from kiosk.http import usage
from kiosk.http.db import get_db
from kiosk.http.sessions import forget_person
from kiosk.http.templating import t
from kiosk.seekers import consents
from kiosk.seekers import store as seekers
from kiosk.web.blueprint import bp
from kiosk.web.register import review_rows
from kiosk.web.steps import (
    MORE_STEPS,
    STEPS,
    StepError,
    choices,
    current,
    parse,
    progress,
    remember_error,
    step_error,
)
from kiosk.web.verify import now, start_verification

ALERT_CONSENTS = ("sms_alerts", "night_alerts")


def upcoming_appointments(db: Connection, seeker_id: int, at: datetime) -> list[dict[str, Any]]:
    """The seeker's coming appointments, with starts_at as a datetime for the day_and_time filter."""
    return [{**dict(row), "starts_at": parse_iso(row["starts_at"])}
            for row in appointments.for_seeker(db, seeker_id, at)]


def _seeker() -> Row | None:
    seeker_id = session.get("seeker_id")
    seeker = seekers.get(get_db(), seeker_id) if seeker_id else None
    if seeker is None or seeker["status"] != "active":
        session.pop("seeker_id", None)
        return None
    return seeker


def _profile(seeker: Row) -> dict[str, Any]:
    return {field: seeker[field] for field in seekers.PROFILE_FIELDS}


@bp.get("/my")
def mypage() -> Response | str:
    seeker = _seeker()
    if seeker is None:
        return start_verification("login")
    db, at = get_db(), now()
    today = local(at, current_app.config["TIMEZONE"]).date().isoformat()
    usage.note(g.kiosk["code"], "screen", {"screen": "mypage"}, at)
    return render_template(
        "kiosk/mypage/home.html", seeker=seeker, masked=mask(seeker["phone"]),
        notice=t(key) if (key := session.pop("notice", None)) else None,
        matches=seekers.matching_openings(db, seeker["id"], today),
        saved=seekers.saved_openings(db, seeker["id"]),
        appointments=upcoming_appointments(db, seeker["id"], at),
        rows=review_rows(_profile(seeker), seekers.prefs(db, seeker["id"])))


@bp.post("/my/alerts")
def mypage_alerts() -> Response:
    """Pause or resume alerts; the form says which, so a double tap lands in the same state."""
    if (seeker := _seeker()) is None:
        return redirect(url_for("kiosk.mypage"), code=303)
    paused = request.form.get("paused") == "1"
    seekers.set_alerts_paused(get_db(), seeker["id"], paused, now())
    session["notice"] = "mypage.paused" if paused else "mypage.resumed"
    return redirect(url_for("kiosk.mypage"), code=303)


@bp.route("/my/edit/<name>", methods=["GET", "POST"])
def mypage_edit(name: str) -> Response | str:
    step = STEPS.get(name)
    if step is None:
        abort(404)
    if (seeker := _seeker()) is None:
        return redirect(url_for("kiosk.mypage"), code=303)
    db, more = get_db(), request.values.get("more") == "1" and name in MORE_STEPS
    if request.method == "POST":
        try:
            value = parse(step, request.form, now().year)
        except StepError as invalid:
            remember_error(name, invalid, request.form)
            return redirect(url_for("kiosk.mypage_edit", name=name, more=1 if more else None), code=303)
        with transaction(db):
            if step.pref:
                seekers.set_prefs(db, seeker["id"], {step.field: value}, now())
                seekers.touch(db, seeker["id"], now())
            else:
                seekers.update_profile(db, seeker["id"], {step.field: value}, now())
        if name == "language":
            session["lang"] = value
        return _after_edit(name, more)
    value = current(step, _profile(seeker), seekers.prefs(db, seeker["id"]))
    error, value = step_error(name, step, value)
    return render_template(
        "kiosk/register/step.html", step=step, value=value, groups=choices(step, t), error=error,
        action=url_for("kiosk.mypage_edit", name=name), more=more,
        progress=progress(name, MORE_STEPS) if more else None,
        back_url=url_for("kiosk.mypage"), returning=False)


def _after_edit(name: str, more: bool) -> Response:
    """Back to My page, or on to the next question of "more about you"."""
    if more and name != MORE_STEPS[-1]:
        following = MORE_STEPS[MORE_STEPS.index(name) + 1]
        return redirect(url_for("kiosk.mypage_edit", name=following, more=1), code=303)
    session["notice"] = "mypage.more_done" if more else "mypage.saved_changes"
    return redirect(url_for("kiosk.mypage"), code=303)


@bp.get("/my/more")
def mypage_more() -> Response:
    """"More about you": the questions registration left for later, one screen each."""
    return redirect(url_for("kiosk.mypage_edit", name=MORE_STEPS[0], more=1), code=303)


@bp.route("/my/consent/<kind>", methods=["GET", "POST"])
def mypage_consent(kind: str) -> Response | str:
    """SMS alerts and night-time alerts can be given or withdrawn later, with the same notice."""
    if kind not in ALERT_CONSENTS:
        abort(404)
    if (seeker := _seeker()) is None:
        return redirect(url_for("kiosk.mypage"), code=303)
    if request.method == "GET":
        return render_template("kiosk/register/consent.html", kind=kind, progress=None,
                               version=consents.NOTICE_VERSIONS[kind], returning=False,
                               action=url_for("kiosk.mypage_consent", kind=kind),
                               back_url=url_for("kiosk.mypage"))
    granted = request.form.get("answer") == "yes"
    column = "alerts_consent" if kind == "sms_alerts" else "night_consent"
    db = get_db()
    with transaction(db):
        if bool(seeker[column]) != granted:  # a double tap changes and records it once
            consents.record(db, phone=seeker["phone"], kind=kind, granted=granted, now=now(),
                            kiosk_code=g.kiosk["code"], seeker_id=seeker["id"], context="mypage",
                            secret=current_app.config["SECRET_KEY"])
            seekers.set_consent(db, seeker["id"], kind, granted)
            seekers.touch(db, seeker["id"], now())
    session["notice"] = "mypage.saved_changes"
    if kind == "sms_alerts" and granted and seeker["alert_frequency"] == "off":
        return redirect(url_for("kiosk.mypage_edit", name="frequency"), code=303)  # how often?
    return redirect(url_for("kiosk.mypage"), code=303)


@bp.post("/my/saved/<id:opening_id>/remove")
def mypage_unsave(opening_id: int) -> Response:
    if (seeker := _seeker()) is not None:
        seekers.unsave_opening(get_db(), seeker["id"], opening_id)
    return redirect(url_for("kiosk.mypage"), code=303)


@bp.route("/my/withdraw", methods=["GET", "POST"])
def mypage_withdraw() -> Response | str:
    if (seeker := _seeker()) is None:
        if request.method == "POST":  # the second tap of "withdraw": it is already done
            return redirect(url_for("kiosk.mypage_withdrawn"), code=303)
        return redirect(url_for("kiosk.mypage"), code=303)
    if request.method == "GET":
        return render_template("kiosk/mypage/withdraw.html", masked=mask(seeker["phone"]),
                               back_url=url_for("kiosk.mypage"))
    db, at = get_db(), now()
    seekers.anonymize(db, seeker["id"], at, "withdrawal", kiosk_code=g.kiosk["code"],
                      secret=current_app.config["SECRET_KEY"])
    usage.record(db, g.kiosk["code"], "withdrawn", {}, at)
    # Forget the person; keep only how the screen looks and the form token, so a second tap
    # on "withdraw" lands on the same answer instead of an error.
    forget_person(session)
    return redirect(url_for("kiosk.mypage_withdrawn"), code=303)


@bp.get("/my/withdrawn")
def mypage_withdrawn() -> str:
    return render_template("kiosk/mypage/withdrawn.html")
