"""Liveness and readiness, for the load balancer, systemd and monitoring.

GET /healthz (liveness): the process and its database answer.
GET /readyz (readiness): pages can be served (a template renders, the vendored scripts are
there) and a scheduler keeps its lease fresh; JSON, and 503 with the reasons when not.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template

from kiosk.core import db
from kiosk.http import assets
from kiosk.http.db import get_db
from kiosk.http.now import app_now
from scheduler import lease

bp = Blueprint("health", __name__)

NO_STORE = {"Cache-Control": "no-store"}


@bp.get("/healthz")
def healthz() -> tuple[str, int, dict[str, str]]:
    try:
        get_db().execute("SELECT count(*) FROM schema_migrations").fetchone()
    except db.Error:
        return "database unavailable\n", 503, {"Content-Type": "text/plain"}
    return "ok\n", 200, {"Content-Type": "text/plain", **NO_STORE}


@bp.get("/readyz")
def readyz() -> tuple[dict[str, Any], int, dict[str, str]]:
    problems = page_problems()
    try:
        scheduler, stale = scheduler_lease()
    except db.Error as error:
        scheduler, stale = None, f"database unavailable: {error}"
    problems += [stale] if stale else []
    body = {"ready": not problems, "problems": problems, "scheduler": scheduler}
    return body, 503 if problems else 200, NO_STORE


def page_problems() -> list[str]:
    """Why pages could not be served: the layout does not render, or a vendored script is missing."""
    problems = [f"{name} missing" for name in assets.VENDOR if not assets.vendor_file(name).is_file()]
    try:
        render_template("base.html")
    except Exception as error:  # whatever keeps the layout from rendering: report it, answer anyway
        problems.append(f"templates: {type(error).__name__}: {error}")
    return problems


def scheduler_lease() -> tuple[dict[str, Any] | None, str | None]:
    """The lease's holder and age, and why it counts as stale (None while fresh)."""
    row = lease.current(get_db())
    if row is None:
        return None, "no scheduler holds the lease"
    age, passed = lease.silence(row, app_now(), float(current_app.config["SCHEDULER_LEASE_SECONDS"]))
    found = {"holder": row["holder"], "age_seconds": round(age, 1), "held_since": row["acquired_at"],
             "expires_at": row["expires_at"]}
    return found, (f"the scheduler lease was last renewed {age:.0f} s ago (stale after {passed:g} s)"
                   if passed is not None else None)
