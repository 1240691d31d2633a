"""When a seeker's alerts come, by text: 알림 아침 / 알림 점심 / 알림 저녁 (ALERTS EVENING).

The choice is the same one as at the kiosk and on My page (seekers.digest_time); its hours
are the digest windows of the settings. A change is confirmed (owed past the auto-reply
limit); 알림 alone, or a time not offered, gets the choices; a number that is not registered
is told how to register.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from kiosk.alerts.schedule import window_label
from kiosk.core.config import setting
from kiosk.core.db import Connection
from kiosk.seekers import store as seekers
from sms.inbound import keywords
from sms.inbound.answers import Confirmation, reply
from sms.outbound.inbox import InboundMessage

ALERTS = ("알림", "알람", "alerts", "alert", "提醒")
TIMES = {
    "morning": ("아침", "오전", "morning", "am", "早上", "上午", "sáng", "buổisáng"),
    "midday": ("점심", "낮", "오후", "midday", "noon", "lunch", "afternoon", "中午", "下午", "trưa", "buổitrưa"),
    "evening": ("저녁", "밤", "evening", "night", "晚上", "tối", "buổitối"),
}

# What people add in Korean: 알림 저녁으로, 알림 아침에 받을게요, 알림 점심으로 해주세요.
ENDING = re.compile(r"(?:으로|로|에)?(?:해|해요|해줘|해줘요|해주세요|받을게요|받기|할게요|요|변경|바꿔주세요)?")


def parse(body: str) -> tuple[bool, str | None]:
    """(asks about alert times, the time chosen or None): "알림 저녁으로" → (True, "evening")."""
    text = "".join(keywords.words(body))
    head = next((word for word in ALERTS if text.startswith(word)), None)
    if head is None:
        return False, None
    rest = text[len(head):]
    if not rest:
        return True, None
    for name, said in TIMES.items():
        if any(rest == word or (rest.startswith(word) and not word.isascii() and ENDING.fullmatch(rest[len(word):]))
               for word in said):
            return True, name
    return (True, None) if len(rest) <= 8 else (False, None)


def handle(db: Connection, message: InboundMessage, now: datetime,
           config: Mapping[str, Any]) -> str | None:
    """The reply-chain handler: None unless the text is about when alerts come."""
    about, choice = parse(message.body)
    if not about:
        return None
    seeker = seekers.find_by_phone(db, message.phone)
    if seeker is None:
        return reply(db, message, config, "digest_time_register")
    language = seeker["language"]
    if choice is None:
        return reply(db, message, config, "digest_time_ask",
                     **{name: window_label(name, config, language) for name in seekers.DIGEST_TIMES})
    changed = (seeker["digest_time"] or setting(config, "DIGEST_DEFAULT_TIME")) != choice
    if changed:
        seekers.set_digest_time(db, seeker["id"], choice, now)
    text = reply(db, message, config, "digest_time_set", when=window_label(choice, config, language))
    return Confirmation(text) if changed else text
