"""Registration at a kiosk: phone, code, consents, occupation and region, review, confirm.

Only what matching needs is asked; the rest waits for My page ("more about you"). Answers
wait in the server-side session until the visitor confirms; each consent answer goes into
the ledger the moment it is given.
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
    REGISTER_STEPS,
    REVIEW_STEPS,
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

FLOW = ("personal_data", "alerts", *REGISTER_STEPS, "review")
ALERT_KINDS = ("sms_alerts", "night_alerts")


def _reg() -> dict[str, Any]:
    return session.get("reg") or {"answers": {}, "consent_ids": [], "profile": {}, "prefs": {}}


def _neighbour(name: str, step: int) -> str | None:
    index = FLOW.index(name) + step
    return FLOW[index] if 0 <= index < len(FLOW) else None


def _url(name: str | None) -> str:
    if name is None:
        return url_for("kiosk.register_start")
    if name == "personal_data":
        return url_for("kiosk.register_consent", kind=name)
    if name in ("alerts", *ALERT_KINDS):
        return url_for("kiosk.register_alerts")
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


def _next_url(name: str) -> str:
    if request.form.get("return") == "review":
        return _url("review")
    return _url(_neighbour(name, +1))


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
    """The required consent to personal data, on a screen of its own."""
    if kind in ALERT_KINDS:  # asked together on the alerts screen now
        return redirect(_url("alerts"), code=303)
    if kind != "personal_data":
        abort(404)
    if (blocked := _guard(kind)) is not None:
        return blocked
    reg = _reg()
    if request.method == "GET":
        return render_template("kiosk/register/consent.html", kind=kind, reg=reg,
                               version=consents.NOTICE_VERSIONS[kind], progress=progress(kind),
                               back_url=_url(None), returning=False)
    granted = request.form.get("answer") == "yes"
    _answer(reg, kind, granted)
    session["reg"] = reg
    if not granted:
        return redirect(url_for("kiosk.register_refused"), code=303)
    return redirect(_next_url(kind), code=303)


@bp.route("/register/alerts", methods=["GET", "POST"])
def register_alerts() -> Response | str:
    """Job alerts and night-time alerts: two questions on one screen, two answers in the ledger."""
    if (blocked := _guard("alerts")) is not None:
        return blocked
    reg = _reg()
    if request.method == "GET":
        return render_template("kiosk/register/alerts.html", answers=reg["answers"],
                               kinds=ALERT_KINDS, versions=consents.NOTICE_VERSIONS,
                               error=t(key) if (key := session.pop("alerts_error", None)) else None,
                               progress=progress("alerts"), back_url=_url("personal_data"),
                               returning=request.args.get("return") == "review",
                               times=choices(STEPS["digest_time"], t)[0][1],
                               chosen=current(STEPS["digest_time"], reg["profile"], reg["prefs"]))
    alerts, night = request.form.get("sms_alerts"), request.form.get("night_alerts")
    when = request.form.get("digest_time")
    if alerts not in ("yes", "no") or (alerts == "yes" and night not in ("yes", "no")) \
            or (when is not None and when not in seekers.DIGEST_TIMES):
        session["alerts_error"] = "register.error.answer_each"
        return redirect(_url("alerts") + _return_query(), code=303)
    _answer(reg, "sms_alerts", alerts == "yes")
    if alerts == "yes":
        _answer(reg, "night_alerts", night == "yes")
        if when:
            reg["profile"]["digest_time"] = when
    elif reg["answers"].get("night_alerts"):
        _answer(reg, "night_alerts", False)  # night alerts mean nothing without alerts
    session["reg"] = reg
    return redirect(_next_url("alerts"), code=303)


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
    """Occupation and region in order; frequency and language only from the review."""
    if name not in REVIEW_STEPS:
        abort(404)
    step = STEPS[name]
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
        return redirect(_next_url(name) if name in FLOW else _url("review"), code=303)
    error, value = step_error(name, step, current(step, reg["profile"], reg["prefs"]))
    in_flow = name in FLOW
    return render_template(
        "kiosk/register/step.html", step=step, value=value, groups=choices(step, t), error=error,
        action=url_for("kiosk.register_step", name=name),
        progress=progress(name) if in_flow else progress("review"),
        back_url=_url(_neighbour(name, -1) if in_flow else "review"),
        returning=request.args.get("return") == "review" or not in_flow)


def _return_query() -> str:
    return "?return=review" if request.form.get("return") == "review" else ""


def review_rows(profile: dict[str, Any], prefs: dict[str, Any],
                answers: dict[str, bool] | None = None,
                names: tuple[str, ...] = tuple(STEPS)) -> list[dict[str, Any]]:
    """(question, answer lines, edit step) for the review and "my page" screens."""
    rows = []
    for kind in ALERT_KINDS if answers is not None else ():
        if kind == "night_alerts" and not answers.get("sms_alerts"):
            continue
        rows.append({"name": kind, "label": t(f"register.consent.{kind}.label"),
                     "lines": [t("register.review.yes" if answers.get(kind) else "register.review.no")]})
    for name in names:
        if name in ("frequency", "digest_time") and answers is not None and not answers.get("sms_alerts"):
            continue
        step = STEPS[name]
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
                           rows=review_rows(reg["profile"], reg["prefs"], reg["answers"], REVIEW_STEPS),
                           missing=missing, missing_url=_url(missing) if missing else None,
                           progress=progress("review"), back_url=_url(_neighbour("review", -1)))


def _first_missing(reg: dict[str, Any]) -> str | None:
    """The first question not answered yet (a visitor who jumped ahead is sent back to it)."""
    answers = reg["answers"]
    if "personal_data" not in answers:
        return "personal_data"
    if "sms_alerts" not in answers or (answers["sms_alerts"] and "night_alerts" not in answers):
        return "alerts"
    for name in REGISTER_STEPS:
        if STEPS[name].field not in reg["prefs"]:
            return name
    return None


def _profile(reg: dict[str, Any]) -> dict[str, Any]:
    """The answers, with the defaults of what was not asked: the screen's language, daily alerts."""
    profile = {"language": current_language(), **reg["profile"]}
    if not reg["answers"].get("sms_alerts"):
        profile["alert_frequency"] = "off"
    return profile


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
    profile = _profile(reg)
    with transaction(db):
        seeker_id, created = seekers.register(
            db, phone=phone, profile=profile, wanted=reg["prefs"],
            alerts=bool(reg["answers"].get("sms_alerts")),
            night=bool(reg["answers"].get("night_alerts")), kiosk=g.kiosk,
            consent_ids=reg["consent_ids"], now=at)
        language = profile["language"]
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
