"""The kiosk's home screen and the list of kiosks at the site root."""

from __future__ import annotations

from flask import Blueprint, g, render_template

from kiosk import kiosks
from kiosk.db import get_db
from kiosk.web import bp

root = Blueprint("root", __name__)


@root.get("/")
def index() -> str:
    """Every kiosk of this install, for staff and for the demo."""
    return render_template("index.html", kiosks=kiosks.all_active(get_db()))


@bp.get("/")
def home() -> str:
    return render_template("kiosk/home.html", kiosk=g.kiosk)
