"""The translation catalog: gettext files kiosk/core/translations/<language>/<area>.po, Korean first.

Each area (common, kiosk, sms, ...) has one .po file per language, so features add words
without touching each other's, and translators open them in Poedit or Weblate as they are.
The msgid is the dotted key ("occupation.office"), not the Korean text: the same Korean
words mean different things in different places (마감 is a closed opening and a full day),
callers name the key, and rewording the Korean must not orphan every translation. Korean is
the source language: ko/<area>.po holds the Korean texts (Weblate's "monolingual gettext"
base file) and every other language's file carries the Korean text as a translator comment.
The .po files are read as they are (no compile step): the wheel carries them.

A key missing in a language falls back to Korean; a key missing in Korean is a bug the
catalog test reports.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from babel.messages.pofile import read_po

# Korean, easy Korean (short sentences, everyday words), English, Simplified Chinese, Vietnamese.
LANGUAGES = ("ko", "ko-easy", "en", "zh", "vi")
DEFAULT_LANGUAGE = "ko"
# Each language's name in itself, for the language switch and the registration step.
NATIVE_NAMES = {"ko": "한국어", "ko-easy": "쉬운 한국어", "en": "English", "zh": "简体中文",
                "vi": "Tiếng Việt"}
# What HTML's lang attribute (BCP 47) says for each: easy Korean is Korean to a screen reader.
HTML_LANG = {"ko": "ko", "ko-easy": "ko", "en": "en", "zh": "zh-Hans", "vi": "vi"}
# Babel's locale for dates and times in each language.
LOCALES = {"ko": "ko_KR", "ko-easy": "ko_KR", "en": "en", "zh": "zh_Hans_CN", "vi": "vi_VN"}
# Languages written in Korean: dates, money and job data read the Korean way.
KOREAN = frozenset({"ko", "ko-easy"})


def catalog_files(language: str) -> list:
    """The .po files of one language, by area name."""
    folder = resources.files("kiosk.core") / "translations" / language
    return sorted((e for e in folder.iterdir() if e.name.endswith(".po")), key=lambda e: e.name)


@cache
def catalog(language: str) -> dict[str, str]:
    """Every translated message of one language, keyed by dotted name (fuzzy ones left out)."""
    messages: dict[str, str] = {}
    for entry in catalog_files(language):
        with entry.open("rb") as po:
            for message in read_po(po, abort_invalid=True):
                if message.id and message.string and not message.fuzzy:
                    messages[message.id] = message.string
    return messages


@cache
def _messages(language: str) -> dict[str, str]:
    """One language's messages over Korean's, so a lookup is a single dict read."""
    return {**catalog(DEFAULT_LANGUAGE), **catalog(language)}


def translate(key: str, language: str = DEFAULT_LANGUAGE, /, **params: object) -> str:
    """The message for key in language (Korean when that language lacks it), filled in."""
    text = _messages(language if language in LANGUAGES else DEFAULT_LANGUAGE).get(key, key)
    return text.format(**params) if params else text


def has(key: str, language: str = DEFAULT_LANGUAGE) -> bool:
    return key in catalog(language)


def pick_language(wanted: str | None) -> str:
    return wanted if wanted in LANGUAGES else DEFAULT_LANGUAGE


def html_lang(language: str) -> str:
    """The lang attribute for a page in language: ko-easy is still Korean."""
    return HTML_LANG.get(language, DEFAULT_LANGUAGE)
