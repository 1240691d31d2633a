"""Actions from an opening's detail that need a phone: send it to me, ask a counselor, save it."""

from __future__ import annotations

from flask import abort, current_app, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from kiosk.core.db import Connection, Row, transaction
from kiosk.core.formatting import clock_time, local, wage
from kiosk.core.i18n import translate
from kiosk.core.limits import Limited, take
from kiosk.core.phones import mask
from kiosk.counseling import routing as referral_routing
from kiosk.counseling.texts import settings_from
from kiosk.http import clients, usage
from kiosk.http.db import get_db
from kiosk.http.sessions import forget_person
from kiosk.http.templating import current_language, t
from kiosk.openings import store as openings
from kiosk.seekers import consents, referrals
from kiosk.seekers import store as seekers
from kiosk.web import bus
from kiosk.web.blueprint import bp
from kiosk.web.home import action_url
from kiosk.web.verify import now, start_verification
from sms.outbound.messages import Enqueued
from sms.outbound.outbox import enqueue


def _opening(opening_id: int) -> Row:
    opening = openings.get(get_db(), opening_id)
    if opening is None:
        abort(404)
    return opening


def _detail_url(opening_id: int) -> str:
    return action_url("kiosk.opening", opening_id=opening_id) or url_for("kiosk.home")


def _limited_notice(key: str, limited: Limited) -> dict[str, str]:
    """What the screen says when an hourly cap is reached: which, and from when it frees."""
    at = clock_time(local(limited.retry_at, current_app.config["TIMEZONE"]), current_language())
    return {"key": key, "at": at}


def _pop_limited() -> str | None:
    notice = session.pop("limited", None)
    return t(notice["key"], at=notice["at"], phone=current_app.config["CENTER_PHONE"]) if notice else None


def message_body(opening: Row, language: str) -> str:
    """The opening's essentials as one text: title, employer, pay, place, hours, how to apply."""
    return translate(
        "register.sms.opening", language, title=opening["title"], employer=opening["employer"],
        wage=wage(opening["wage_kind"], opening["wage_amount"], language),
        region=translate(f"region.{opening['region']}", language),
        hours=opening["work_hours"], contact=opening["contact_phone"] or "-",
        code=openings.short_code(opening["id"]))


@bp.get("/openings/<id:opening_id>/send")
def send_to_phone(opening_id: int) -> Response | str:
    opening = _opening(opening_id)
    if not session.get("phone_ok"):
        return start_verification("send", opening_id)
    return render_template("kiosk/phone/send.html", opening=opening,
                           masked=mask(session["phone_ok"]),
                           preview=message_body(opening, current_language()),
                           version=consents.NOTICE_VERSIONS["single_message"],
                           back_url=_detail_url(opening_id), error=_pop_limited())


@bp.post("/openings/<id:opening_id>/send")
def send_to_phone_post(opening_id: int) -> Response:
    opening = _opening(opening_id)
    phone = session.get("phone_ok")
    if not phone:
        return start_verification("send", opening_id)
    db, at, language = get_db(), now(), current_language()
    day = local(at, current_app.config["TIMEZONE"]).strftime("%Y%m%d")
    secret = current_app.config["SECRET_KEY"]
    key = f"send:{consents.subject_of(phone, secret)}:{opening_id}:{day}"
    try:
        with transaction(db):
            sent = _enqueue(db, phone, opening, key, language)
            if sent.reason != "duplicate":  # a double tap sends, counts and records once
                take(db, "send", clients.caps("send", number=phone), at)  # over a cap: nothing is kept
                consents.record(db, phone=phone, kind="single_message", granted=True, now=at,
                                kiosk_code=g.kiosk["code"], seeker_id=session.get("seeker_id"), secret=secret)
                usage.record(db, g.kiosk["code"], "sent_to_phone", {"opening": opening_id}, at)
    except Limited as limited:
        session["limited"] = _limited_notice("sendphone.limited", limited)
        return redirect(url_for("kiosk.send_to_phone", opening_id=opening_id), code=303)
    session["sent"] = {"opening_id": opening_id, "status": sent.reason or "ok"}
    return redirect(url_for("kiosk.send_done", opening_id=opening_id), code=303)


