"""Job: alerts held through quiet hours become due when the window opens (08:00)."""

from __future__ import annotations

from flask import Flask

from kiosk.db import transaction
from scheduler.jobs import connection, now
from sms import outbox


def run(app: Flask) -> dict:
    with connection(app) as db, transaction(db):
        return {"released": outbox.release_held(db, now(app))}
