"""The console's home: what the signed-in person has to do today, by role."""

from __future__ import annotations

from flask import render_template

from kiosk.console import console
from kiosk.console.access import current_staff, signed_in


@console.get("/")
@signed_in()
def home() -> str:
    return render_template("console/home.html", person=current_staff())
