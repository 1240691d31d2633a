"""What JobStop answers to a text: an explicit, ordered chain of handlers.

Each handler is `handle(db, message, now, config) -> str | None`: None means "not mine,
ask the next one"; a string is the reply ("" = handled, nothing to say). The first
handler that answers wins, inside the webhook's transaction, so its changes and the stored
inbound text commit together. Opt-out comes first: nothing may stand in front of it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from kiosk import seekers
from sms import appointment_replies, compose, counselor_commands, jobcode, keywords
from sms.inbound import InboundMessage
from sms.optout import is_opted_out, opt_in, opt_out

Handler = Callable[[sqlite3.Connection, InboundMessage, datetime, Mapping[str, Any]], "str | None"]


def language_of(db: sqlite3.Connection, phone: str, config: Mapping[str, Any]) -> str:
    """The sender's language: the registered seeker's, else the default (Korean)."""
    seeker = seekers.find_by_phone(db, phone)
    return seeker["language"] if seeker else config.get("DEFAULT_LANGUAGE", "ko")


def center_of(db: sqlite3.Connection, phone: str, config: Mapping[str, Any]) -> dict[str, str]:
    """The center to name in a reply: the seeker's own, else the configured one."""
    seeker = seekers.find_by_phone(db, phone)
    if seeker and seeker["center_id"]:
        row = db.execute("SELECT name, phone FROM centers WHERE id = ?", (seeker["center_id"],)).fetchone()
        if row:
            return {"center_name": row["name"], "center_phone": row["phone"]}
    return {"center_name": config.get("CENTER_NAME", ""), "center_phone": config.get("CENTER_PHONE", "")}


def reply(db: sqlite3.Connection, message: InboundMessage, config: Mapping[str, Any], what: str) -> str:
    """Catalog text sms.reply.<what> in the sender's language."""
    language = language_of(db, message.phone, config)
    return compose.message(f"sms.reply.{what}", language, **center_of(db, message.phone, config))


def handle_opt_out(db: sqlite3.Connection, message: InboundMessage, now: datetime,
                   config: Mapping[str, Any]) -> str | None:
    if keywords.classify(message.body) != "opt_out":
        return None
    opt_out(db, message.phone, now, "keyword")
    return reply(db, message, config, "opted_out")


def handle_opt_in(db: sqlite3.Connection, message: InboundMessage, now: datetime,
                  config: Mapping[str, Any]) -> str | None:
    if keywords.classify(message.body) != "opt_in":
        return None
    opt_in(db, message.phone, now, "keyword")
    return reply(db, message, config, "opted_in")


def handle_help(db: sqlite3.Connection, message: InboundMessage, now: datetime,
                config: Mapping[str, Any]) -> str | None:
    if keywords.classify(message.body) != "help":
        return None
    return reply(db, message, config, "help")


def handle_fallback(db: sqlite3.Connection, message: InboundMessage, now: datetime,
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
    ("jobcode", jobcode.handle),
    ("fallback", handle_fallback),
)


def route(db: sqlite3.Connection, message: InboundMessage, now: datetime,
          config: Mapping[str, Any]) -> tuple[str, str]:
    """(handler name, reply text) from the first handler that takes the message."""
    for name, handler in HANDLERS:
        answer = handler(db, message, now, config)
        if answer is not None:
            return name, answer
    return "none", ""
