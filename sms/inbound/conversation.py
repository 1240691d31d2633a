"""One text received and answered: stored once, the reply chain, the auto-reply limit, and the
answer kept. The signed webhook calls it for Twilio, and the development phone (/dev/sms) for
a text typed there, so both hold exactly the same conversation.

Logs name message SIDs, never phone numbers or bodies.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from kiosk.core.config import setting
from kiosk.core.db import Connection, transaction
from kiosk.counseling import hours as counseling
from sms.inbound import counselor_commands, replies
from sms.inbound.answers import Confirmation, reply
from sms.outbound import inbox as inbound
from sms.outbound import outbox

log = logging.getLogger(__name__)

COUNSELOR_COMMAND = "counselor"  # the reply chain's name for a counselor's recognised command


def answer(db: Connection, *, sid: str, phone: str, to: str, body: str, now: datetime,
           config: Mapping[str, Any]) -> str:
    """Stores a text and returns the reply ('' for none), all in one transaction.

    A repeated SID (Twilio retrying) is answered with the reply stored the first time and
    changes nothing."""
    with transaction(db):
        message = inbound.store(db, sid=sid, phone=phone, to=to, body=body, now=now)
        if message is None:  # Twilio retried (our first answer was late): say the same again
            log.info("inbound %s already handled (Twilio retry); answering as the first time", sid)
            return inbound.stored_reply(db, sid) or ""
        handled_by, text = replies.route(db, message, now, config)
        handled_by = _handler_name(handled_by, message)
        # A Confirmation of what the text changed (an opt-out or opt-in, an appointment confirmed
        # or cancelled, a counselor's command carried out) is owed whatever the limit.
        if text and not isinstance(text, Confirmation) and not _may_reply(db, phone, now, handled_by, config):
            log.warning("inbound %s: auto-reply limit reached for its sender", sid)
            handled_by, text = _limited(db, message, now, handled_by, config)
        inbound.record_reply(db, message.id, handled_by, text or None)
        _keep_counselor_reply(db, message, text, now)
    return text


def _may_reply(db: Connection, phone: str, now: datetime, handled_by: str, config: Mapping[str, Any]) -> bool:
    """Under the auto-reply limit. Counselors' recognised commands do not count towards it and
    have a limit of their own, far above what a person types ("Done for the day" is a command)."""
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
             handled_by: str, config: Mapping[str, Any]) -> tuple[str, str]:
    """At the limit: told once per window that answers pause, then silence (an auto-responder
    cannot loop on the notice either)."""
    minutes = setting(config, "SMS_AUTOREPLY_WINDOW_MINUTES")
    if inbound.limit_notices_since(db, message.phone, now - timedelta(minutes=minutes)):
        return f"{handled_by}:rate_limited", ""
    notice = reply(db, message, config, "rate_limited", minutes=minutes)
    return f"{handled_by}:{inbound.LIMIT_NOTICE}", notice


def _keep_counselor_reply(db: Connection, message: inbound.InboundMessage, text: str, now: datetime) -> None:
    """A counselor's answer joins the message history (sms_messages) like every other text to them."""
    counselor = counseling.counselor_by_phone(db, message.phone)
    if counselor is None or not text:
        return
    outbox.record_reply(db, to=message.phone, body=text, now=now, language=counselor["language"] or "ko",
                        dedupe_key=f"counselor:{counselor['id']}:reply:{message.sid}")
