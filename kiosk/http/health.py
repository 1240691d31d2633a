"""GET /healthz: 200 when the app and its database answer."""

from __future__ import annotations

from flask import Blueprint

from kiosk.core.db import Error
from kiosk.http.db import get_db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[str, int, dict[str, str]]:
    try:
        get_db().execute("SELECT count(*) FROM schema_migrations").fetchone()
    except Error:
        return "database unavailable\n", 503, {"Content-Type": "text/plain"}
    return "ok\n", 200, {"Content-Type": "text/plain", "Cache-Control": "no-store"}
