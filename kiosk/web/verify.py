"""The phone and code screens every personal action passes through.

A screen that needs a verified phone calls start_verification(purpose, ...) and the visitor
comes back to after_verification's target once the code matched. The number lives only in the
server-side session; screens show it masked and URLs never carry it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from kiosk.core.formatting import clock_time, local
from kiosk.core.phones import InvalidPhone, mask, normalize_mobile
from kiosk.http import clients, usage
from kiosk.http.db import get_db
from kiosk.http.templating import current_language, sms_start_to, t
from kiosk.seekers import store as seekers
from kiosk.seekers import verification
from kiosk.web.blueprint import bp
from kiosk.web.home import action_url
from kiosk.web.steps import progress

PURPOSES = ("register", "login", "send", "ask", "save")


def now() -> datetime:
    """The app's clock (a settable one in tests)."""
    return current_app.extensions["clock"].now()


def start_verification(purpose: str, opening_id: int | None = None, *,
                       then: str | None = None) -> Response:
    """Sends the visitor to the phone screen, remembering what they were doing.

    then: the endpoint a registered visitor goes on to (booking), instead of My page.
    """
    session["verify"] = {"purpose": purpose, "opening_id": opening_id, "then": then}
    if session.get("phone_ok"):  # verified earlier in this visit: no second code
        return after_verification()
    return redirect(url_for("kiosk.verify_phone"), code=303)


def after_verification() -> Response:
    """Where a verified visitor goes next, by what they came to do."""
    state = session.get("verify") or {}
    purpose, opening_id = state.get("purpose"), state.get("opening_id")
    phone = session["phone_ok"]
    db = get_db()
    seeker = seekers.find_by_phone(db, phone)
    if seeker is not None:
        session["seeker_id"] = seeker["id"]
        seekers.touch(db, seeker["id"], now())
    if purpose == "send":
        return redirect(url_for("kiosk.send_to_phone", opening_id=opening_id), code=303)
    if purpose == "register" and seeker is None:
        return redirect(url_for("kiosk.register_consent", kind="personal_data"), code=303)
    if purpose == "register":
        session["notice"] = "register.already"
        return redirect(url_for("kiosk.mypage"), code=303)
    if seeker is None:
        return redirect(url_for("kiosk.not_registered"), code=303)
    if state.get("then"):
        return redirect(url_for(state["then"]), code=303)
    if purpose in ("ask", "save") and opening_id:
        target = "kiosk.ask_counselor" if purpose == "ask" else "kiosk.save_opening"
        return redirect(url_for(target, opening_id=opening_id), code=303)
    return redirect(url_for("kiosk.mypage"), code=303)


def _state() -> dict[str, Any] | None:
    return session.get("verify")


def _came_from(state: dict[str, Any]) -> str:
    """Back from the phone screen: to the opening, the start of registration, or home."""
    if state.get("opening_id"):
        return (action_url("kiosk.opening", opening_id=state["opening_id"])
                or url_for("kiosk.home"))
    return url_for("kiosk.register_start" if state["purpose"] == "register" else "kiosk.home")


def _retry_message(error: verification.Limited) -> dict[str, str]:
    at = clock_time(local(error.retry_at, current_app.config["TIMEZONE"]), current_language())
    return {"key": f"phoneverify.limit.{error.reason}", "at": at}


def _send_code(state: dict[str, Any], phone: str) -> Response:
    db = get_db()
    try:
        code_id = verification.issue(
            db, phone=phone, purpose=state["purpose"], kiosk_code=g.kiosk["code"], now=now(),
            secret=current_app.config["SECRET_KEY"],
            per_kiosk=current_app.config["CODES_PER_KIOSK_PER_HOUR"], language=current_language(),
            caps=clients.caps("code"))
    except verification.OptedOut:
        session["verify"] = {**state, "error": {"key": "phoneverify.opted_out"}}
        return redirect(url_for("kiosk.verify_phone"), code=303)
    except verification.Limited as limited:
        session["verify"] = {**state, "error": _retry_message(limited)}
        target = "kiosk.verify_code" if state.get("code_id") else "kiosk.verify_phone"
        return redirect(url_for(target), code=303)
    session["verify"] = {**state, "phone": phone, "code_id": code_id, "error": None, "typed": ""}
    usage.record(db, g.kiosk["code"], "code_sent", {"purpose": state["purpose"]}, now())
    return redirect(url_for("kiosk.verify_code"), code=303)


