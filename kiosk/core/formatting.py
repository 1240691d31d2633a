"""Dates, times and money as Koreans write them, and as each other language's readers expect.

Korean and easy Korean write dates, times and won amounts from the catalog: 2026년 12월 7일
(월), 오후 3:00, 2,500,000원. English, Chinese and Vietnamese take dates, times and digit
grouping from Babel (CLDR): Mon, Dec 7, 2026 · 2026年12月7日周一 · Thứ 2, 7 thg 12, 2026.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import DateTimePattern, format_time, match_skeleton
from babel.numbers import format_decimal

from kiosk.core.i18n import DEFAULT_LANGUAGE, KOREAN, LOCALES, catalog, translate

# Babel's skeletons for a day with its weekday, and the short one for texts and lists:
# Vietnamese writes the short day with digits (Thứ 2, 7/12), the others with the month's name.
DAY_SKELETON = "yMMMEd"
SHORT_SKELETON = {"vi": "MEd"}
# CLDR puts narrow and no-break spaces in times (3:00\u202fPM); a plain space keeps English
# texts in GSM-7 and reads the same.
_WIDE_SPACES = str.maketrans({"\u202f": " ", "\u00a0": " "})


def local(at: datetime, zone: str) -> datetime:
    """An instant in the center's zone."""
    return at.astimezone(ZoneInfo(zone))


def won(amount: int, language: str = "ko") -> str:
    """2500000 → 2,500,000원 (KRW 2,500,000 in English, 2.500.000 won in Vietnamese)."""
    digits = f"{amount:,}" if language in KOREAN else format_decimal(amount, locale=_locale(language))
    return translate("wage.won", language, amount=digits)


@cache
def _locale(language: str) -> Locale:
    """Babel's locale for a language, parsed once: given a name, Babel parses it on every call."""
    return Locale.parse(LOCALES.get(language, LOCALES[DEFAULT_LANGUAGE]))


@cache
def _pattern(skeleton: str, language: str) -> DateTimePattern:
    """The locale's pattern for a skeleton, matched once (format_skeleton matches it per call)."""
    patterns = _locale(language).datetime_skeletons
    return patterns[skeleton if skeleton in patterns else match_skeleton(skeleton, patterns)]


def _babel(value: date | datetime, skeleton: str, language: str) -> str:
    return _pattern(skeleton, language).apply(value, _locale(language)).translate(_WIDE_SPACES)


def wage(kind: str, amount: int, language: str = "ko") -> str:
    """시급 10,320원 · 월급 2,500,000원."""
    return translate(f"wage.{kind}", language, amount=won(amount, language))


def _weekday(day: date, language: str) -> str:
    return translate("date.weekdays", language).split(",")[day.weekday()]


def day(value: date | datetime, language: str = "ko") -> str:
    """2026년 11월 25일 (수) · Wed, Nov 25, 2026."""
    if language not in KOREAN:
        return _babel(value, DAY_SKELETON, language)
    return translate("date.date", language, year=value.year, month=value.month, day=value.day,
                     weekday=_weekday(value, language))


def short_day(value: date | datetime, language: str = "ko") -> str:
    """11월 25일(수) — for SMS and lists (Wed, Nov 25 · 11月25日周三 · Thứ 4, 25/11)."""
    if language not in KOREAN:
        return _babel(value, SHORT_SKELETON.get(language, "MMMEd"), language)
    return translate("date.short", language, month=value.month, day=value.day,
                     weekday=_weekday(value, language))


def clock_time(value: datetime, language: str = "ko") -> str:
    """오후 2:00 · 오전 9:30 (2:00 PM in English, 14:00 in Chinese and Vietnamese)."""
    if language not in KOREAN:
        return format_time(value, "short", locale=_locale(language)).translate(_WIDE_SPACES)
    ampm = translate("date.am" if value.hour < 12 else "date.pm", language)
    hour = value.hour % 12 or 12
    return translate("date.time", language, ampm=ampm, hour=hour, minute=value.minute)


def day_and_time(value: datetime, language: str = "ko") -> str:
    """11월 25일(수) 오후 2:00."""
    return f"{short_day(value, language)} {clock_time(value, language)}"


def has_hangul(text: str | None) -> bool:
    """Whether text has Korean in it: job data a non-Korean page marks lang="ko"."""
    return bool(text) and bool(_HANGUL.search(text))


def parse_day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def count_key(key: str, count: int) -> str:
    """The catalog key for count things: key_one for exactly one (1 day, not 1 days)."""
    return f"{key}_one" if count == 1 else key


_HANGUL = re.compile("[\uac00-\ud7a3]")
_SYLLABLE = "\uac00-\ud7a3"


def _counted_pattern(korean: str) -> re.Pattern[str]:
    """주 {n}일 → a pattern that finds 주 5일 (and 주5일), the number as its group."""
    parts = [re.escape(piece).replace("\\ ", "\\s?") for piece in korean.split("{n}")]
    return re.compile("(\\d+)".join(parts))


@cache
def _schedule_words(language: str) -> tuple[list[tuple[re.Pattern[str], str]], re.Pattern[str],
                                            dict[str, str]]:
    """The catalog's schedule words for language: counted ones (주 {n}일) as patterns, longest
    first; a pattern of the other words and of day names; and each one's words in language."""
    entries = {key: text for key, text in catalog(DEFAULT_LANGUAGE).items()
               if key.startswith("kiosk.schedule.")}
    counted = [(_counted_pattern(text), key) for key, text in
               sorted(entries.items(), key=lambda item: -len(item[1])) if "{n}" in text]
    words = {text: translate(key, language) for key, text in entries.items() if "{n}" not in text}
    korean = translate("date.weekdays", DEFAULT_LANGUAGE).split(",")
    days = dict(zip(korean, translate("date.weekdays", language).split(","), strict=True))
    phrases = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    # A day name only where it stands alone (월~금, 토·일), not inside a word (월급).
    alone = f"(?<![{_SYLLABLE}])[{''.join(korean)}](?![{_SYLLABLE}])"
    return counted, re.compile(f"{phrases}|{alone}"), {**words, **days}


@lru_cache(maxsize=1024)
def schedule(text: str, language: str = DEFAULT_LANGUAGE) -> str:
    """Working days or hours in language: 월~금 → Mon–Fri, 주 5일 (교대) → 5 days a week (shifts).

    Text with words the catalog does not know stays as written (Korean), whole.
    """
    if language in KOREAN or not text:
        return text
    counted, pattern, words = _schedule_words(language)
    out = text
    for found, key in counted:
        out = found.sub(lambda m, key=key: translate(key, language, n=m[1]), out)
    out = pattern.sub(lambda m: words[m[0]], out).replace("~", "–")
    return text if _HANGUL.search(out) else out[:1].upper() + out[1:]


def whole_number(text: str) -> int | None:
    """A number written with the digits 0-9 alone, else None. str.isdigit() also takes ², ① and
    other digits that int() refuses, so user input is read through this."""
    return int(text) if text.isascii() and text.isdigit() else None
