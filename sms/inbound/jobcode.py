"""Replying with a job's short code (J1234, j 1234, J-1234) gets that opening's details.

Alerts and digests print a code per opening; a seeker texts it back and the reply is the
opening's facts, most important first, within the reply's segment budget. An unknown code
or a closed opening gets a clear answer instead.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from kiosk.alerts import composer as alerts
from kiosk.alerts import pairs as matching
from kiosk.core.config import setting
from kiosk.core.db import Connection, Row
from kiosk.core.formatting import local, parse_day, short_day, wage
from kiosk.core.i18n import translate
from kiosk.openings import store as openings
from kiosk.seekers import store as seekers
from sms.outbound import compose

# "J1234", "j 1234", "J-1234", "J#1234", "제이1234"; optional punctuation around it.
CODE = re.compile(r"^\W*(?:j|제이)\s*[-#.:]?\s*(\d{1,9})\W*$", re.IGNORECASE)


def parse(text: str) -> int | None:
    """The opening id in a reply that is only a job code, else None."""
    found = CODE.match(unicodedata.normalize("NFKC", text or "").strip())
    return int(found.group(1)) if found else None


def details(opening: Row, language: str) -> str:
    """The opening's facts as short lines (an old phone shows them as they are)."""
    code = openings.short_code(opening["id"])
    deadline = parse_day(opening["deadline"])
    lines = [
        translate("alerts.jobcode.employer", language, employer=opening["employer"],
                  region=translate("region." + opening["region"], language)),
        translate("alerts.jobcode.wage", language, wage=wage(opening["wage_kind"], opening["wage_amount"], language),
                  employment=translate("employment." + opening["employment_type"], language)),
        translate("alerts.jobcode.deadline", language, day=short_day(deadline, language)) if deadline
        else translate("alerts.jobcode.until_filled", language),
        translate("alerts.jobcode.hours", language,
                  hours=f"{opening['work_days']} {alerts.work_hours(opening['work_hours'], language)}"),
        translate("alerts.jobcode.apply", language, how=opening["how_to_apply"]),
    ]
    if opening["contact_phone"]:
        lines.append(translate("alerts.jobcode.contact", language, phone=opening["contact_phone"]))
    body, _ = compose.fit_lines(lines, compose.budget("transactional"),
                                head=translate("alerts.jobcode.details_head", language, code=code,
                                               title=opening["title"]),
                                tail=translate("alerts.jobcode.ask", language, code=code))
    return body


def answer(db: Connection, opening_id: int, language: str, today: str) -> str:
    """Details of an open opening; otherwise why there are none."""
    code = openings.short_code(opening_id)
    opening = openings.get(db, opening_id)
    if opening is None:
        return translate("alerts.jobcode.unknown", language, code=code)
    if not matching.is_live(opening, today):
        return translate("alerts.jobcode.closed", language, code=code, title=opening["title"])
    return details(opening, language)


def language_of(db: Connection, phone: str, config: Mapping[str, Any]) -> str:
    """The registered seeker's language, else the default."""
    seeker = seekers.find_by_phone(db, phone)
    return seeker["language"] if seeker else setting(config, "DEFAULT_LANGUAGE")


def handle(db: Connection, message: Any, now: datetime, config: Mapping[str, Any]) -> str | None:
    """The reply-chain handler: None unless the text is a job code."""
    opening_id = parse(message.body)
    if opening_id is None:
        return None
    today = local(now, setting(config, "TIMEZONE")).date().isoformat()
    return answer(db, opening_id, language_of(db, message.phone, config), today)
