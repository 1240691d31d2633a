"""The job bus's kiosk: its home says where the bus is today and where it goes next, with a QR
code of the public schedule (/bus) to take along."""

from __future__ import annotations

from typing import Any

from flask import current_app, g

from kiosk.http.db import get_db
from kiosk.http.now import app_today
from kiosk.http.templating import current_language
from kiosk.outreach import qr, runs, texts
from kiosk.web.blueprint import bp

NEXT_SHOWN = 3


def is_bus() -> bool:
    return g.get("kiosk") is not None and g.kiosk["place_kind"] == "job_bus"


def bus_home() -> dict[str, Any] | None:
    """Today's run of this bus (if any), its next stops and the schedule's QR code; None off the bus."""
    if not is_bus():
        return None
    db, today = get_db(), app_today()
    coming = runs.coming(db, today, bus=g.kiosk["code"], limit=NEXT_SHOWN + 1)
    here = coming[0] if coming and coming[0]["day"] == today.isoformat() else None
    return {"here": here, "next": [r for r in coming if r is not here][:NEXT_SHOWN],
            "qr": qr.drawing(qr.schedule_url(current_app.config["PUBLIC_URL"]))}


@bp.context_processor
def bus_helpers() -> dict[str, Any]:
    language = current_language()
    return {"bus_home": bus_home, "run_when": lambda run: texts.when(run, language),
            "run_hours": lambda run: texts.hours(run, language)}
