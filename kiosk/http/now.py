"""Now and today by the current app's clock, for views and templates."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def app_now() -> datetime:
    """Now, by the current app's clock (in a request, a command or a job with the app)."""
    return current_app.extensions["clock"].now()


def app_today() -> date:
    """Today's date in the center's zone, by the current app's clock."""
    return app_now().astimezone(ZoneInfo(current_app.config["TIMEZONE"])).date()
