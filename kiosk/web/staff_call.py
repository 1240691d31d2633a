"""직원 호출 on every kiosk screen: staff are texted, or the center's number and a call-back.

Tapping it posts where the visitor is (`next`); the help screen's "back" returns there, so
nothing of what they were doing is lost (flows keep their state in the session).
"""

from __future__ import annotations

from flask import current_app, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from kiosk.core.formatting import clock_time, local
from kiosk.core.limits import Limited
from kiosk.core.phones import InvalidPhone, mask, normalize_mobile
from kiosk.counseling import staff_help
from kiosk.http import clients, usage
from kiosk.http.db import get_db
from kiosk.http.templating import current_language, t
from kiosk.web.blueprint import bp
from kiosk.web.home import safe_next
from kiosk.web.verify import now


def _state() -> dict:
    """This visit's help at this kiosk: where to go back to, what the tap did, a call-back."""
    state = session.get("help") or {}
    return state if state.get("kiosk") == g.kiosk["code"] else {}


def _back() -> str:
    return _state().get("back") or url_for("kiosk.home")


@bp.post("/help")
def call_help() -> Response:
    """The tap: a counselor on shift is texted (once in five minutes per kiosk), or not."""
    back = safe_next(request.form.get("next"))
    if back.startswith(url_for("kiosk.help_screen")):
        back = _back()  # tapped again on the help screen: keep where they came from
    db, at = get_db(), now()
    status = staff_help.call_staff(db, g.kiosk, at, current_app.config["TIMEZONE"])
    usage.note(g.kiosk["code"], "help", {"status": status}, at)
    session["help"] = {"kiosk": g.kiosk["code"], "back": back, "status": status}
    return redirect(url_for("kiosk.help_screen"), code=303)


@bp.get("/help")
def help_screen() -> str:
    """Help is coming, or the center's number large with the call-back form. Reached by its
    address without a tap in this visit, it texts no one: where staff are on shift it offers
    the 직원 호출 button, elsewhere the number and the call-back form."""
    return _render(status=_state().get("status") or _untapped())


def _untapped() -> str:
    on_shift = staff_help.on_shift_now(get_db(), g.kiosk["center_id"], now(), current_app.config["TIMEZONE"])
    return "ask" if on_shift is not None else "phone"


def _render(*, status: str, error: str | None = None, typed: str = "", code: int = 200) -> tuple[str, int]:
    return render_template("kiosk/help/help.html", status=status, error=error, typed=typed,
                           back_url=_back(), version=staff_help.CALLBACK_NOTICE_VERSION), code


@bp.post("/help/callback")
def callback_post() -> Response | tuple[str, int]:
    """The visitor's number for a call-back; bad input is said in their language, the typing kept."""
    typed = request.form.get("phone", "")[:20]
    status = _state().get("status", "phone")
    try:
        phone = normalize_mobile(typed)
    except InvalidPhone as error:
        return _render(status=status, error=t(error.reason), typed=typed, code=422)
    if request.form.get("consent") != "yes":
        return _render(status=status, error=t("kiosk.help.consent.needed"), typed=typed, code=422)
    db, at, zone = get_db(), now(), current_app.config["TIMEZONE"]
    try:
        staff_help.request_callback(db, phone=phone, kiosk=g.kiosk, language=current_language(),
                                    now=at, zone=zone, caps=clients.caps("callback"))
    except Limited as limited:  # nothing was kept: the typing stays for a later try
        retry = clock_time(local(limited.retry_at, zone), current_language())
        return _render(status=status, error=t("kiosk.help.callback_limited", at=retry,
                                              phone=g.kiosk["center_phone"]), typed=typed, code=429)
    usage.note(g.kiosk["code"], "help", {"status": "callback"}, at)
    session["help"] = {**_state(), "callback": mask(phone)}
    return redirect(url_for("kiosk.callback_done"), code=303)


@bp.get("/help/callback")
def callback_done() -> Response | str:
    masked = _state().get("callback")
    if not masked:  # nothing asked in this visit (a typed or reloaded address)
        return redirect(url_for("kiosk.help_screen"), code=303)
    return render_template("kiosk/help/callback_done.html", masked=masked, back_url=_back())
