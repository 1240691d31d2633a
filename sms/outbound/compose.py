"""Composing texts: segment counting (GSM-7 / UCS-2), EUC-KR bytes, per-class budgets.

Korean is UCS-2 on the wire: 70 UTF-16 units fit one segment, 67 per part once a text is
split (the rest of each part is the concatenation header). GSM-7 fits 160 septets, 153
per part, and its extension characters (^{}[]~|€\\ and form feed) cost two septets.
Korean carriers also bill by EUC-KR bytes: up to 90 is an SMS, up to 2,000 an LMS.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import NamedTuple

from kiosk.core.i18n import translate

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")

SINGLE = {"GSM-7": 160, "UCS-2": 70}
PART = {"GSM-7": 153, "UCS-2": 67}
SMS_BYTES = 90
LMS_BYTES = 2000

# How many segments one message of a class may take; the composer fits content into it.
SEGMENT_BUDGET = {"otp": 1, "transactional": 3, "alert": 3}


class Size(NamedTuple):
    encoding: str        # 'GSM-7' or 'UCS-2'
    units: int           # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int
    euckr_bytes: int
    carrier_kind: str    # 'SMS' (<= 90 bytes), 'LMS' (<= 2,000) or 'too_long'


GSM7_ALL = GSM7_BASIC | GSM7_EXTENSION


def _unit_costs(text: str, encoding: str) -> list[int]:
    """Per character: what it costs in its encoding (never split across parts)."""
    if encoding == "GSM-7":
        return [2 if ch in GSM7_EXTENSION else 1 for ch in text]
    return [2 if ord(ch) > 0xFFFF else 1 for ch in text]


_EXTENSION_CHARACTER = re.compile("[" + re.escape("".join(sorted(GSM7_EXTENSION))) + "]")


def _gsm7_parts(text: str) -> int:
    """Parts of a GSM-7 text with extension characters, each an escape septet then the character:
    the pair never straddles two parts, so a part ending on an escape leaves it to the next.

    The escapes' septet offsets are found by a regular expression in C, and the parts counted
    from them: a loop per character costs 6x more, and every English digest has extension
    characters (its "[JobStop]" head).
    """
    escapes = {index + before for before, index in
               enumerate(found.start() for found in _EXTENSION_CHARACTER.finditer(text))}
    septets, per_part = len(text) + len(escapes), PART["GSM-7"]
    parts, start = 1, 0
    while septets - start > per_part:
        end = start + per_part
        start, parts = end - 1 if end - 1 in escapes else end, parts + 1
    return parts


def _parts(costs: list[int], per_part: int) -> int:
    parts, used = 1, 0
    for cost in costs:
        if used + cost > per_part:
            parts, used = parts + 1, 0
        used += cost
    return parts


def euckr_bytes(text: str) -> int:
    """Bytes in EUC-KR (CP949): ASCII one byte, everything else two."""
    return 2 * len(text) - len(text.encode("ascii", "ignore"))


@lru_cache(maxsize=8192)
def measure(text: str) -> tuple[int, str]:
    """Segments and encoding only: what the outbox stores for every row, so kept lean.

    Cached: a digest run enqueues the same few thousand bodies to hundreds of thousands of
    seekers (and the composer has measured each already while fitting it).
    """
    if GSM7_ALL.issuperset(text):
        encoding, units = "GSM-7", len(text)
        if not GSM7_BASIC.issuperset(text):  # extension characters cost two septets
            units += sum(text.count(ch) for ch in GSM7_EXTENSION if ch in text)
    else:
        encoding, units = "UCS-2", utf16_units(text)
    if units <= SINGLE[encoding]:
        return 1, encoding
    if units == len(text):  # every character costs one unit: plain division
        return -(-units // PART[encoding]), encoding
    if encoding == "GSM-7":
        return _gsm7_parts(text), encoding
    return _parts(_unit_costs(text, encoding), PART[encoding]), encoding  # a pair never straddles parts


def utf16_units(text: str) -> int:
    """UTF-16 code units: emoji and other astral characters take two.

    Encoded as "utf-16" (CPython's fast path, 4x quicker than "utf-16-le" through the codec
    registry), less its two-byte byte-order mark.
    """
    return len(text.encode("utf-16", "surrogatepass")) // 2 - 1


def size(text: str) -> Size:
    """How a text travels: encoding, segments, and the Korean carrier's SMS/LMS class."""
    segments, encoding = measure(text)
    if encoding == "GSM-7":
        units = len(text) + sum(text.count(ch) for ch in GSM7_EXTENSION if ch in text)
    else:
        units = utf16_units(text)
    nbytes = euckr_bytes(text)
    kind = "SMS" if nbytes <= SMS_BYTES else "LMS" if nbytes <= LMS_BYTES else "too_long"
    return Size(encoding, units, segments, nbytes, kind)


def fits(text: str, segments: int) -> bool:
    return measure(text)[0] <= segments


def fit_lines(lines: Sequence[str], segments: int, *, head: str = "", tail: str = "",
              more: Callable[[int], str] | None = None, sep: str = "\n") -> tuple[str, int]:
    """As many lines (in order) as fit the budget between head and tail.

    Returns the body and how many lines it holds; `more(n)` words the n left out
    (e.g. "외 3건") and is only added when something was left out.
    """
    def build(count: int) -> str:
        body = [head] if head else []
        body += list(lines[:count])
        left = len(lines) - count
        if left and more is not None:
            body.append(more(left))
        if tail:
            body.append(tail)
        return sep.join(body)

    for count in range(len(lines), -1, -1):
        text = build(count)
        if fits(text, segments):
            return text, count
    return build(0), 0


def budget(kind: str) -> int:
    return SEGMENT_BUDGET[kind]


def message(key: str, language: str, /, **params: object) -> str:
    """An SMS body from the catalog (kiosk/core/translations/sms.pot, <lang>/sms.po) in the reader's language."""
    return translate(key, language, **params)
