"""/o/<id>: an opening on the visitor's own phone, opened from the QR code on a kiosk.

The same facts as the kiosk's detail screen, how to apply, buttons to call or text the
employer, and a text to a counselor with the job's code filled in. A closed opening says so
and offers a few similar open ones. The QR code's address (kiosk.outreach.qr.opening_url)
ends ?qr=1: that open is counted, per opening and day, and nothing else about the reader is kept.
"""

from __future__ import annotations

from urllib.parse import quote

from flask import abort, current_app, render_template, request
from werkzeug.wrappers import Response

from kiosk.core import phones
from kiosk.core.db import transaction
from kiosk.core.formatting import parse_day, schedule
from kiosk.core.i18n import translate
from kiosk.http.db import get_db
from kiosk.http.now import app_today
from kiosk.http.templating import current_language
from kiosk.openings import store as openings
from kiosk.outreach import scans
from kiosk.public.blueprint import bp, language_links
from sms.outbound.sender import reply_number

SIMILAR = 3  # open openings offered instead of a closed one


def dial_link(number: str) -> str:
    """tel:/sms: target for a Korean number as written (031-123-4567 → +82311234567)."""
    digits = "".join(ch for ch in number if ch.isdigit() or ch == "+")
    try:
        return phones.normalize_mobile(number)
    except phones.InvalidPhone:
        return digits


def textable(number: str) -> bool:
    """Only a mobile number takes a text."""
    try:
        phones.normalize_mobile(number)
    except phones.InvalidPhone:
        return False
    return True


def ask_counselor_link(opening_id: int, language: str) -> str | None:
    """sms: to the center's number with "상담 J1234" filled in (the words the reply chain reads)."""
    number = reply_number(current_app.config)
    if not number:
        return None
    words = translate("outreach.opening.ask_words", "ko", code=openings.short_code(opening_id))
    return f"sms:{dial_link(number)}?body={quote(words)}"


@bp.get("/o/<id:opening_id>")
def opening(opening_id: int) -> Response:
    db = get_db()
    row = openings.get(db, opening_id)
    if row is None:
        abort(404)
    today = app_today()
    if request.args.get("qr") == "1":
        with transaction(db):
            scans.count(db, opening_id, today)
    deadline = parse_day(row["deadline"])
    is_open = row["status"] == "open" and (deadline is None or deadline >= today)
    language = current_language()
    similar = [] if is_open else _similar(row, today)
    contact = row["contact_phone"] or ""
    page = render_template(
        "public/opening.html", o=row, is_open=is_open, similar=similar, code=openings.short_code(opening_id),
        days_left=(deadline - today).days if deadline else None,
        work_hours=schedule(row["work_hours"], language), work_days=schedule(row["work_days"], language),
        call=f"tel:{dial_link(contact)}" if contact else None,
        text=f"sms:{dial_link(contact)}" if contact and textable(contact) else None,
        ask=ask_counselor_link(opening_id, language), center_phone=current_app.config["CENTER_PHONE"],
        languages=language_links())
    return current_app.make_response(page)


def _similar(row, today) -> list:
    """A few open openings of the same kind, those in the same city or county first."""
    wanted = openings.Filters(occupation=row["occupation"])
    _total, found = openings.find_open(get_db(), wanted, today, limit=SIMILAR, home_region=row["region"])
    return found
