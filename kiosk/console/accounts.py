"""Accounts (admins only): who may sign in, with which role, center and counselor, and their locks."""

from __future__ import annotations

from flask import render_template

from kiosk.console import console
from kiosk.console.access import signed_in
from kiosk.http.db import get_db
from kiosk.staff import accounts as staff_accounts


@console.get("/accounts")
@signed_in("admin")
def accounts() -> str:
    return render_template("console/accounts.html", rows=staff_accounts.listing(get_db()))
