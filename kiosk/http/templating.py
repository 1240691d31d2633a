"""What every template can use: the visitor's language, the catalog and Korean formats."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, g, session
from markupsafe import Markup, escape

from kiosk.core import formatting
from kiosk.core.clock import iso
from kiosk.core.i18n import KOREAN, LANGUAGES, NATIVE_NAMES, html_lang, pick_language, translate
from sms.outbound.sender import start_to


def current_language() -> str:
    if "lang" not in g:
        g.lang = pick_language(session.get("lang") or current_app.config["DEFAULT_LANGUAGE"])
    return g.lang


def t(key: str, /, **params: Any) -> str:
    """A catalog message in the current visitor's language."""
    return translate(key, current_language(), **params)


def t_marked(key: str, /, **params: Any) -> Markup:
    """t() for a sentence with Korean names or titles in it: on a page in another language each
    Korean value is marked lang="ko" (수원역 일자리센터 in a Vietnamese sentence)."""
    language = current_language()
    if language in KOREAN:
        return escape(translate(key, language, **params))
    marked = {name: Markup('<span lang="ko">{}</span>').format(value)
              if isinstance(value, str) and formatting.has_hangul(value) else value
              for name, value in params.items()}
    return Markup(escape(translate(key, language))).format(**marked)


def sms_start_to() -> str:
    """"1588-0000으로 " for "text START" sentences, in the visitor's language ("" if unknown)."""
    return start_to(current_app.config, current_language())


def init_app(app: Flask) -> None:
    env = app.jinja_env
    env.globals.update(t=t, t_marked=t_marked, current_language=current_language, sms_start_to=sms_start_to,
                       count_key=formatting.count_key, html_lang=html_lang, languages=LANGUAGES,
                       native_names=NATIVE_NAMES)
    # Korean text (job data, or words the catalog could not put in the page's language) on a
    # page in another language: the template marks it lang="ko" for screen readers and fonts.
    env.tests["korean_here"] = lambda text: current_language() not in KOREAN and formatting.has_hangul(text)
    env.filters["wage"] = lambda o: formatting.wage(o["wage_kind"], o["wage_amount"],
                                                    current_language())
    env.filters["won"] = lambda n: formatting.won(n, current_language())
    env.filters["day"] = lambda d: formatting.day(formatting.parse_day(d) if isinstance(d, str)
                                                  else d, current_language())
    env.filters["day_and_time"] = lambda at: formatting.day_and_time(
        formatting.local(at, current_app.config["TIMEZONE"]), current_language())
    # An instant in the center's zone, then its day (11월 25일(수)) or its time (오후 2:00).
    env.filters["local"] = lambda at: formatting.local(at, current_app.config["TIMEZONE"])
    env.filters["short_day"] = lambda d: formatting.short_day(d, current_language())
    env.filters["clock_time"] = lambda at: formatting.clock_time(at, current_language())
    env.filters["iso"] = iso

