"""The translation catalog: gettext files under kiosk/core/translations/, Korean first.

<area>.pot holds the Korean source of one area (common, kiosk, sms, ...) and
<language>/<area>.po its translation, so features add words without touching each other's
and translators work in Poedit or Weblate as usual. Every entry's msgctxt is the dotted key
the code names ("occupation.office"), its msgid the Korean text, its msgstr the translation:
the same Korean words mean different things in different places (마감 is a closed opening and
a full day), and a translation made for Korean that has since changed is not shown (its
msgid no longer matches) until a translator updates it. The files are read as they are, no
compile step; the wheel carries them.

A key missing in a language falls back to Korean; the catalog test reports every missing,
unused or mismatched key.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable

from babel.messages.catalog import Message
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
# Catalog areas read by staff only (the console's pages): Korean and English, no other language.
STAFF_AREAS = ("console", "places", "console_openings", "casework", "reporting", "bus_runs", "records",
               "operations")
STAFF_LANGUAGES = ("ko", "en")


def catalog_files(language: str) -> list[Traversable]:
    """The gettext files of one language by area name: the .pot templates for Korean."""
    folder = resources.files("kiosk.core") / "translations"
    if language != DEFAULT_LANGUAGE:
        folder, suffix = folder / language, ".po"
    else:
        suffix = ".pot"
    return sorted((e for e in folder.iterdir() if e.name.endswith(suffix)), key=lambda e: e.name)


def is_staff_area(entry: Traversable) -> bool:
    """Whether a catalog file (<area>.pot or <language>/<area>.po) is a staff-only area's."""
    return entry.name.rsplit(".", 1)[0] in STAFF_AREAS


def staff_keys() -> frozenset[str]:
    """The keys of the staff-only areas, which only STAFF_LANGUAGES translate."""
    found = set()
    for entry in catalog_files(DEFAULT_LANGUAGE):
        if is_staff_area(entry):
            with entry.open("rb") as po:
                found.update(message.context for message in read_po(po, abort_invalid=True) if message.context)
    return frozenset(found)


def _entries(language: str) -> list[Message]:
    found = []
    for entry in catalog_files(language):
        with entry.open("rb") as po:
            found.extend(message for message in read_po(po, abort_invalid=True) if message.context)
    return found


@cache
def catalog(language: str) -> dict[str, str]:
    """Every message of one language by dotted key: Korean from the templates; another
    language's translations of today's Korean text only (not fuzzy, not of an older msgid)."""
    if language == DEFAULT_LANGUAGE:
        return {message.context: message.id for message in _entries(language)}
    korean = catalog(DEFAULT_LANGUAGE)
    return {message.context: message.string for message in _entries(language)
            if message.string and not message.fuzzy and korean.get(message.context) == message.id}


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
