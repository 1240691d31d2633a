"""Accounts (admins only): who may sign in, with which role, center and counselor; adding one,
deactivating, lifting a sign-in lock and issuing a new set-password link.

Each change is an access record (action "account"). A new link is shown once, on the answer
to the form that made it; only its hash is kept.
"""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from kiosk.console import console
from kiosk.console.access import current_staff, note_access, signed_in
from kiosk.core.clock import iso
from kiosk.core.db import Row, transaction
from kiosk.http.db import get_db
from kiosk.http.now import app_now
from kiosk.places import centers
from kiosk.staff import accounts as staff_accounts
from kiosk.staff import lockouts, new_accounts, password_links

FORM_FIELDS = ("name", "email", "role", "center", "counselor")
Page = str | tuple[str, int]


def _list_page(notice: str = "", **values: object) -> str:
    db = get_db()
    template = "console/_accounts.html" if request.headers.get("HX-Request") else "console/accounts.html"
    return render_template(template, rows=staff_accounts.listing(db), now_iso=iso(app_now()), notice=notice,
                           me=current_staff(), **values)


@console.get("/accounts")
@signed_in("admin")
def accounts() -> str:
    return _list_page(request.args.get("notice", ""))


def _form_page(form: dict[str, str], errors: dict[str, str], status: int = 200) -> Page:
    db = get_db()
    page = render_template("console/account_new.html", form=form, errors=errors, centers=centers.every(db),
                           counselors=new_accounts.linkable_counselors(db), roles=staff_accounts.ROLES)
    return page, status


@console.get("/accounts/new")
@signed_in("admin")
def account_new() -> Page:
    return _form_page(dict.fromkeys(FORM_FIELDS, ""), {})


def _int_or_none(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) < 10 else None


@console.post("/accounts/new")
@signed_in("admin")
def account_create() -> Page:
    form = {field: request.form.get(field, "").strip() for field in FORM_FIELDS}
    wanted = new_accounts.Wanted(form["name"], form["email"], form["role"], _int_or_none(form["center"]),
                                 _int_or_none(form["counselor"]))
    db = get_db()
    errors = new_accounts.problems(db, wanted)
    made = None if errors else new_accounts.create(db, wanted, app_now(), current_app.config["CONSOLE_LINK_HOURS"])
    if made is None:
        return _form_page(form, errors or {"email": "console.accounts.error.email_taken"}, 422)
    account_id, token = made
    note_access("account", f"added account {account_id} ({wanted.role})")
    return _link_page(account_id, token)


def _link_page(account_id: int, token: str) -> str:
    url = url_for("console.set_password", token=token, _external=False)
    public = current_app.config["PUBLIC_URL"].rstrip("/")
    return render_template("console/account_link.html", account=staff_accounts.get(get_db(), account_id),
                           link=f"{public}{url}", hours=current_app.config["CONSOLE_LINK_HOURS"])


def _account_or_404(account_id: int) -> Row:
    account = staff_accounts.get(get_db(), account_id)
    if account is None:
        abort(404)
    return account


def _done(notice: str) -> Page | Response:
    """After a change: the list again (its fragment for htmx), saying what was done."""
    if request.headers.get("HX-Request"):
        return _list_page(notice)
    return redirect(url_for("console.accounts", notice=notice), 303)


@console.post("/accounts/<id:account_id>/active")
@signed_in("admin")
def account_active(account_id: int) -> Page | Response:
    """Deactivates (active=0) or reactivates an account; an admin never deactivates themself."""
    account = _account_or_404(account_id)
    active = request.form.get("active") == "1"
    if not active and account["id"] == current_staff().id:
        return _done("self")
    staff_accounts.set_active(get_db(), account["id"], active)
    note_access("account", f"{'reactivated' if active else 'deactivated'} account {account['id']}")
    return _done("reactivated" if active else "deactivated")


@console.post("/accounts/<id:account_id>/unlock")
@signed_in("admin")
def account_unlock(account_id: int) -> Page | Response:
    account = _account_or_404(account_id)
    lockouts.clear(get_db(), account["email"])
    note_access("account", f"lifted the sign-in lock of account {account['id']}")
    return _done("unlocked")


@console.post("/accounts/<id:account_id>/link")
@signed_in("admin")
def account_link(account_id: int) -> Page | Response:
    """A new one-time set-password link (the older ones stop working), shown once."""
    account = _account_or_404(account_id)
    if not account["active"]:
        return _done("inactive")
    db = get_db()
    with transaction(db):
        token = password_links.issue(db, account["id"], app_now(), current_app.config["CONSOLE_LINK_HOURS"])
        note_access("account", f"new set-password link for account {account['id']}")
    return _link_page(account["id"], token)
