"""The translation catalog: kiosk/core/translations/<language>/<area>.toml, Korean first.

Each area (common, kiosk, sms, ...) has its own file, so features add words without
touching each other's. A key is the TOML table path joined with dots: "occupation.office".
A key missing in a language falls back to Korean; a key missing in Korean is a bug the
catalog test reports.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

LANGUAGES = ("ko", "en")
DEFAULT_LANGUAGE = "ko"


def _flatten(table: dict[str, Any], prefix: str, into: dict[str, str]) -> None:
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            _flatten(value, f"{name}.", into)
        else:
            into[name] = str(value)


@cache
def catalog(language: str) -> dict[str, str]:
    """Every message of one language, keyed by dotted name."""
    messages: dict[str, str] = {}
    folder = resources.files("kiosk.core") / "translations" / language
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            _flatten(tomllib.loads(entry.read_text(encoding="utf-8")), "", messages)
    return messages


@cache
def _messages(language: str) -> dict[str, str]:
    """One language's messages over Korean's, so a lookup is a single dict read."""
    return {**catalog(DEFAULT_LANGUAGE), **catalog(language)}


def translate(key: str, language: str = DEFAULT_LANGUAGE, /, **params: Any) -> str:
    """The message for key in language (Korean when that language lacks it), filled in."""
    text = _messages(language if language in LANGUAGES else DEFAULT_LANGUAGE).get(key, key)
    return text.format(**params) if params else text


def has(key: str, language: str = DEFAULT_LANGUAGE) -> bool:
    return key in catalog(language)


def pick_language(wanted: str | None) -> str:
    return wanted if wanted in LANGUAGES else DEFAULT_LANGUAGE
