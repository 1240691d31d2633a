"""Registration at a kiosk: phone, code, consents, profile questions, review, confirm.

One question per screen. Answers wait in the server-side session until the visitor confirms;
each consent answer goes into the ledger the moment it is given.
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from kiosk.core.db import transaction
from kiosk.core.i18n import translate
from kiosk.core.phones import mask
from kiosk.http import usage
from kiosk.http.db import get_db
from kiosk.http.sessions import forget_person
from kiosk.http.templating import current_language, t
from kiosk.seekers import consents
from kiosk.seekers import store as seekers
from kiosk.web.blueprint import bp
from kiosk.web.steps import (
    STEPS,
    StepError,
    choices,
    current,
    parse,
    progress,
    remember_error,
    shown,
    step_error,
)
from kiosk.web.verify import after_verification, now, start_verification
from sms.outbound.outbox import enqueue

CONSENTS = ("personal_data", "sms_alerts", "night_alerts")
FLOW = (*CONSENTS, *STEPS, "review")


def _reg() -> dict[str, Any]:
    return session.get("reg") or {"answers": {}, "consent_ids": [], "profile": {}, "prefs": {}}


def _skipped(name: str, reg: dict[str, Any]) -> bool:
    """Night-time consent and alert frequency only matter to someone who wants alerts."""
    return name in ("night_alerts", "frequency") and not reg["answers"].get("sms_alerts")


def _neighbour(name: str, reg: dict[str, Any], step: int) -> str | None:
    index = FLOW.index(name) + step
    while 0 <= index < len(FLOW) and _skipped(FLOW[index], reg):
        index += step
    return FLOW[index] if 0 <= index < len(FLOW) else None


def _url(name: str | None) -> str:
    if name is None:
        return url_for("kiosk.register_start")
    if name in CONSENTS:
        return url_for("kiosk.register_consent", kind=name)
    if name == "review":
        return url_for("kiosk.register_review")
    return url_for("kiosk.register_step", name=name)


def _guard(name: str) -> Response | None:
    """A step shown out of order goes where the visitor really is."""
    if not session.get("phone_ok"):
        return redirect(url_for("kiosk.register_start"), code=303)
    if session.get("seeker_id"):
        return redirect(url_for("kiosk.mypage"), code=303)
    if name != "personal_data" and not _reg()["answers"].get("personal_data"):
        return redirect(_url("personal_data"), code=303)
    return None


def _next_url(name: str, reg: dict[str, Any]) -> str:
    if request.form.get("return") == "review":
        return _url("review")
    return _url(_neighbour(name, reg, +1))


@bp.get("/register")
def register_start() -> str:
    return render_template("kiosk/register/start.html", progress=None)


@bp.post("/register")
def register_begin() -> Response:
    session.pop("reg", None)
    return start_verification("register")


@bp.post("/register/verified")
def register_verified() -> Response:
    """A visitor who verified their phone for something else registers without a new code."""
    if not session.get("phone_ok"):
        return redirect(url_for("kiosk.register_start"), code=303)
    session.pop("reg", None)
    session["verify"] = {"purpose": "register", "opening_id": None, "done": True}
    return after_verification()


@bp.route("/register/consent/<kind>", methods=["GET", "POST"])
def register_consent(kind: str) -> Response | str:
    if kind not in CONSENTS:
        abort(404)
    if (blocked := _guard(kind)) is not None:
        return blocked
    reg = _reg()
    if request.method == "GET":
        return render_template("kiosk/register/consent.html", kind=kind, reg=reg,
                               version=consents.NOTICE_VERSIONS[kind], progress=progress(kind),
                               back_url=_url(_neighbour(kind, reg, -1)),
                               returning=request.args.get("return") == "review")
    granted = request.form.get("answer") == "yes"
    _answer(reg, kind, granted)
    if kind == "sms_alerts" and not granted and reg["answers"].get("night_alerts"):
        _answer(reg, "night_alerts", False)  # night alerts mean nothing without alerts
    session["reg"] = reg
    if kind == "personal_data" and not granted:
        return redirect(url_for("kiosk.register_refused"), code=303)
    if kind == "sms_alerts" and granted and "night_alerts" not in reg["answers"]:
        return redirect(_url("night_alerts") + _return_query(), code=303)
    return redirect(_next_url(kind, reg), code=303)


def _answer(reg: dict[str, Any], kind: str, granted: bool) -> None:
    """Writes the answer to the ledger at once; a double tap (the same answer) writes it once."""
    if reg["answers"].get(kind) is granted:
        return
    consent_id = consents.answer(get_db(), phone=session["phone_ok"], kind=kind, granted=granted,
                                 now=now(), kiosk_code=g.kiosk["code"],
                                 secret=current_app.config["SECRET_KEY"])
    if consent_id not in reg["consent_ids"]:
        reg["consent_ids"].append(consent_id)
    reg["answers"][kind] = granted


@bp.get("/register/refused")
def register_refused() -> str:
    return render_template("kiosk/register/refused.html", back_url=_url("personal_data"))


@bp.route("/register/step/<name>", methods=["GET", "POST"])
def register_step(name: str) -> Response | str:
    step = STEPS.get(name)
    if step is None:
        abort(404)
    if (blocked := _guard(name)) is not None:
        return blocked
    reg = _reg()
    if request.method == "POST":
        try:
            value = parse(step, request.form, now().year)
        except StepError as error:
            remember_error(name, error, request.form)
            return redirect(_url(name) + _return_query(), code=303)
        reg["prefs" if step.pref else "profile"][step.field] = value
        if name == "language":
            session["lang"] = value
        session["reg"] = reg
        return redirect(_next_url(name, reg), code=303)
    error, value = step_error(name, step, current(step, reg["profile"], reg["prefs"]))
    return render_template(
        "kiosk/register/step.html", step=step, value=value, groups=choices(step, t), error=error,
        action=url_for("kiosk.register_step", name=name), progress=progress(name),
        back_url=_url(_neighbour(name, reg, -1)),
        returning=request.args.get("return") == "review")


def _return_query() -> str:
    return "?return=review" if request.form.get("return") == "review" else ""


def review_rows(profile: dict[str, Any], prefs: dict[str, Any],
                answers: dict[str, bool] | None = None) -> list[dict[str, Any]]:
    """(question, answer lines, edit step) for the review and "my page" screens."""
    rows = []
    for kind in CONSENTS[1:] if answers is not None else ():
        if kind == "night_alerts" and not answers.get("sms_alerts"):
            continue
        rows.append({"name": kind, "label": t(f"register.consent.{kind}.label"),
                     "lines": [t("register.review.yes" if answers.get(kind) else "register.review.no")]})
    for name, step in STEPS.items():
        if name == "frequency" and answers is not None and not answers.get("sms_alerts"):
            continue
        rows.append({"name": name, "label": t(f"register.step.{name}.label"),
                     "lines": shown(step, current(step, profile, prefs), t)})
    return rows


@bp.get("/register/review")
def register_review() -> Response | str:
    if (blocked := _guard("review")) is not None:
        return blocked
    reg = _reg()
    missing = _first_missing(reg)
    return render_template("kiosk/register/review.html", masked=mask(session["phone_ok"]),
                           rows=review_rows(reg["profile"], reg["prefs"], reg["answers"]),
                           missing=missing, missing_url=_url(missing) if missing else None,
                           progress=progress("review"), back_url=_url(_neighbour("review", reg, -1)))


def _first_missing(reg: dict[str, Any]) -> str | None:
    """The first question not answered yet (a visitor who jumped ahead is sent back to it)."""
    for name in FLOW[:-1]:
        if _skipped(name, reg):
            continue
        step = STEPS.get(name)
        if step is None and name not in reg["answers"]:
            return name
        if step is not None and step.field not in reg["prefs" if step.pref else "profile"]:
            return name
    return None


@bp.post("/register/confirm")
def register_confirm() -> Response:
    if session.get("seeker_id"):  # the second of a double tap: already registered
        return redirect(url_for("kiosk.register_done"), code=303)
    if (blocked := _guard("review")) is not None:
        return blocked
    reg = _reg()
    if (missing := _first_missing(reg)) is not None:
        return redirect(_url(missing), code=303)
    db, at, phone = get_db(), now(), session["phone_ok"]
    profile = {**reg["profile"]}
    if not reg["answers"].get("sms_alerts"):
        profile["alert_frequency"] = "off"
    with transaction(db):
        seeker_id, created = seekers.register(
            db, phone=phone, profile=profile, wanted=reg["prefs"],
            alerts=bool(reg["answers"].get("sms_alerts")),
            night=bool(reg["answers"].get("night_alerts")), kiosk=g.kiosk,
            consent_ids=reg["consent_ids"], now=at)
        language = profile.get("language") or current_language()
        enqueue(db, to=phone, kind="transactional", dedupe_key=f"welcome:{seeker_id}", now=at,
                body=translate("register.sms.welcome", language, center=g.kiosk["center_name"],
                          phone=g.kiosk["center_phone"]),
                seeker_id=seeker_id, language=language)
        if created:
            usage.record(db, g.kiosk["code"], "registered", {}, at)
    session.pop("reg", None)
    session["seeker_id"] = seeker_id
    return redirect(url_for("kiosk.register_done"), code=303)


@bp.get("/register/done")
def register_done() -> Response | str:
    if not session.get("seeker_id"):
        return redirect(url_for("kiosk.register_start"), code=303)
    seeker = seekers.get(get_db(), session["seeker_id"])
    forget_person(session)  # registered: the next person at this kiosk gets nothing of them
    return render_template("kiosk/register/done.html", masked=mask(seeker["phone"]),
                           seeker=seeker, idle=current_app.config["IDLE_SECONDS"])
