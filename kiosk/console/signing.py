"""Signing in and out of the console, and setting a password from a one-time link."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from kiosk.console import console
from kiosk.console.access import client_address, current_staff, note_access
from kiosk.console.frame import safe_next
from kiosk.core.db import Row, transaction
from kiosk.http.db import get_db
from kiosk.http.now import app_now
from kiosk.http.sessions import new_id
from kiosk.staff import accounts, lockouts, password_links, signing

FormPage = tuple[str, int] | str
EMAIL_MAX = 254  # longer is no email; what is kept of it (lockouts, records) stays small


def _rules() -> signing.Rules:
    return signing.Rules(current_app.config["CONSOLE_LOCK_FAILURES"], current_app.config["CONSOLE_LOCK_MINUTES"])


def _fresh_session(**kept: object) -> None:
    """A new session id and form token: nothing known of the session before carries over."""
    language = session.get("lang")
    session.clear()
    new_id(session)
    if language:
        session["lang"] = language
    session.update(kept)


@console.get("/sign-in")
def sign_in() -> FormPage | Response:
    if current_staff() is not None:
        return redirect(safe_next(request.args.get("next")), 303)
    return render_template("console/sign_in.html", email="", errors={}, locked_until=None,
                           next=request.args.get("next", ""), notice=request.args.get("notice", ""))


@console.post("/sign-in")
def sign_in_post() -> FormPage | Response:
    email, password = request.form.get("email", "").strip()[:EMAIL_MAX], request.form.get("password", "")
    target = request.form.get("next", "")
    errors = {}
    if not email:
        errors["email"] = "console.sign_in.email_missing"
    if not password:
        errors["password"] = "console.sign_in.password_missing"
    if errors:
        return _sign_in_again(email, target, errors)
    result = signing.attempt(get_db(), email, password, app_now(), client_address(), _rules())
    if result.account is None:
        if result.locked_until is not None:
            return _sign_in_again(email, target, {}, locked_until=result.locked_until)
        return _sign_in_again(email, target, {"form": "console.sign_in.wrong"})
    _fresh_session(staff_id=result.account["id"])
    return redirect(safe_next(target), 303)


def _sign_in_again(email: str, target: str, errors: dict[str, str],
                   locked_until: datetime | None = None) -> tuple[str, int]:
    page = render_template("console/sign_in.html", email=email, errors=errors, locked_until=locked_until,
                           next=target, notice="")
    return page, 422


@console.post("/sign-out")
def sign_out() -> Response:
    if current_staff() is not None:
        note_access("sign_out", "console")
    _fresh_session()
    return redirect(url_for("console.sign_in", notice="signed_out"), 303)


@console.get("/set-password/<token>")
def set_password(token: str) -> FormPage:
    account = _link_account(token)
    if account is None:
        return render_template("console/link_gone.html"), 404
    return render_template("console/set_password.html", account=account, token=token, errors={})


@console.post("/set-password/<token>")
def set_password_post(token: str) -> FormPage | Response:
    account = _link_account(token)
    if account is None:
        return render_template("console/link_gone.html"), 404
    password, again = request.form.get("password", ""), request.form.get("password_again", "")
    errors = password_problems(password, again, account["email"])
    if errors:
        page = render_template("console/set_password.html", account=account, token=token, errors=errors)
        return page, 422
    db = get_db()
    with transaction(db):
        if password_links.use(db, token, app_now()) != account["id"]:
            return render_template("console/link_gone.html"), 404
        accounts.set_password(db, account["id"], password)
        lockouts.clear(db, account["email"])
    return redirect(url_for("console.sign_in", notice="password_set"), 303)


def _link_account(token: str) -> Row | None:
    db = get_db()
    account_id = password_links.account_for(db, token, app_now())
    return accounts.get(db, account_id) if account_id is not None else None


def password_problems(password: str, again: str, email: str) -> dict[str, str]:
    """What is wrong with a new password, by field (empty: nothing)."""
    if len(password) < current_app.config["CONSOLE_PASSWORD_MIN"]:
        return {"password": "console.password.too_short"}
    if password.strip().lower() == email.lower() or len(set(password)) < 4:
        return {"password": "console.password.too_plain"}
    if password != again:
        return {"password_again": "console.password.different"}
    return {}
