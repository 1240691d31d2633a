"""/bus: the job bus's coming stops, for anyone, on any phone: when, where, with which center."""

from __future__ import annotations

from flask import current_app, render_template
from werkzeug.wrappers import Response

from kiosk.http.db import get_db
from kiosk.http.now import app_today
from kiosk.outreach import runs
from kiosk.public.blueprint import bp, language_links

SHOWN = 30  # stops listed: about two months of runs


@bp.get("/bus")
def schedule() -> Response:
    coming = runs.coming(get_db(), app_today(), limit=SHOWN)
    page = render_template("public/bus.html", runs=coming, today=app_today().isoformat(),
                           center_phone=current_app.config["CENTER_PHONE"], languages=language_links())
    return current_app.make_response(page)
