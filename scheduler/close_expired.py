"""Job: openings past their deadline (a date in the center's zone) are closed."""

from __future__ import annotations

from flask import Flask

from kiosk.core.db import transaction
from kiosk.core.formatting import local
from kiosk.openings import store as openings
from scheduler.jobs import connection, now


def run(app: Flask) -> dict:
    at = now(app)
    with connection(app) as db, transaction(db):
        return {"closed": openings.close_past_deadline(db, local(at, app.config["TIMEZONE"]).date(), at)}
