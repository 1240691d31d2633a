"""Finding openings at the kiosk: the list with filters and search, and an opening's detail."""

from __future__ import annotations

from flask import render_template

from kiosk.web import bp


@bp.get("/openings")
def browse() -> str:
    return render_template("kiosk/openings.html")
