"""Kiosk sessions kept in the database; the browser holds only a random id in a session cookie.

Ending a session deletes its row and its cookie, so nothing of one visitor reaches the next.
"""

from __future__ import annotations

import json
import secrets
from datetime import datetime, timedelta

from flask import Flask, Request, Response
from flask.sessions import SessionInterface, SessionMixin
from werkzeug.datastructures import CallbackDict

from kiosk.core.clock import iso
from kiosk.core.db import Connection
from kiosk.http.db import get_db


class ServerSession(CallbackDict, SessionMixin):
    def __init__(self, initial: dict | None = None, sid: str | None = None) -> None:
        def on_update(session: ServerSession) -> None:
            session.modified = True

        super().__init__(initial, on_update)
        self.sid = sid
        self.modified = False


class DatabaseSessionInterface(SessionInterface):
    """Rows in web_sessions, found by a 256-bit random id in an HttpOnly, SameSite cookie."""

    def open_session(self, app: Flask, request: Request) -> ServerSession:
        sid = request.cookies.get(self.get_cookie_name(app))
        if sid:
            row = get_db().execute(
                "SELECT data FROM web_sessions WHERE id = ? AND expires_at > ?",
                (sid, iso(app.extensions["clock"].now())),
            ).fetchone()
            if row:
                return ServerSession(json.loads(row["data"]), sid=sid)
        return ServerSession()

    def save_session(self, app: Flask, session: ServerSession, response: Response) -> None:
        name = self.get_cookie_name(app)
        if not session:
            if session.sid:
                get_db().execute("DELETE FROM web_sessions WHERE id = ?", (session.sid,))
                response.delete_cookie(name, path="/")
            return
        if not session.modified and session.sid:
            return
        sid = session.sid or secrets.token_urlsafe(32)
        expires = app.extensions["clock"].now() + timedelta(hours=app.config["SESSION_HOURS"])
        get_db().execute(
            "INSERT INTO web_sessions (id, data, expires_at) VALUES (?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at",
            (sid, json.dumps(dict(session), ensure_ascii=False), iso(expires)),
        )
        if sid != session.sid:
            response.set_cookie(name, sid, httponly=True, samesite="Strict", path="/",
                                secure=app.config["PUBLIC_URL"].startswith("https:"))


def purge_expired(db: Connection, now: datetime) -> int:
    """Deletes sessions past their expiry; returns how many."""
    return db.execute("DELETE FROM web_sessions WHERE expires_at <= ?", (iso(now),)).rowcount
