"""Job: match new and changed openings to seekers, and send instant alerts (every minute)."""

from __future__ import annotations

from flask import Flask

from kiosk.alerts import composer as alerts
from kiosk.alerts import pairs as matching
from kiosk.core.db import transaction
from kiosk.core.formatting import local
from scheduler.jobs import connection, now

MAX_BATCHES_PER_RUN = 50


def run(app: Flask) -> dict:
    """Batches of openings until none is left; each batch and its instant alerts commit together."""
    at = now(app)
    settings = alerts.Settings.from_config(app.config)
    today = local(at, settings.zone).date()
    totals = {"batches": 0, "openings": 0, "pairs": 0, "instant": 0}
    with connection(app) as db:
        matching.use_large_cache(db)
        for _ in range(MAX_BATCHES_PER_RUN):
            with transaction(db):
                batch = matching.match_batch(db, at, today, int(app.config["MATCH_BATCH_SIZE"]))
                if batch is None:
                    break
                totals["instant"] += alerts.send_instant(db, batch.id, at, settings)
            totals["batches"] += 1
            totals["openings"] += batch.openings
            totals["pairs"] += batch.pairs
    return totals
