"""What every console page shares: its language (Korean or English), the nav, no-store, errors."""

from __future__ import annotations

from typing import Any

from flask import current_app, g, redirect, render_template, request, session, url_for
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from kiosk.console import console
from kiosk.console.access import current_staff
from kiosk.console.nav import entries_for
from kiosk.core.clock import parse_iso
from kiosk.core.formatting import local
from kiosk.http.errors import allow_header, error_key
from kiosk.http.sessions import is_console
from kiosk.http.templating import current_language, t

LANGUAGES = ("ko", "en")  # staff pages speak these two


@console.before_request
def _language() -> None:
    chosen = session.get("lang")
    g.lang = chosen if chosen in LANGUAGES else "ko"


@console.after_app_request
def _no_store(response: Response) -> Response:
    """Nothing a console page shows is kept by the browser or a proxy."""
    if is_console(request.path):
        response.headers["Cache-Control"] = "no-store"
        response.vary.add("HX-Request")
    return response


@console.app_context_processor
def _chrome() -> dict[str, Any]:
    if not is_console(request.path):
        return {}
    return {"staff": current_staff(), "nav": entries_for(current_staff()), "console_languages": LANGUAGES}


@console.app_template_filter("staff_time")
def staff_time(value: str | None) -> str:
    """A stored instant as staff read it in tables: 2026. 11. 23. 14:05 (2026-11-23 14:05 in English)."""
    if not value:
        return ""
    at = local(parse_iso(value), current_app.config["TIMEZONE"])
    if current_language() == "ko":
        return f"{at.year}. {at.month}. {at.day}. {at:%H:%M}"
    return f"{at:%Y-%m-%d %H:%M}"


def safe_next(target: str | None) -> str:
    """Where to go after signing in or changing language: a console address, else home."""
    if target and target.startswith("/console/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("console.home")


@console.post("/language")
def language() -> Response:
    chosen = request.form.get("lang", "")
    if chosen in LANGUAGES:
        session["lang"] = chosen
    return redirect(safe_next(request.form.get("next")), 303)


def error_page(error: HTTPException) -> tuple[str, int, dict[str, str]]:
    """An error on a console address, in the console's layout and language."""
    if "lang" not in g:
        _language()
    key = "console.error.forbidden" if error.code == 403 else error_key(error)
    page = render_template("console/error.html", message=t(key), code=error.code)
    return page, error.code or 500, allow_header(error)
