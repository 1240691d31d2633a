"""The development transport's page: what would have been sent, per phone number.

Only while Twilio is not configured (404 otherwise). Numbers are shown because finding
your own code or alert is this page's purpose; they never go into a URL (lookup is a POST).
Opening the page runs a dispatch pass first, so the demo works without the scheduler.
"""

from __future__ import annotations

import sqlite3
from itertools import groupby

from flask import Blueprint, abort, current_app, render_template, request

from kiosk import phones
from kiosk.clock import parse_iso
from kiosk.db import get_db
from kiosk.formatting import local
from sms.dispatch import dispatch_due
from sms.transports import twilio_configured

bp = Blueprint("dev", __name__, url_prefix="/dev")

LIMIT = 300


def stored_messages(db: sqlite3.Connection, phone: str | None, limit: int = LIMIT) -> list[sqlite3.Row]:
    """Outbox rows, newest first, for one number or all of them, grouped by number."""
    return db.execute(
        "SELECT to_number, body, kind, status, segments, encoding, created_at"
        " FROM sms_messages WHERE (? IS NULL OR to_number = ?)"
        " ORDER BY to_number, created_at DESC, id DESC LIMIT ?",
        (phone, phone, limit),
    ).fetchall()


@bp.route("/sms", methods=["GET", "POST"])
def sms_inbox() -> str:
    """Every stored text grouped by number; the POST form narrows it to one number."""
    if twilio_configured(current_app.config):
        abort(404)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    dispatch_due(app, app.extensions["clock"].now())
    phone, error = None, None
    if request.method == "POST" and request.form.get("phone", "").strip():
        try:
            phone = phones.normalize_mobile(request.form["phone"])
        except phones.InvalidPhone as exc:
            error = exc.reason
    rows = [] if error else stored_messages(get_db(), phone)
    zone = app.config["TIMEZONE"]
    groups = [(phones.national(number) if number.startswith("+82") else number,
               [dict(row, local_time=local(parse_iso(row["created_at"]), zone).strftime("%m-%d %H:%M"))
                for row in items])
              for number, items in groupby(rows, key=lambda row: row["to_number"])]
    return render_template("dev/sms.html", groups=groups, phone=phone, error=error,
                           entered=request.form.get("phone", ""))