def _enqueue(db: Connection, phone: str, opening: Row, key: str,
             language: str) -> Enqueued:
    return enqueue(db, to=phone, body=message_body(opening, language), kind="transactional",
                   dedupe_key=key, now=now(), seeker_id=session.get("seeker_id"),
                   opening_id=opening["id"], language=language)


@bp.get("/openings/<id:opening_id>/sent")
def send_done(opening_id: int) -> Response | str:
    opening = _opening(opening_id)
    if not session.get("phone_ok"):
        return redirect(_detail_url(opening_id), code=303)
    status, masked = (session.get("sent") or {}).get("status", "ok"), mask(session["phone_ok"])
    forget_person(session)  # sent: the next person at this kiosk gets nothing of them
    return render_template("kiosk/phone/sent.html", opening=opening, status=status,
                           masked=masked, back_url=_detail_url(opening_id))


def _verified_seeker(purpose: str, opening_id: int) -> Row | Response:
    seeker_id = session.get("seeker_id")
    seeker = seekers.get(get_db(), seeker_id) if seeker_id else None
    if seeker is None or seeker["status"] != "active":
        if session.get("phone_ok"):  # verified, but not registered
            session["verify"] = {"purpose": purpose, "opening_id": opening_id, "done": True}
            return redirect(url_for("kiosk.not_registered"), code=303)
        return start_verification(purpose, opening_id)
    return seeker


@bp.route("/openings/<id:opening_id>/ask", methods=["GET", "POST"])
def ask_counselor(opening_id: int) -> Response | str:
    opening = _opening(opening_id)
    seeker = _verified_seeker("ask", opening_id)
    if isinstance(seeker, Response):
        return seeker
    if request.method == "GET":
        return render_template("kiosk/phone/ask.html", opening=opening,
                               back_url=_detail_url(opening_id), error=_pop_limited())
    db, at = get_db(), now()
    try:
        with transaction(db):
            _id, created = referrals.request(db, seeker_id=seeker["id"], opening_id=opening_id,
                                             kiosk=g.kiosk, now=at)
            seekers.touch(db, seeker["id"], at)
            if created:
                take(db, "ask", clients.caps("ask", visitor=f"seeker:{seeker['id']}"), at)
                usage.record(db, g.kiosk["code"], "referral_requested", {"opening": opening_id}, at)
                # A counselor aboard the job bus during its run, else an on-shift counselor of
                # this center (or its partner), is texted in the same transaction.
                if not bus.assign_aboard(db, _id, at):
                    referral_routing.assign_new(db, at, settings_from(current_app.config),
                                                center_id=g.kiosk["center_id"])
    except Limited as limited:
        session["limited"] = _limited_notice("askcounselor.limited", limited)
        return redirect(url_for("kiosk.ask_counselor", opening_id=opening_id), code=303)
    return redirect(url_for("kiosk.ask_done", opening_id=opening_id), code=303)


@bp.get("/openings/<id:opening_id>/asked")
def ask_done(opening_id: int) -> Response | str:
    if not session.get("seeker_id"):  # nothing asked in this visit (a typed or reloaded address)
        return redirect(_detail_url(opening_id), code=303)
    forget_person(session)  # asked: the next person at this kiosk gets nothing of them
    return render_template("kiosk/phone/asked.html", opening=_opening(opening_id),
                           back_url=_detail_url(opening_id))


@bp.route("/openings/<id:opening_id>/save", methods=["GET", "POST"])
def save_opening(opening_id: int) -> Response | str:
    opening = _opening(opening_id)
    seeker = _verified_seeker("save", opening_id)
    if isinstance(seeker, Response):
        return seeker
    if request.method == "GET":
        return render_template("kiosk/phone/save.html", opening=opening,
                               back_url=_detail_url(opening_id))
    seekers.save_opening(get_db(), seeker["id"], opening_id, now())
    session["notice"] = "mypage.saved_opening"
    return redirect(url_for("kiosk.mypage"), code=303)

