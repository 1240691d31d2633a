"""Voice guidance (소리 안내): each screen's spoken line and the focused control, as WAV.

A screen's line is a catalog message (voice.screen.<name>), asked for by its name, language and
speed, and kept on disk (kiosk/core/speech.py). The focused control's words come from the page
in a POST body, never in a URL; numbers in them keep only their last four digits, and words
that are not a catalog message (they may be a visitor's name) are kept in the worker's memory
only, never on disk.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache

from flask import abort, current_app, request, session, url_for
from werkzeug.wrappers import Response

from kiosk.core.i18n import LANGUAGES, catalog, has, translate
from kiosk.core.speech import DEFAULT_SPEED, MAX_CHARACTERS, SPEEDS, Speaker, SpeechError, without_numbers
from kiosk.http.templating import current_language
from kiosk.web.blueprint import bp

VOLUMES = (0.2, 0.4, 0.6, 0.8, 1.0)  # the player's volume at levels 1–5
DEFAULT_VOLUME = 4
WAV = "audio/wav"


def speaker() -> Speaker:
    """This app's speaker, its files under the instance folder unless SPEECH_FOLDER says where."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    found = app.extensions.get("speaker")
    if found is None:
        folder = app.config["SPEECH_FOLDER"] or os.path.join(app.instance_path, "speech")
        found = app.extensions.setdefault("speaker", Speaker(folder, app.config["SPEECH_PROGRAM"]))
    return found


def settings() -> dict[str, object]:
    """The visitor's voice settings for this visit: on or off, speed, volume level."""
    level = session.get("voice_volume", DEFAULT_VOLUME)
    return {"on": bool(session.get("voice")), "speed": session.get("voice_speed", DEFAULT_SPEED),
            "level": level, "volume": VOLUMES[level - 1]}


def change(form: Mapping[str, str]) -> None:
    """Applies a voice control from the bar: speed (slow, normal, fast) or volume (up, down)."""
    if form.get("voice_speed") in SPEEDS:
        session["voice_speed"] = form["voice_speed"]
    step = {"up": 1, "down": -1}.get(form.get("voice_volume", ""), 0)
    if step:
        level = session.get("voice_volume", DEFAULT_VOLUME) + step
        session["voice_volume"] = min(max(level, 1), len(VOLUMES))


def screen_url(screen: str) -> str:
    """Where the page's player finds this screen's spoken line, in the visitor's language and speed."""
    name = screen if has(f"voice.screen.{screen}") else "default"
    return url_for("kiosk.screen_speech", lang=current_language(), speed=settings()["speed"], name=name)


@bp.app_context_processor
def voice_helpers() -> dict[str, object]:
    return {"voice_settings": settings, "voice_screen_url": screen_url, "voice_volumes": len(VOLUMES)}


@bp.get("/speech/<lang>/<speed>/<name>.wav")
def screen_speech(lang: str, speed: str, name: str) -> Response:
    """A screen's spoken line (its title and what to do there)."""
    key = f"voice.screen.{name}"
    if lang not in LANGUAGES or speed not in SPEEDS or not has(key):
        abort(404)
    return _spoken_file(translate(key, lang), lang, speed)


@bp.post("/speech")
def say() -> Response:
    """The words of the control the visitor moved to, read in their language and speed."""
    text = " ".join((request.form.get("text") or "").split())
    if not text or len(text) > MAX_CHARACTERS:
        abort(400)
    lang, speed = current_language(), str(settings()["speed"])
    text = without_numbers(text, translate("voice.last_digits", lang))
    if text in catalog_texts(lang):
        return _spoken_file(text, lang, speed)
    try:
        audio = speaker().wav(text, lang, speed)
    except SpeechError:
        abort(503)
    return Response(audio, mimetype=WAV)


def _spoken_file(text: str, lang: str, speed: str) -> Response:
    try:
        path = speaker().path(text, lang, speed)
    except SpeechError:
        abort(503)
    return Response(path.read_bytes(), mimetype=WAV)


@cache
def catalog_texts(language: str) -> frozenset[str]:
    """Every complete catalog message of a language (no blanks to fill): safe to keep on disk."""
    return frozenset(" ".join(text.split()) for text in catalog(language).values() if "{" not in text)
