"""성과 통계, the outcome dashboard (/console/stats): the headline numbers with their change,
registrations and hires per week, hires by occupation, age band, place and city, satisfaction
per month — each a chart with the same numbers in a table beside it — for a period and center,
and the same figures as CSV and XLSX (kiosk/stats/, docs/stats.md).

Who sees what: an admin every center and all together; center staff and counselors their own
center only (aggregate figures, no one's personal data, so nothing is recorded as an access).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import abort, current_app, render_template, request
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from kiosk.console import console
from kiosk.console.access import current_staff, signed_in
from kiosk.console.stats_view import charts_and_tables
from kiosk.http.db import get_db
from kiosk.http.now import app_today
from kiosk.http.security_headers import csp_nonce
from kiosk.http.templating import current_language, t
from kiosk.places import centers
from kiosk.stats import export
from kiosk.stats import figures as stats
from kiosk.stats.periods import DEFAULT_DAYS, period
from kiosk.stats.scope import Period, Scope

LONGEST = 3 * 366  # days one request may ask for


@dataclass
class Asked:
    """The pickers as typed, the period and center they mean, and what was wrong with them."""

    form: dict[str, str]
    period: Period | None
    center_id: int | None
    errors: dict[str, str]


def _center_choice(text: str) -> int | None:
    """The center picked: its id for an admin ('' is every center), always the own one for others."""
    staff = current_staff()
    if staff.role != "admin":
        if text and text != str(staff.center_id):
            abort(403)
        return staff.center_id
    if not text:
        return None
    if not text.isdigit() or len(text) > 9 or centers.get(get_db(), int(text)) is None:
        abort(404)
    return int(text)


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def read_pickers(args: MultiDict[str, str]) -> Asked:
    today = app_today()
    form = {"from": args.get("from", "").strip(), "to": args.get("to", "").strip(),
            "center": args.get("center", "").strip()}
    center_id = _center_choice(form["center"])
    first, last, errors = _day(form["from"]), _day(form["to"]), {}
    if form["from"] and first is None:
        errors["from"] = "reporting.error.day"
    if form["to"] and last is None:
        errors["to"] = "reporting.error.day"
    if not errors:
        try:
            asked = period(first, last, today)
        except ValueError:
            errors["to"] = "reporting.error.order"
        else:
            if asked.days > LONGEST:
                errors["from"] = "reporting.error.too_long"
            form["from"], form["to"] = asked.start.isoformat(), asked.end.isoformat()
    return Asked(form, None if errors else asked, center_id, errors)


def _figures(asked: Asked) -> dict[str, Any]:
    return stats.summary(get_db(), asked.period, Scope(center_id=asked.center_id),
                         current_app.config["TIMEZONE"], app_today())


@console.get("/stats")
@signed_in()
def stats_page() -> tuple[str, int]:
    asked = read_pickers(request.args)
    figures = _figures(asked) if asked.period else None
    staff = current_staff()
    shown = charts_and_tables(figures, csp_nonce()) if figures else None
    choices = centers.every(get_db()) if staff.role == "admin" else [centers.get(get_db(), staff.center_id)]
    named = {center["id"]: center["name"] for center in choices}
    template = "console/_stats.html" if request.headers.get("HX-Request") else "console/stats.html"
    page = render_template(template, asked=asked, figures=figures, shown=shown, centers=choices,
                           every_center=staff.role == "admin", default_days=DEFAULT_DAYS,
                           center_name=named.get(asked.center_id) or t("reporting.every_center"))
    return page, 422 if asked.errors else 200


def _download(form: str, mimetype: str) -> Response | tuple[str, int]:
    asked = read_pickers(request.args)
    if asked.period is None:
        return stats_page()
    language = "en" if current_language() == "en" else "ko"
    figures = _figures(asked)
    body = export.to_xlsx(figures, language) if form == "xlsx" else export.to_csv(figures, language)
    where = f"-center{asked.center_id}" if asked.center_id else ""
    name = f"jobstop-figures-{asked.form['from']}-{asked.form['to']}{where}.{form}"
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@console.get("/stats.csv")
@signed_in()
def stats_csv() -> Response | tuple[str, int]:
    return _download("csv", "text/csv")


@console.get("/stats.xlsx")
@signed_in()
def stats_xlsx() -> Response | tuple[str, int]:
    return _download("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
