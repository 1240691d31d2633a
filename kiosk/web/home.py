"""The kiosk's home screen, the visitor's display preferences, the idle reset, and the site root."""

from __future__ import annotations

import posixpath
import secrets
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from kiosk.core.formatting import clock_time, local
from kiosk.core.i18n import LANGUAGES, translate
from kiosk.http import usage
from kiosk.http.db import get_db
from kiosk.http.templating import current_language
from kiosk.places import kiosks, visiting
from kiosk.web import caches, voice
from kiosk.web.blueprint import bp

root = Blueprint("root", __name__)

TOGGLES = ("large_text", "high_contrast", "low_screen", "voice")
SUBMIT_HEADER, LOCATION_HEADER = "X-Kiosk-Submit", "X-Kiosk-Location"


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


# The layout's URLs and labels depend on the kiosk, the language and two settings; every
# kiosk page shows them, so each combination is worked out once per app.
_LABELS = ("nav.label", "nav.home", "nav.large_text", "nav.high_contrast",
           "idle.title", "idle.forget", "idle.continue", "nav.help")


def kiosk_chrome() -> dict[str, str]:
    """URLs and catalog labels of the kiosk layout (bar, idle dialog) for this visitor."""
    countdown = current_app.config["IDLE_COUNTDOWN_SECONDS"]
    key = (request.script_root, g.kiosk["code"], current_language(), countdown)
    return caches.current().chromes.get_or_set(key, lambda: _chrome(key[2], countdown))


def _chrome(lang: str, countdown: int) -> dict[str, str]:
    chrome = {name: translate(f"kiosk.{name}", lang) for name in _LABELS}
    chrome.update(
        home=url_for("kiosk.home"), browse=url_for("kiosk.browse"), prefs=url_for("kiosk.prefs"),
        reset=url_for("kiosk.reset"), alive=url_for("kiosk.alive"), help=url_for("kiosk.call_help"),
        report=url_for("enrol.report", kiosk_code=g.kiosk["code"]),
        script=url_for("static", filename="js/kiosk.js"),
        countdown_template=translate("kiosk.idle.countdown", lang, seconds="{seconds}"),
        countdown=translate("kiosk.idle.countdown", lang, seconds=countdown))
    return chrome


@bp.app_context_processor
def kiosk_helpers() -> dict[str, object]:
    return {"action_url": action_url, "visit_marker": visit_marker, "kiosk_chrome": kiosk_chrome}


@bp.get("/")
def home() -> str:
    now = current_app.extensions["clock"].now()
    usage.note(g.kiosk["code"], "screen", {"screen": "home"}, now)
    return render_template("kiosk/home.html", kiosk=g.kiosk, place=center_today(now))


def center_today(now: datetime) -> dict[str, object] | None:
    """The kiosk's center for its home: address, directions, today's hours, counselors on shift now."""
    db, center_id = get_db(), g.kiosk["center_id"]
    place = caches.current().places.get(db, center_id, lambda: visiting.visiting(db, center_id))
    if place is None:
        return None
    at, lang = local(now, current_app.config["TIMEZONE"]), current_language()
    spans = [translate("kiosk.home.place.span", lang, opens=clock_time(datetime.combine(at.date(), opens), lang),
                       closes=clock_time(datetime.combine(at.date(), closes), lang))
             for opens, closes in visiting.open_spans(place, at.weekday())]
    return {"place": place, "hours": ", ".join(spans), "on_shift": visiting.staffed_now(place, at)}


def safe_next(target: str | None) -> str:
    """Only a path inside this kiosk; anything else (another site, another kiosk) goes home."""
    home_url = url_for("kiosk.home")
    if not target:
        return home_url
    parts = urlsplit(target)
    path = posixpath.normpath(parts.path) + ("/" if parts.path.endswith("/") else "")
    if (parts.scheme or parts.netloc or not path.startswith(home_url)
            or any(ord(ch) < 32 or ord(ch) == 127 for ch in target)):
        return home_url  # elsewhere, up and out with "..", or a line break (a header split)
    return urlunsplit(("", "", path, parts.query, ""))


@bp.post("/prefs")
def prefs() -> Response:
    """Language, larger text, high contrast, the low screen and voice guidance; kept in the
    server-side session only."""
    lang = request.form.get("lang")
    if lang in LANGUAGES:
        session["lang"] = lang
    toggle = request.form.get("toggle")
    if toggle in TOGGLES:
        session[toggle] = not session.get(toggle, False)
    voice.change(request.form)
    return redirect(safe_next(request.form.get("next")), code=303)


@bp.post("/reset")
def reset() -> Response:
    """The idle timeout, 처음으로 or 마치기: forget the session, start again at home."""
    session.clear()
    usage.record(get_db(), g.kiosk["code"], "reset", {}, current_app.extensions["clock"].now())
    return redirect(url_for("kiosk.home"), code=303)


@bp.post("/alive")
def alive() -> tuple[str, int]:
    """The page's heartbeat while a visitor touches it: the session's idle time starts again."""
    return "", 204


@bp.after_request
def redirect_for_script(response: Response) -> Response:
    """A form kiosk.js sent by fetch learns where to go instead of being taken there.

    The script then replaces the screen with location.replace, so a visit keeps one history
    entry; without the script the browser follows the 303 as usual.
    """
    if request.headers.get(SUBMIT_HEADER) and response.status_code in {301, 302, 303}:
        response.headers[LOCATION_HEADER] = response.headers.pop("Location")
        response.status_code = 204
        response.set_data(b"")
    return response
