"""Job: send what is due in the outbox (every few seconds).

The app is the dispatcher's settings holder: its configuration, its clock, its transport
(built once) and a provider's Retry-After, which holds every later pass until it has passed.
The development SMS page and `jobstop sms dispatch` run the same pass.
"""

from __future__ import annotations

from datetime import datetime

from flask import Flask

from scheduler import jobs
from sms.outbound.dispatch import Dispatcher
from sms.outbound.pacing import Settings
from sms.outbound.transports import Transport, from_config


def run(app: Flask) -> dict:
    """One dispatcher pass: expired and held rows first, then due messages up to the limit."""
    return dispatch_due(app, jobs.now(app), limit=int(app.config["DISPATCH_LIMIT"]))


def transport_for(app: Flask) -> Transport:
    """The app's transport, built once from its configuration."""
    if "sms_transport" not in app.extensions:
        app.extensions["sms_transport"] = from_config(app.config)
    return app.extensions["sms_transport"]


def dispatch_due(app: Flask, now: datetime, limit: int = 500) -> dict[str, int]:
    """One dispatch pass for the app's database and transport; counts per outcome.

    A Retry-After the provider gave in one pass holds the next ones until it has passed.
    """
    with jobs.connection(app) as conn:
        dispatcher = Dispatcher(conn, transport_for(app), Settings.from_config(app.config),
                                app.extensions["clock"], resume_at=app.extensions.get("sms_resume_at"))
        try:
            return dispatcher.run(now, limit)
        finally:  # the later instant wins: a pass beside this one may have been told to wait too
            earlier = app.extensions.get("sms_resume_at")
            if dispatcher.resume_at is not None and (earlier is None or dispatcher.resume_at > earlier):
                app.extensions["sms_resume_at"] = dispatcher.resume_at
