"""The kiosk's home screen, the visitor's display preferences, the idle reset, and the site root."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from kiosk import kiosks, usage
from kiosk.db import get_db
from kiosk.i18n import LANGUAGES
from kiosk.web import bp

root = Blueprint("root", __name__)

TOGGLES = ("large_text", "high_contrast")


@root.get("/")
def index() -> str:
    """Every kiosk of this install, for staff and for the demo."""
    return render_template("index.html", kiosks=kiosks.all_active(get_db()))


def action_url(endpoint: str, **values: object) -> str | None:
    """The URL of a screen another feature provides, or None while that feature is absent."""
    if endpoint not in current_app.view_functions:
        return None
    return url_for(endpoint, **values)


def visit_marker() -> str:
    """A random mark of this visitor's session; the page script sends earlier visitors' pages home."""
    if "visit" not in session:
        session["visit"] = secrets.token_urlsafe(12)
    return session["visit"]


@bp.app_context_processor
def kiosk_helpers() -> dict[str, object]:
    return {"action_url": action_url, "visit_marker": visit_marker}


@bp.get("/")
def home() -> str:
    usage.note(g.kiosk["code"], "screen", {"screen": "home"}, current_app.extensions["clock"].now())
    return render_template("kiosk/home.html", kiosk=g.kiosk)


def _safe_next(target: str | None) -> str:
    """Only a path inside this kiosk; anything else (another site, another kiosk) goes home."""
    home_url = url_for("kiosk.home")
    if not target:
        return home_url
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith(home_url):
        return home_url
    return target


@bp.post("/prefs")
def prefs() -> Response:
    """Language, larger text and high contrast; kept in the server-side session only."""
    lang = request.form.get("lang")
    if lang in LANGUAGES:
        session["lang"] = lang
    toggle = request.form.get("toggle")
    if toggle in TOGGLES:
        session[toggle] = not session.get(toggle, False)
    return redirect(_safe_next(request.form.get("next")), code=303)


@bp.post("/reset")
def reset() -> Response:
    """The idle timeout (or a visitor's "end"): forget the session, start again at home."""
    session.clear()
    usage.record(get_db(), g.kiosk["code"], "reset", {}, current_app.extensions["clock"].now())
    return redirect(url_for("kiosk.home"), code=303)