@bp.get("/verify/phone")
def verify_phone() -> Response | str:
    state = _state()
    if state is None:
        return redirect(url_for("kiosk.register_start"), code=303)
    error = state.get("error") or {}
    return render_template("kiosk/phone/phone.html", state=state, purpose=state["purpose"],
                           back_url=_came_from(state),
                           progress=progress("phone") if state["purpose"] == "register" else None,
                           error=t(error["key"], at=error.get("at", ""), to=sms_start_to()) if error else None)


@bp.post("/verify/phone")
def verify_phone_post() -> Response:
    state = _state()
    if state is None:
        return redirect(url_for("kiosk.register_start"), code=303)
    typed = request.form.get("phone", "")[:20]
    try:
        phone = normalize_mobile(typed)
    except InvalidPhone as invalid:
        session["verify"] = {**state, "typed": typed, "error": {"key": invalid.reason}}
        return redirect(url_for("kiosk.verify_phone"), code=303)
    if state.get("phone") == phone and state.get("code_id"):  # a double tap: the code is on its way
        return redirect(url_for("kiosk.verify_code"), code=303)
    return _send_code({**state, "typed": typed, "code_id": None}, phone)


@bp.get("/verify/code")
def verify_code() -> Response | str:
    state = _state()
    if not state or not state.get("code_id"):
        return redirect(url_for("kiosk.verify_phone"), code=303)
    error = state.get("error") or {}
    resend = verification.resend_at(get_db(), state["code_id"])
    wait = max(0, int((resend - now()).total_seconds())) if resend else 0
    return render_template("kiosk/phone/code.html", state=state, masked=mask(state["phone"]),
                           wait=wait, purpose=state["purpose"],
                           progress=progress("code") if state["purpose"] == "register" else None,
                           error=t(error["key"], **{k: v for k, v in error.items() if k != "key"})
                           if error else None)


@bp.post("/verify/code")
def verify_code_post() -> Response:
    state = _state()
    if session.get("phone_ok") and state and state.get("done"):  # the second of a double tap
        return after_verification()
    if not state or not state.get("code_id"):
        return redirect(url_for("kiosk.verify_phone"), code=303)
    typed = "".join(ch for ch in request.form.get("code", "") if ch.isdigit())[:6]
    result = verification.check(get_db(), state["code_id"], typed, now(),
                                current_app.config["SECRET_KEY"])
    if result.outcome != "ok":
        error = {"key": f"phoneverify.code.{result.outcome}", "left": str(result.tries_left)}
        session["verify"] = {**state, "error": error}
        return redirect(url_for("kiosk.verify_code"), code=303)
    session["phone_ok"] = state["phone"]
    session["verify"] = {"purpose": state["purpose"], "opening_id": state.get("opening_id"),
                         "then": state.get("then"), "done": True}
    return after_verification()


@bp.post("/verify/resend")
def verify_resend() -> Response:
    state = _state()
    if not state or not state.get("phone"):
        return redirect(url_for("kiosk.verify_phone"), code=303)
    return _send_code(state, state["phone"])


@bp.get("/verify/not-registered")
def not_registered() -> Response | str:
    if not session.get("phone_ok"):
        return redirect(url_for("kiosk.home"), code=303)
    return render_template("kiosk/phone/not_registered.html",
                           masked=mask(session["phone_ok"]))

