"""Kiosk sessions kept in the database; the browser holds only a random id in a session cookie.

Ending a session deletes its row and its cookie, so nothing of one visitor reaches the next.
A kiosk session also ends by itself: its row expires IDLE_SECONDS + IDLE_COUNTDOWN_SECONDS +
IDLE_GRACE_SECONDS after the last kiosk request (a screen, an htmx update or the page's
heartbeat), whatever the browser did, so a reset the network lost does not hand one visitor's
session to the next. The browser counts its idle time from the same requests (static/js/kiosk.js).

A visitor who has only looked (the session holds no more than the form token and the visit's
mark) gets no row: those two travel in a signed cookie with their own end, so a flood of
cookie-less requests writes nothing. The first real choice (a language, a phone number) moves
the session into a row.

The staff console (/console/) has a session of its own: another cookie (CONSOLE_COOKIE, sent
only to /console/), its own rows, an end CONSOLE_IDLE_MINUTES after its last request. A kiosk
visitor's session never carries a sign-in, and a console sign-in never reaches kiosk screens.
"""

from __future__ import annotations

import copy
import json
import secrets
from collections.abc import MutableMapping
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, Request, Response, request
from flask.sessions import SessionInterface, SessionMixin
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.datastructures import CallbackDict

from kiosk.core.clock import iso, parse_iso
from kiosk.core.db import Connection
from kiosk.http import signed
from kiosk.http.db import get_db

KIOSK_BLUEPRINT = "kiosk"
CONSOLE_PATH = "/console"
CONSOLE_COOKIE = "jobstop_console"
CONSOLE_MARK = "."  # starts a console session's row id (a kiosk's never does), so neither opens the other's
CONSOLE_STEP = timedelta(minutes=1)  # a console request rewrites its row once the end moved this much
ASSET_PATHS = ("/static/", "/vendor/")  # files, the same for every visitor
# What a finished task keeps until the visitor leaves: how the screen looks and sounds, the form token and
# the visit's mark. Nothing in them says who the visitor was.
DISPLAY_KEYS = ("lang", "large_text", "high_contrast", "low_screen", "voice", "voice_speed", "voice_volume",
                "csrf", "visit")
COOKIE_ONLY_KEYS = frozenset({"csrf", "visit"})  # a session of only these needs no row
SIGNED = "~"  # starts a cookie that carries its session (a row id never does)


class ServerSession(CallbackDict, SessionMixin):
    def __init__(self, initial: dict | None = None, sid: str | None = None,
                 expires_at: datetime | None = None, signed: bool = False) -> None:
        def on_update(session: ServerSession) -> None:
            session.modified = True

        super().__init__(initial, on_update)
        self.sid = sid
        self.expires_at = expires_at
        self.signed = signed  # came in a signed cookie, not from a row
        self.ended = False  # this request found the session past its end (idle too long)
        self.modified = False


def idle_window(app: Flask) -> timedelta:
    """How long a kiosk session lives after its last request."""
    return timedelta(seconds=app.config["IDLE_SECONDS"] + app.config["IDLE_COUNTDOWN_SECONDS"]
                     + app.config["IDLE_GRACE_SECONDS"])


def is_console(path: str) -> bool:
    """Whether a request path is the staff console's, which has a session of its own."""
    return path == CONSOLE_PATH or path.startswith(f"{CONSOLE_PATH}/")


