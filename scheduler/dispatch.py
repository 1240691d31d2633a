"""Job: send what is due in the outbox (every few seconds)."""

from __future__ import annotations

from flask import Flask

from scheduler.jobs import now
from sms.outbound.dispatch import dispatch_due


def run(app: Flask) -> dict:
    """One dispatcher pass: expired and held rows first, then due messages up to the limit."""
    return dispatch_due(app, now(app), limit=int(app.config["DISPATCH_LIMIT"]))
