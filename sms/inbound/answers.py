"""What a reply handler answers: catalog texts naming the sender's center, and confirmations."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kiosk.core.config import setting
from kiosk.core.db import Connection, Row
from kiosk.places import centers
from kiosk.seekers import store as seekers
from sms.outbound import compose
from sms.outbound.inbox import InboundMessage


class Confirmation(str):
    """A reply confirming a change the text made (opt-in, a confirmed or cancelled
    appointment, a counselor's booking): owed to the person, so sent past the auto-reply limit."""


def reply(db: Connection, message: InboundMessage, config: Mapping[str, Any], what: str,
          **params: object) -> str:
    """Catalog text sms.reply.<what> in the sender's language, naming the sender's center."""
    seeker = seekers.find_by_phone(db, message.phone)
    language = seeker["language"] if seeker else setting(config, "DEFAULT_LANGUAGE")
    return compose.message(f"sms.reply.{what}", language, **center_of(db, seeker, config), **params)


def center_of(db: Connection, seeker: Row | None, config: Mapping[str, Any]) -> dict[str, str]:
    """The center to name in a reply: the seeker's own, else the configured one."""
    if seeker and seeker["center_id"]:
        row = centers.get(db, seeker["center_id"])
        if row:
            return {"center_name": row["name"], "center_phone": row["phone"]}
    return {"center_name": setting(config, "CENTER_NAME"), "center_phone": setting(config, "CENTER_PHONE")}
