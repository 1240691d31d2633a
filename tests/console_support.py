"""What console tests share: accounts with a known password, and signing a test client in."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from kiosk.core import db
from kiosk.places import centers
from kiosk.staff import accounts

PASSWORD = "console test password 7"
BOOTH = "수원역 일자리센터 상담부스"  # the demo's Suwon Station booth
_numbers = itertools.count(1)
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class Account:
    id: int
    name: str
    email: str
    password: str
    role: str
    center_id: int | None
    counselor_id: int | None


def add_account(app, role: str, *, center_id: int | None = None, counselor_id: int | None = None,
                name: str | None = None) -> Account:
    """A new active account with PASSWORD. Staff default to the Suwon Station booth; a counselor
    account to the first counselor of its center (the booth's, unless center_id says otherwise)
    who has no account yet."""
    number = next(_numbers)
    conn = db.connect(app.config["DATABASE"])
    try:
        if role != "admin" and center_id is None:
            center_id = (centers.get(conn, _counselor_center(conn, counselor_id)) if counselor_id
                         else centers.by_name(conn, BOOTH))["id"]
        if role == "counselor" and counselor_id is None:
            counselor_id = conn.execute(
                "SELECT id FROM counselors k WHERE center_id = ? AND NOT EXISTS"
                " (SELECT 1 FROM staff_accounts a WHERE a.counselor_id = k.id) ORDER BY id LIMIT 1",
                (center_id,)).fetchone()[0]
        email = f"{role}{number}@test.jobstop.kr"
        with db.transaction(conn):
            account_id = accounts.add(conn, name or f"{role} {number}", email, role,
                                      app.extensions["clock"].now(), center_id=center_id,
                                      counselor_id=counselor_id, password=PASSWORD)
    finally:
        conn.close()
    return Account(account_id, name or f"{role} {number}", email, PASSWORD, role,
                   None if role == "admin" else center_id, counselor_id if role == "counselor" else None)


def _counselor_center(conn, counselor_id: int) -> int:
    return conn.execute("SELECT center_id FROM counselors WHERE id = ?", (counselor_id,)).fetchone()[0]


def csrf_of(client, path: str = "/console/sign-in") -> str:
    """The console session's form token, as the page at `path` (or where it leads) carries it."""
    page = client.get(path, follow_redirects=True).get_data(as_text=True)
    return TOKEN.search(page)[1]


def sign_in(client, account: Account, password: str | None = None):
    """Signs a Flask test client in to the console (the form, with its CSRF token); the answer."""
    answer = client.post("/console/sign-in", data={
        "csrf_token": csrf_of(client), "email": account.email, "password": password or account.password})
    assert answer.status_code == 303, answer.get_data(as_text=True)
    return answer


def post(client, path: str, data: dict | None = None, **kwargs):
    """A console form post with the session's CSRF token added."""
    return client.post(path, data={"csrf_token": csrf_of(client), **(data or {})}, **kwargs)
