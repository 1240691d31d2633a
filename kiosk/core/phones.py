"""Korean mobile numbers: normalized to E.164 for storage, masked for screens."""

from __future__ import annotations

import hashlib
import re

import phonenumbers
from phonenumbers import PhoneNumberType


class InvalidPhone(ValueError):
    """Not a Korean mobile number; .reason is a catalog key for the visitor."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def normalize_mobile(text: str) -> str:
    """010-1234-5678, 01012345678 or +82 10 1234 5678 → +821012345678."""
    digits = re.sub(r"[\s\-().]", "", text or "")
    if not digits:
        raise InvalidPhone("phone.empty")
    if not re.fullmatch(r"\+?\d+", digits):
        raise InvalidPhone("phone.not_digits")
    try:
        number = phonenumbers.parse(digits, "KR")
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone("phone.malformed") from exc
    if number.country_code != 82 or not phonenumbers.is_valid_number(number):
        raise InvalidPhone("phone.malformed")
    if phonenumbers.number_type(number) != PhoneNumberType.MOBILE:
        raise InvalidPhone("phone.not_mobile")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def national(e164: str) -> str:
    """+821012345678 → 010-1234-5678."""
    number = phonenumbers.parse(e164, "KR")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def mask(e164: str | None) -> str:
    """+821012345678 → 010-****-5678: enough for a person to recognize their own number."""
    if not e164:
        return ""
    parts = national(e164).split("-")
    if len(parts) != 3:
        return "***-****-" + e164[-4:]
    return f"{parts[0]}-{'*' * len(parts[1])}-{parts[2]}"


def fingerprint(e164: str, secret: str) -> str:
    """A keyed hash of a number, for records that must not hold the number itself."""
    return hashlib.blake2b(e164.encode(), key=secret.encode()[:64], digest_size=16).hexdigest()
