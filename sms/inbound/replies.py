"""What JobStop answers to a text: an explicit, ordered chain of handlers.

Each handler is `handle(db, message, now, config) -> str | None`: None means "not mine,
ask the next one"; a string is the reply ("" = handled, nothing to say). The first
handler that answers wins, inside the webhook's transaction, so its changes and the stored
inbound text commit together. Opt-out comes first: nothing may stand in front of it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from kiosk.core.db import Connection
from kiosk.seekers import store as seekers
from sms.inbound import appointment_replies, ask_counselor, counselor_commands, digest_time, jobcode, keywords
from sms.inbound.answers import Confirmation, reply
from sms.outbound.inbox import InboundMessage
from sms.outbound.optout import is_opted_out, opt_in, opt_out

Handler = Callable[[Connection, InboundMessage, datetime, Mapping[str, Any]], "str | None"]


def _keyword(word: str, answer: str, act: Callable[..., None] | None = None) -> Handler:
    """A handler for one keyword: do `act(db, phone, now, "keyword")`, reply sms.reply.<answer>.

    When act changed the number's opt-out (STOP from a number that was receiving, START from
    one that was not), the reply is a Confirmation: owed past the auto-reply limit. A repeat
    changes nothing and is answered like any other text."""
    def handle(db: Connection, message: InboundMessage, now: datetime,
               config: Mapping[str, Any]) -> str | None:
        if keywords.classify(message.body) != word:
            return None
        if act is None:
            return reply(db, message, config, answer)
        was_out = is_opted_out(db, message.phone)
        act(db, message.phone, now, "keyword")
        text = reply(db, message, config, answer)
        return Confirmation(text) if is_opted_out(db, message.phone) != was_out else text
    return handle


handle_opt_out = _keyword("opt_out", "opted_out", opt_out)
handle_opt_in = _keyword("opt_in", "opted_in", opt_in)
handle_help = _keyword("help", "help")


def handle_fallback(db: Connection, message: InboundMessage, now: datetime,
                    config: Mapping[str, Any]) -> str | None:
    """Anything no handler took: a short pointer to HELP (silence for opted-out numbers)."""
    if is_opted_out(db, message.phone):
        return ""
    return reply(db, message, config, "fallback")


# The order is the behavior: opt-out first, the fallback last.
HANDLERS: tuple[tuple[str, Handler], ...] = (
    ("opt_out", handle_opt_out),
    ("opt_in", handle_opt_in),
    # Counselors' 도움/HELP is their command list; the handler answers counselor numbers only.
    ("counselor", counselor_commands.handle),
    ("help", handle_help),
    ("appointment", appointment_replies.handle),
    ("ask_counselor", ask_counselor.handle),
    ("digest_time", digest_time.handle),
    ("jobcode", jobcode.handle),
    ("fallback", handle_fallback),
)


def route(db: Connection, message: InboundMessage, now: datetime,
          config: Mapping[str, Any]) -> tuple[str, str]:
    """(handler name, reply text) from the first handler that takes the message.

    Any text from a registered seeker's number (a code, 1/2 to an appointment, START, even
    STOP) shows they are still there: it counts as activity for the retention period.
    """
    seekers.touch_by_phone(db, message.phone, now)
    for name, handler in HANDLERS:
        answer = handler(db, message, now, config)
        if answer is not None:
            return name, answer
    return "none", ""
