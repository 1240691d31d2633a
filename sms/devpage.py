"""The development transport's page: what would have been sent, per phone number.

Only in the demo (`jobstop start`), in development mode (JOBSTOP_DEVELOPMENT=1) or debug
mode, and only while Twilio is not configured: 404 otherwise, since the stored texts hold
login codes. There anyone may type their number (a POST, so it never goes into a URL) and
read what was sent to it — their demo code or alert. The list of every number is shown only
in the demo, in debug mode, or with JOBSTOP_DEV_SMS_PAGE on; numbers are masked in headings
either way. Reading the page sends nothing: the demo's scheduler thread dispatches every few
seconds, and "지금 보내기" (a POST) runs one pass at once where no scheduler runs.

Where every number is listed, the page is also a phone: choose a demo seeker or counselor (or
type a number), text as them, and read the whole thread both ways. A text typed there goes
through sms.inbound.conversation, exactly as the signed webhook's does. People are named by
ids ("s12", "c3"); a typed number is kept in the session, never in a URL.
"""

from __future__ import annotations

import uuid
from itertools import groupby
from typing import Any

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.wrappers import Response

from kiosk.core import phones
from kiosk.core.clock import parse_iso
from kiosk.core.db import Connection, Row
from kiosk.core.formatting import local
from kiosk.http.db import get_db
from kiosk.http.extensions import htmx
from scheduler.dispatch import dispatch_due
from sms.inbound import conversation, dev_phone
from sms.inbound.webhooks import MAX_BODY
from sms.outbound.transports import twilio_configured

bp = Blueprint("dev", __name__, url_prefix="/dev")

LIMIT = 300


def stored_messages(db: Connection, phone: str | None, limit: int = LIMIT) -> list[Row]:
    """Outbox rows, newest first, for one number or all of them, grouped by number."""
    return db.execute(
        "SELECT to_number, body, kind, status, segments, encoding, created_at"
        " FROM sms_messages WHERE (? IS NULL OR to_number = ?)"
        " ORDER BY to_number, created_at DESC, id DESC LIMIT ?",
        (phone, phone, limit),
    ).fetchall()


def answers(app: Flask) -> bool:
    """The page exists in the demo, development or debug mode, and only without Twilio."""
    return bool(app.debug or app.config.get("DEVELOPMENT")) and not twilio_configured(app.config)


def lists_everyone(app: Flask) -> bool:
    """The whole inbox is shown in the demo, in debug mode, or when JOBSTOP_DEV_SMS_PAGE is on."""
    return bool(app.debug or app.config.get("DEV_SMS_PAGE"))


def _groups(rows: list[Row], zone: str) -> list[tuple[str, list[dict[str, Any]]]]:
    """(masked number, its messages with a local time) per number."""
    return [(phones.mask(number),
             [dict(row, local_time=local(parse_iso(row["created_at"]), zone).strftime("%m-%d %H:%M"))
              for row in items])
            for number, items in groupby(rows, key=lambda row: row["to_number"])]


def _typed_phone() -> tuple[str | None, str | None]:
    """(E.164 number, None) from the posted form, (None, catalog key) when it is not a mobile."""
    typed = request.form.get("phone", "").strip() if request.method == "POST" else ""
    if not typed:
        return None, None
    try:
        return phones.normalize_mobile(typed), None
    except phones.InvalidPhone as exc:
        return None, exc.reason


@bp.route("/sms", methods=["GET", "POST"])
def sms_inbox() -> str | Response:
    """The stored texts of one typed number, or of every number where the demo allows it."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not answers(app):
        abort(404)
    phone, error = _typed_phone()
    if request.method == "POST" and request.form.get("action") == "send":
        dispatch_due(app, app.extensions["clock"].now())
        if phone is None and error is None:
            return redirect(url_for("dev.sms_inbox"), code=303)
    everyone = lists_everyone(app)
    rows = stored_messages(get_db(), phone) if phone or (everyone and not error) else []
    return render_template("dev/sms.html", groups=_groups(rows, app.config["TIMEZONE"]), phone=phone,
                           error=error, everyone=everyone, entered=request.form.get("phone", ""),
                           **(_phone_view(request.args.get("who", "")) if everyone else {}))


def _phone_on(app: Flask) -> bool:
    """The phone exists where the page lists every number (the demo, debug mode, DEV_SMS_PAGE)."""
    return answers(app) and lists_everyone(app)


def _number_of(who: str) -> str | None:
    """The number a person stands for: "typed" is the one typed in this session."""
    return session.get("dev_phone") if who == "typed" else dev_phone.phone_of(get_db(), who)


def _phone_view(who: str, error: str | None = None, typed: str = "") -> dict[str, Any]:
    """What the phone shows: whom to text as, who is chosen, their thread."""
    db, number = get_db(), _number_of(who) if who else None
    people = dev_phone.people(db)
    chosen = next((p for group in people.values() for p in group if p["who"] == who), None)
    if number and chosen is None:
        chosen = {"who": who, "name": "", "masked": phones.mask(number)}
    zone = current_app.config["TIMEZONE"]
    thread = [dict(m, local_time=local(parse_iso(m["at"]), zone).strftime("%m-%d %H:%M"))
              for m in dev_phone.thread(db, number)] if number else []
    return {"people": people, "who": who if number else "", "chosen": chosen if number else None,
            "thread": thread, "phone_error": error, "typed": typed}


@bp.post("/sms/number")
def phone_number() -> str | Response:
    """Text as a typed number: kept in the session, so the page's address names no number."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not _phone_on(app):
        abort(404)
    try:
        session["dev_phone"] = phones.normalize_mobile(request.form.get("number", ""))
    except phones.InvalidPhone as invalid:
        return render_template("dev/sms.html", groups=[], phone=None, error=None, everyone=True, entered="",
                               **_phone_view("", invalid.reason, request.form.get("number", ""))), 422
    return redirect(url_for("dev.sms_inbox", who="typed", _anchor="phone"), code=303)


@bp.post("/sms/text")
def phone_text() -> str | Response:
    """A text typed as the chosen person, answered by the same chain as the signed webhook."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not _phone_on(app):
        abort(404)
    who, body = request.form.get("who", ""), request.form.get("body", "").strip()
    number = _number_of(who)
    if number is None:
        abort(400)
    error = "sms.dev.phone.empty" if not body else "sms.dev.phone.too_long" if len(body) > MAX_BODY else None
    if error is None:
        conversation.answer(get_db(), sid=f"SMdev{uuid.uuid4().hex}", phone=number, body=body,
                            to=app.config.get("TWILIO_FROM_NUMBER") or "", now=app.extensions["clock"].now(),
                            config=app.config)
    if htmx:
        view = _phone_view(who, error, body if error else "")
        fragment = make_response(render_template("dev/_phone_thread.html", **view))
        fragment.headers["Vary"] = "HX-Request"
        return fragment
    if error:
        return render_template("dev/sms.html", groups=[], phone=None, error=None, everyone=True, entered="",
                               **_phone_view(who, error, body)), 422
    return redirect(url_for("dev.sms_inbox", who=who, _anchor="phone"), code=303)