class DatabaseSessionInterface(SessionInterface):
    """Rows in web_sessions, found by a 256-bit random id in an HttpOnly, SameSite cookie."""

    def get_cookie_name(self, app: Flask) -> str:
        return CONSOLE_COOKIE if is_console(request.path) else super().get_cookie_name(app)

    def get_cookie_path(self, app: Flask) -> str:
        return CONSOLE_PATH if is_console(request.path) else "/"

    def open_session(self, app: Flask, request: Request) -> ServerSession:
        sid = request.cookies.get(self.get_cookie_name(app))
        if not sid or request.path.startswith(ASSET_PATHS):  # a script or stylesheet needs no visitor
            return ServerSession()
        if sid.startswith(SIGNED):
            return self._from_cookie(app, sid)
        if sid.startswith(CONSOLE_MARK) != is_console(request.path):
            return ServerSession()
        db = get_db()
        row = db.execute("SELECT data, expires_at FROM web_sessions WHERE id = ?", (sid,)).fetchone()
        if row is None:
            return ServerSession()
        data, expires_at = json.loads(row["data"]), parse_iso(row["expires_at"])
        if expires_at > app.extensions["clock"].now():
            return ServerSession(data, sid=sid, expires_at=expires_at)
        db.execute("DELETE FROM web_sessions WHERE id = ?", (sid,))
        return self._over(data)

    def _from_cookie(self, app: Flask, value: str) -> ServerSession:
        try:
            kept = signed.loads(app.secret_key, _salt(), value[len(SIGNED):])
            data, expires_at = copy.deepcopy(kept["data"]), parse_iso(kept["expires_at"])
        except (BadSignature, KeyError, TypeError, ValueError):
            return ServerSession(signed=True)  # forged or from another key: a new visitor
        if expires_at > app.extensions["clock"].now():
            return ServerSession(data, expires_at=expires_at, signed=True)
        return self._over(data)

    @staticmethod
    def _over(data: dict[str, Any]) -> ServerSession:
        """The session is over: the visitor is forgotten. Only the form token carries on, so the
        screen left standing (home, most often) still answers the next visitor's first tap."""
        fresh = ServerSession({"csrf": data["csrf"]} if "csrf" in data else None, signed=True)
        fresh.ended = True
        fresh.modified = True
        return fresh

    def save_session(self, app: Flask, session: ServerSession, response: Response) -> None:
        name = self.get_cookie_name(app)
        if not session:
            if session.sid:
                get_db().execute("DELETE FROM web_sessions WHERE id = ?", (session.sid,))
            if session.sid or session.signed:
                response.delete_cookie(name, path=self.get_cookie_path(app))
            return
        expires = self._expiry(app)
        if (session.sid or session.signed) and not session.modified and not self._moved(app, session, expires):
            return
        if session.sid is None and session.keys() <= COOKIE_ONLY_KEYS:
            value = SIGNED + _signer(app).dumps({"data": dict(session), "expires_at": iso(expires)})
            self._set_cookie(app, response, value)
            return
        sid = session.sid or (CONSOLE_MARK if is_console(request.path) else "") + secrets.token_urlsafe(32)
        get_db().execute(
            "INSERT INTO web_sessions (id, data, expires_at) VALUES (?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at",
            (sid, json.dumps(dict(session), ensure_ascii=False), iso(expires)),
        )
        if sid != session.sid:
            self._set_cookie(app, response, sid)

    def _set_cookie(self, app: Flask, response: Response, value: str) -> None:
        response.set_cookie(self.get_cookie_name(app), value, httponly=True, samesite="Strict",
                            path=self.get_cookie_path(app),
                            secure=app.config["PUBLIC_URL"].startswith("https:"))

    @staticmethod
    def _expiry(app: Flask) -> datetime:
        now = app.extensions["clock"].now()
        if is_console(request.path):
            return now + timedelta(minutes=app.config["CONSOLE_IDLE_MINUTES"])
        if request.blueprint == KIOSK_BLUEPRINT:
            return now + idle_window(app)
        return now + timedelta(hours=app.config["SESSION_HOURS"])

    @staticmethod
    def _moved(app: Flask, session: ServerSession, expires: datetime) -> bool:
        """A kiosk request moves the end of the session; written once it moved by half the grace.

        Stored that way, the end is never earlier than the browser's own reset (which counts
        from the same requests), and the hot list pages do not rewrite the row each time.
        """
        if session.expires_at is None:
            return False
        if is_console(request.path):
            return expires - session.expires_at >= CONSOLE_STEP
        if request.blueprint != KIOSK_BLUEPRINT:
            return False
        step = timedelta(seconds=app.config["IDLE_GRACE_SECONDS"] / 2)
        return expires - session.expires_at > step


def _salt() -> str:
    return "jobstop.console" if is_console(request.path) else "jobstop.session"


def _signer(app: Flask) -> URLSafeSerializer:
    return URLSafeSerializer(app.secret_key, salt=_salt())


def new_id(session: ServerSession) -> None:
    """Gives the session a new id (at sign-in and sign-out), so an id known before is worth nothing after."""
    if session.sid:
        get_db().execute("DELETE FROM web_sessions WHERE id = ?", (session.sid,))
    session.sid, session.signed, session.modified = None, False, True


def forget_person(session: MutableMapping[str, Any]) -> None:
    """Ends the personal part of a visit: only how the screen looks (and its token) stays."""
    kept = {key: session[key] for key in DISPLAY_KEYS if key in session}
    session.clear()
    session.update(kept)


def purge_expired(db: Connection, now: datetime) -> int:
    """Deletes sessions past their expiry; returns how many."""
    return db.execute("DELETE FROM web_sessions WHERE expires_at <= ?", (iso(now),)).rowcount
