"""CSRF protection for every form: a per-session token, sent as a field or an htmx header."""

from __future__ import annotations

import secrets

from flask import Flask, abort, request, session

EXEMPT_BLUEPRINTS: set[str] = set()


def csrf_token() -> str:
    """The session's token, made on first use."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(24)
    return session["csrf"]


def exempt(blueprint_name: str) -> None:
    """Webhooks signed by their sender (Twilio) check their own signature instead."""
    EXEMPT_BLUEPRINTS.add(blueprint_name)


def check() -> None:
    if request.method in {"GET", "HEAD", "OPTIONS"} or request.blueprint in EXEMPT_BLUEPRINTS:
        return
    sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token", "")
    expected = session.get("csrf")
    # Compared as bytes: compare_digest refuses str with non-ASCII characters (a TypeError).
    if not expected or not secrets.compare_digest(sent.encode(), expected.encode()):
        abort(400, description="csrf")


def init_app(app: Flask) -> None:
    app.before_request(check)
    app.jinja_env.globals["csrf_token"] = csrf_token
