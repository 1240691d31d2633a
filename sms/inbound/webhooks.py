"""Twilio's signed webhooks: inbound messages and delivery status.

Both verify X-Twilio-Signature over the exact public URL Twilio called (JOBSTOP_PUBLIC_URL
+ path + query) and the posted form; anything else gets 403 and changes nothing.
Logs name message SIDs, never phone numbers or bodies.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import Blueprint, Response, abort, current_app, request
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from kiosk.core.config import setting
from kiosk.core.db import Connection, transaction
from kiosk.counseling import hours as counseling
from kiosk.http.db import get_db
from sms.inbound import counselor_commands, replies
from sms.inbound.answers import Confirmation, reply
from sms.outbound import delivery, outbox
from sms.outbound import inbox as inbound

bp = Blueprint("sms", __name__, url_prefix="/sms")
log = logging.getLogger(__name__)

COUNSELOR_COMMAND = "counselor"  # the reply chain's name for a counselor's recognised command
# Twilio's own limit on a message body (a long text arrives joined, up to this many characters).
# A signed request with a longer one is no text a phone sent: refused whole, stored nowhere,
# rather than cut into a message nobody wrote and answered as if they had.
MAX_BODY = 1600


def public_url() -> str:
    """The URL Twilio signed: our public base URL, this path, and the query exactly as sent."""
    base = current_app.config["PUBLIC_URL"].rstrip("/")
    query = request.query_string.decode("latin-1")
    return f"{base}{request.path}" + (f"?{query}" if query else "")


def verify_signature() -> None:
    """403 unless the request carries a valid Twilio signature for our auth token."""
    token = current_app.config.get("TWILIO_AUTH_TOKEN")
    signature = request.headers.get("X-Twilio-Signature", "")
    if not token or not signature or not RequestValidator(token).validate(public_url(), request.form, signature):
        # The path only: the form holds a phone number and a body. A stream of these after a
        # deploy usually means JOBSTOP_PUBLIC_URL is not the address Twilio calls.
        log.warning("rejected a request to %s: %s", request.path,
                    "no valid Twilio signature" if token else "no auth token configured")
        abort(403)


def twiml(text: str | None) -> Response:
    answer = MessagingResponse()
    if text:
        answer.message(text)
    return Response(str(answer), mimetype="application/xml")


def _may_reply(db: Connection, phone: str, now: datetime, handled_by: str) -> bool:
    """Under the auto-reply limit. Counselors' recognised commands do not count towards it and
    have a limit of their own, far above what a person types ("Done for the day" is a command)."""
    config = current_app.config
    since = now - timedelta(minutes=setting(config, "SMS_AUTOREPLY_WINDOW_MINUTES"))
    if handled_by == COUNSELOR_COMMAND:
        return inbound.replies_since(db, phone, since) < setting(config, "SMS_COUNSELOR_AUTOREPLY_MAX")
    sent = inbound.replies_since(db, phone, since, not_counting=COUNSELOR_COMMAND)
    return sent < setting(config, "SMS_AUTOREPLY_MAX")


def _handler_name(handled_by: str, message: inbound.InboundMessage) -> str:
    """A counselor's text that names no command is told apart: it may be an auto-responder."""
    if handled_by == COUNSELOR_COMMAND and counselor_commands.command_of(message.body) is None:
        return "counselor:unknown"
    return handled_by


def _limited(db: Connection, message: inbound.InboundMessage, now: datetime,
             handled_by: str) -> tuple[str, str]:
    """At the limit: told once per window that answers pause, then silence (an auto-responder
    cannot loop on the notice either)."""
    minutes = setting(current_app.config, "SMS_AUTOREPLY_WINDOW_MINUTES")
    if inbound.limit_notices_since(db, message.phone, now - timedelta(minutes=minutes)):
        return f"{handled_by}:rate_limited", ""
    notice = reply(db, message, current_app.config, "rate_limited", minutes=minutes)
    return f"{handled_by}:{inbound.LIMIT_NOTICE}", notice


def _keep_counselor_reply(db: Connection, message: inbound.InboundMessage, text: str, now: datetime) -> None:
    """A counselor's answer joins the message history (sms_messages) like every other text to them."""
    counselor = counseling.counselor_by_phone(db, message.phone)
    if counselor is None or not text:
        return
    outbox.record_reply(db, to=message.phone, body=text, now=now, language=counselor["language"] or "ko",
                        dedupe_key=f"counselor:{counselor['id']}:reply:{message.sid}")


@bp.post("/inbound")
def receive() -> Response:
    """A text from someone: store it once, let the reply chain answer, reply in TwiML."""
    verify_signature()
    sid, phone = request.form.get("MessageSid", ""), request.form.get("From", "")
    if not sid or not phone:
        abort(400)
    body = request.form.get("Body", "")
    if len(body) > MAX_BODY:
        log.warning("refused inbound %s: a body of %d characters, over the %d a text can have",
                    sid[:40], len(body), MAX_BODY)
        abort(413)
    db, now = get_db(), current_app.extensions["clock"].now()
    with transaction(db):
        message = inbound.store(db, sid=sid, phone=phone, to=request.form.get("To", ""),
                                body=body, now=now)
        if message is None:  # Twilio retried (our first answer was late): say the same again
            log.info("inbound %s already handled (Twilio retry); answering as the first time", sid)
            return twiml(inbound.stored_reply(db, sid))
        handled_by, text = replies.route(db, message, now, current_app.config)
        handled_by = _handler_name(handled_by, message)
        # A Confirmation of what the text changed (an opt-out or opt-in, an appointment confirmed
        # or cancelled, a counselor's command carried out) is owed whatever the limit.
        if text and not isinstance(text, Confirmation) and not _may_reply(db, phone, now, handled_by):
            log.warning("inbound %s: auto-reply limit reached for its sender", sid)
            handled_by, text = _limited(db, message, now, handled_by)
        inbound.record_reply(db, message.id, handled_by, text or None)
        _keep_counselor_reply(db, message, text, now)
    return twiml(text)


def error_code(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


@bp.post("/status")
def status() -> tuple[str, int]:
    """A delivery status callback: statuses only move forward; unknown SIDs are logged."""
    verify_signature()
    sid, reported = request.form.get("MessageSid", ""), request.form.get("MessageStatus", "")
    if not sid or not reported:
        abort(400)
    code = error_code(request.form.get("ErrorCode", ""))
    db, now = get_db(), current_app.extensions["clock"].now()
    with transaction(db):
        outcome = delivery.apply_status(db, sid, reported.lower(), now, code)  # 21610 opts out
    if outcome == "unknown":
        log.warning("status callback for unknown message %s (%s)", sid, reported[:20])
    return "", 200
