"""Asking for counseling by text — 상담, 상담 신청하고 싶어요, 지원, 상담 J2091, COUNSELING —
makes the same referral request as the kiosk's "ask a counselor".

The request is for the seeker's own center and goes to a counselor on shift there, who is
texted (or to the next shift's, texted when it starts: kiosk.counseling.routing); a job code
in the text attaches that opening. The reply says who will call and from when. A number
that is not registered is told how to register, or to call the center.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from kiosk.alerts import pairs as matching
from kiosk.core import limits
from kiosk.core.config import DEFAULTS, setting
from kiosk.core.db import Connection
from kiosk.core.formatting import clock_time, local
from kiosk.counseling import hours as counseling
from kiosk.counseling import routing
from kiosk.counseling.texts import settings_from, when
from kiosk.openings import store as openings
from kiosk.seekers import referrals
from kiosk.seekers import store as seekers
from sms.inbound import jobcode, keywords
from sms.inbound.answers import Confirmation, reply
from sms.outbound.inbox import InboundMessage

# The first word: 상담 / 지원 alone or with 신청·요청, a verb ending (상담해요, 지원할게요,
# 상담받고), or the person asked for (상담사, 상담원); not 지원금 or 상담료.
ASK = re.compile(r"(?:상담|지원)(?:신청|요청|사|원)?(?:[하해할합요받희좀님]|$)|counsel|apply")
CODE = re.compile(r"(?:j|제이)\s*[-#.:]?\s*(\d{1,9})", re.IGNORECASE)


def parse(body: str) -> tuple[bool, int | None]:
    """(asks for counseling, opening id of a job code in the text)."""
    words = keywords.words(body)
    if not words or not ASK.match(words[0]):
        return False, None
    code = CODE.search(unicodedata.normalize("NFKC", body))
    return True, int(code.group(1)) if code else None


def handle(db: Connection, message: InboundMessage, now: datetime,
           config: Mapping[str, Any]) -> str | None:
    """The reply-chain handler: None unless the text asks for counseling."""
    asks, opening_id = parse(message.body)
    if not asks:
        return None
    seeker = seekers.find_by_phone(db, message.phone)
    if seeker is None or seeker["status"] != "active" or not seeker["center_id"]:
        return reply(db, message, config, "ask_register")
    if opening_id is not None:
        today = local(now, setting(config, "TIMEZONE")).date().isoformat()
        opening = openings.get(db, opening_id)
        if opening is None or not matching.is_live(opening, today):  # unknown or closed: say which
            return jobcode.answer(db, opening_id, seeker["language"], today)
    settings = settings_from(config)
    if referrals.open_request(db, seeker["id"], opening_id) is None:
        try:  # the kiosk's per-seeker cap: a text is no way round it
            limits.take(db, "ask", limits.caps({**DEFAULTS, **config}, "ask", config["SECRET_KEY"],
                                               visitor=f"seeker:{seeker['id']}"), now)
        except limits.Limited as limited:
            at = clock_time(local(limited.retry_at, settings.zone), seeker["language"])
            return reply(db, message, config, "ask_limited", at=at)
    referral_id, created = referrals.request(
        db, seeker_id=seeker["id"], opening_id=opening_id,
        kiosk={"code": None, "center_id": seeker["center_id"]}, now=now)
    if created:
        routing.assign_new(db, now, settings, center_id=seeker["center_id"])
    referral = referrals.get(db, referral_id)
    about = {"code": routing.code(referral_id),
             "job": f" {openings.short_code(opening_id)}" if opening_id else ""}
    counselor = counseling.counselor(db, referral["counselor_id"]) if referral["counselor_id"] else None
    starts = routing.shift_starts(db, counselor, now, settings.zone) if counselor else None
    if counselor is None:  # the center has no counselor on any shift yet
        text = reply(db, message, config, "ask_waiting", **about)
    elif not created:
        text = reply(db, message, config, "ask_already", counselor=counselor["name"], **about)
    elif starts is None or starts <= now:
        text = reply(db, message, config, "ask_now", counselor=counselor["name"], **about)
    else:
        text = reply(db, message, config, "ask_later", counselor=counselor["name"],
                     when=when(starts, seeker["language"], settings.zone), **about)
    return Confirmation(text) if created else text
