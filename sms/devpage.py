"""The development transport's page: what would have been sent, per phone number.

Only in the demo (`jobstop start`), in development mode (JOBSTOP_DEVELOPMENT=1) or debug
mode, and only while Twilio is not configured: 404 otherwise, since the stored texts hold
login codes. There anyone may type their number (a POST, so it never goes into a URL) and
read what was sent to it — their demo code or alert. The list of every number is shown only
in the demo, in debug mode, or with JOBSTOP_DEV_SMS_PAGE on; numbers are masked in headings
either way. Reading the page sends nothing: the demo's scheduler thread dispatches every few
seconds, and "지금 보내기" (a POST) runs one pass at once where no scheduler runs.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any

from flask import Blueprint, Flask, abort, current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from kiosk.core import phones
from kiosk.core.clock import parse_iso
from kiosk.core.db import Connection, Row
from kiosk.core.formatting import local
from kiosk.http.db import get_db
from scheduler.dispatch import dispatch_due
from sms.outbound.transports import twilio_configured

bp = Blueprint("dev", __name__, url_prefix="/dev")

LIMIT = 300


def stored_messages(db: Connection, phone: str | None, limit: int = LIMIT) -> list[Row]:
    """Outbox rows, newest first, for one number or all of them, grouped by number."""
    return db.execute(
        "SELECT to_number, body, kind, status, segments, encoding, created_at"
        " FROM sms_messages WHERE (? IS NULL OR to_number = ?)"
        " ORDER BY to_number, created_at DESC, id DESC LIMIT ?",
        (phone, phone, limit),
    ).fetchall()


def answers(app: Flask) -> bool:
    """The page exists in the demo, development or debug mode, and only without Twilio."""
    return bool(app.debug or app.config.get("DEVELOPMENT")) and not twilio_configured(app.config)


def lists_everyone(app: Flask) -> bool:
    """The whole inbox is shown in the demo, in debug mode, or when JOBSTOP_DEV_SMS_PAGE is on."""
    return bool(app.debug or app.config.get("DEV_SMS_PAGE"))


def _groups(rows: list[Row], zone: str) -> list[tuple[str, list[dict[str, Any]]]]:
    """(masked number, its messages with a local time) per number."""
    return [(phones.mask(number),
             [dict(row, local_time=local(parse_iso(row["created_at"]), zone).strftime("%m-%d %H:%M"))
              for row in items])
            for number, items in groupby(rows, key=lambda row: row["to_number"])]


def _typed_phone() -> tuple[str | None, str | None]:
    """(E.164 number, None) from the posted form, (None, catalog key) when it is not a mobile."""
    typed = request.form.get("phone", "").strip() if request.method == "POST" else ""
    if not typed:
        return None, None
    try:
        return phones.normalize_mobile(typed), None
    except phones.InvalidPhone as exc:
        return None, exc.reason


@bp.route("/sms", methods=["GET", "POST"])
def sms_inbox() -> str | Response:
    """The stored texts of one typed number, or of every number where the demo allows it."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not answers(app):
        abort(404)
    phone, error = _typed_phone()
    if request.method == "POST" and request.form.get("action") == "send":
        dispatch_due(app, app.extensions["clock"].now())
        if phone is None and error is None:
            return redirect(url_for("dev.sms_inbox"), code=303)
    everyone = lists_everyone(app)
    rows = stored_messages(get_db(), phone) if phone or (everyone and not error) else []
    return render_template("dev/sms.html", groups=_groups(rows, app.config["TIMEZONE"]), phone=phone,
                           error=error, everyone=everyone, entered=request.form.get("phone", ""))
