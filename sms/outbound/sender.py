"""The number people text JobStop at, as they would dial it (1588-0000, 031-123-4567).

Shown wherever an opted-out person is told to text START. JOBSTOP_SMS_REPLY_NUMBER, when set,
names it (needed when only a Messaging Service is configured); otherwise TWILIO_FROM_NUMBER.
With neither the number is left out and the sentence still reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import phonenumbers

from kiosk.core.i18n import translate


def dialable(number: str) -> str:
    """A Korean number in national format (1588-0000), another in international (+1 500-555-0006)."""
    try:
        parsed = phonenumbers.parse(number, "KR")
    except phonenumbers.NumberParseException:
        return number.strip()
    if not phonenumbers.is_valid_number(parsed):  # a short code or something else: as configured
        return number.strip()
    korean = parsed.country_code == 82
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL if korean
                                      else phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def reply_number(config: Mapping[str, Any]) -> str:
    """The number to text, formatted for people; "" when none is configured."""
    number = str(config.get("SMS_REPLY_NUMBER") or config.get("TWILIO_FROM_NUMBER") or "").strip()
    return dialable(number) if number else ""


def start_to(config: Mapping[str, Any], language: str) -> str:
    """The catalog's "to <number> " fragment for "text START …" sentences; "" without a number."""
    number = reply_number(config)
    return translate("sms.start_to", language, number=number, ro=_ro(number)) if number else ""


def _ro(number: str) -> str:
    """으로 after 0 영, 3 삼, 6 육; 로 after a vowel or ㄹ (1 일, 7 칠, 8 팔); both when unsure."""
    last = number.rstrip(")")[-1:]
    if not last.isdigit():
        return "(으)로"
    return "으로" if last in "036" else "로"
