"""Job: counselors are texted once to record the outcome of an appointment that has ended."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from kiosk.counseling import outcome_prompts
from kiosk.counseling.texts import settings_from
from scheduler.jobs import connection, now


def run(app: Flask) -> dict:
    look_back = timedelta(days=int(app.config["OUTCOME_PROMPT_LOOK_BACK_DAYS"]))
    with connection(app) as db:
        return {"asked": outcome_prompts.ask_due(db, now(app), settings_from(app.config), look_back)}
