"""Twilio's signed webhooks: inbound messages and delivery status.

Both verify X-Twilio-Signature over the exact public URL Twilio called (JOBSTOP_PUBLIC_URL
+ path + query) and the posted form; anything else gets 403 and changes nothing.
Logs name message SIDs, never phone numbers or bodies.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, abort, current_app, request
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from kiosk.core.db import transaction
from kiosk.http.db import get_db
from sms.inbound import conversation
from sms.outbound import delivery

bp = Blueprint("sms", __name__, url_prefix="/sms")
log = logging.getLogger(__name__)

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
    text = conversation.answer(get_db(), sid=sid, phone=phone, to=request.form.get("To", ""), body=body,
                               now=current_app.extensions["clock"].now(), config=current_app.config)
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
