"""Access records (admins only): who signed in, failed to, or viewed, exported or changed a
seeker's data, filtered by period, account, action and seeker, a page at a time; also as CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, render_template, request
from werkzeug.wrappers import Response

from kiosk.console import console
from kiosk.console.access import note_access, signed_in
from kiosk.http.db import get_db
from kiosk.http.now import app_today
from kiosk.staff import access_records as records
from kiosk.staff import accounts

PER_PAGE = 50
DEFAULT_DAYS = 7
CSV_FIELDS = ("at", "email", "name", "address", "action", "what", "seeker_id", "reason")


@dataclass
class Asked:
    """The filter form as typed, what it means, and what was wrong with it."""

    form: dict[str, str]
    filters: records.Filters | None
    errors: dict[str, str]
    page: int


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _whole(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) < 10 else None


def read_filters(args) -> Asked:
    """The filters from the query string: missing days default to the last week."""
    today = app_today()
    form = {"from": args.get("from", "").strip() or (today - timedelta(days=DEFAULT_DAYS - 1)).isoformat(),
            "to": args.get("to", "").strip() or today.isoformat(),
            "account": args.get("account", "").strip(), "action": args.get("action", "").strip(),
            "seeker": args.get("seeker", "").strip()}
    errors = {}
    first, last = _day(form["from"]), _day(form["to"])
    if first is None:
        errors["from"] = "console.audit.error.day"
    if last is None:
        errors["to"] = "console.audit.error.day"
    elif first is not None and last < first:
        errors["to"] = "console.audit.error.order"
    if form["seeker"] and _whole(form["seeker"]) is None:
        errors["seeker"] = "console.audit.error.seeker"
    if form["action"] and form["action"] not in records.ACTIONS:
        errors["action"] = "console.audit.error.action"
    page = max(_whole(args.get("page", "")) or 1, 1)
    if errors:
        return Asked(form, None, errors, page)
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    start = datetime.combine(first, time(0), tzinfo=zone)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone)
    filters = records.Filters(start, end, _whole(form["account"]), form["action"] or None,
                                     _whole(form["seeker"]))
    return Asked(form, filters, errors, page)


@console.get("/access-records")
@signed_in("admin")
def access_records() -> tuple[str, int]:
    asked = read_filters(request.args)
    db = get_db()
    rows, total = [], 0
    if asked.filters is not None:
        total = records.count(db, asked.filters)
        rows = records.page(db, asked.filters, limit=PER_PAGE, offset=(asked.page - 1) * PER_PAGE)
    template = "console/_access_records.html" if request.headers.get("HX-Request") \
        else "console/access_records.html"
    page = render_template(template, asked=asked, rows=rows, total=total, per_page=PER_PAGE,
                           pages=max((total + PER_PAGE - 1) // PER_PAGE, 1), actions=records.ACTIONS,
                           people=accounts.with_ids(db))
    return page, 422 if asked.errors else 200


@console.get("/access-records.csv")
@signed_in("admin")
def access_records_csv() -> Response | tuple[str, int]:
    """The filtered records as a CSV file (every page); the export is itself recorded."""
    asked = read_filters(request.args)
    if asked.filters is None:
        return access_records()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    writer.writerows([row["at"], row["email"], row["name"] or "", row["address"], row["action"], row["what"],
                      row["seeker_id"] or "", row["reason"] or ""]
                     for row in records.every(get_db(), asked.filters))
    note_access("export", f"access records {asked.form['from']}..{asked.form['to']}")
    name = f"access-records-{asked.form['from']}-{asked.form['to']}.csv"
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
