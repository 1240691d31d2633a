"""The public blueprint: the reader's language from ?lang= or the phone's own, and no cache
that a shared phone's next reader could see beyond a few minutes."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, current_app, g, request
from werkzeug.wrappers import Response

from kiosk.core.i18n import LANGUAGES, NATIVE_NAMES
from kiosk.http.templating import current_language
from kiosk.outreach import texts

bp = Blueprint("public", __name__)

# Accept-Language names languages the BCP 47 way; ours are matched by their first part.
_BROWSER_LANGUAGES = ("ko", "en", "zh", "vi")


@bp.before_request
def choose_language() -> None:
    """?lang= first (the page's own switch), then the phone's languages, then Korean."""
    asked = request.args.get("lang", "")
    if asked in LANGUAGES:
        g.lang = asked
        return
    best = request.accept_languages.best_match(_BROWSER_LANGUAGES)
    g.lang = best or current_app.config["DEFAULT_LANGUAGE"]


@bp.context_processor
def run_helpers() -> dict[str, Any]:
    return {"run_when": lambda run: texts.when(run, current_language())}


@bp.after_request
def cache_briefly(response: Response) -> Response:
    """Public facts only; a phone may keep them a few minutes, shared caches not at all."""
    response.headers["Cache-Control"] = "private, max-age=300"
    response.vary.add("Accept-Language")
    return response


def language_links(**args: Any) -> list[tuple[str, str, str, bool]]:
    """(code, name in itself, this page in it, is the current one) for the language switch."""
    return [(code, NATIVE_NAMES[code], f"{request.path}?{urlencode({**args, 'lang': code})}", code == g.lang)
            for code in LANGUAGES]
