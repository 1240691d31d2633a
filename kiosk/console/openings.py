"""Openings in the console: the kiosk's search and filters, paged; create, edit and close.

Openings are province-wide: they belong to no center (an employer's opening is shown at every
kiosk), so admins and center staff manage all of them. Counselors read the list only (they
point seekers to openings; they do not publish them).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from flask import abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from kiosk.console import console
from kiosk.console.access import current_staff, signed_in
from kiosk.core.db import transaction
from kiosk.core.formatting import whole_number
from kiosk.core.regions import EMPLOYMENT_TYPES, OCCUPATIONS, REGIONS, least_wage
from kiosk.http.db import get_db
from kiosk.http.extensions import htmx
from kiosk.http.now import app_now, app_today
from kiosk.openings import form as opening_form
from kiosk.openings import store as openings

PER_PAGE = 20
MAX_PAGE = 5000
READERS = ("admin", "staff", "counselor")
MANAGERS = ("admin", "staff")
CHOICES = {"occupation": OCCUPATIONS, "region": REGIONS, "employment_type": EMPLOYMENT_TYPES,
           "wage_kind": ("hourly", "monthly")}
PREFIXES = {"occupation": "occupation.", "region": "region.", "employment_type": "employment.",
            "wage_kind": "console_openings.wage_kind."}
HINTS = ("wage_amount", "contact_phone", "how_to_apply", "posted_on", "deadline")
LEAST = {kind: least_wage(kind) for kind in ("hourly", "monthly")}


def _page() -> tuple[int, bool]:
    """The page asked for and whether it was a page number at all."""
    raw = request.args.get("page", "1") or "1"
    page = whole_number(raw)
    if page is None or page < 1:
        return 1, False
    return min(page, MAX_PAGE), True


def _list_context() -> tuple[dict[str, Any], bool]:
    """The list for the query parameters, and whether any of them was refused."""
    f, bad = openings.filters_from_args(request.args.to_dict())
    page, page_ok = _page()
    if not page_ok:
        bad.append("page")
    total, rows = openings.find_open(get_db(), f, app_today(), limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    pages = max(1, -(-total // PER_PAGE))
    typed = {name: request.args.get(name, "") for name in ("q", "occupation", "region", "employment_type",
                                                            "min_wage", "sort")}
    errors = {name: "console_openings.invalid.filter" for name in bad}
    staff = current_staff()
    return {"rows": rows, "total": total, "page": page, "pages": pages, "filters": openings.as_args(f),
            "typed": typed, "errors": errors, "wage_bands": openings.WAGE_BANDS, "sorts": openings.SORTS,
            "choices": CHOICES, "may_manage": staff is not None and staff.role in MANAGERS,
            "list_url": request.full_path.rstrip("?")}, bool(bad)


@console.get("/openings", endpoint="openings")
@signed_in(*READERS)
def openings_list() -> tuple[str, int]:
    context, refused = _list_context()
    part = htmx and htmx.target == "openings-results"
    template = "console/openings/_list.html" if part else "console/openings/list.html"
    return render_template(template, **context), 422 if refused else 200


def _form_page(values: Mapping[str, str], errors: Mapping[str, tuple[str, dict[str, Any]]], *,
               opening: Any = None, token: str = "", status: int = 200) -> tuple[str, int]:
    return render_template("console/openings/form.html", values=values, errors=errors, opening=opening,
                           token=token, choices=CHOICES, prefixes=PREFIXES, fields=opening_form.FIELDS,
                           required=opening_form.REQUIRED_FIELDS, hints=HINTS, least=LEAST,
                           saved=request.args.get("saved") == "1"), status


def form_token(value: str) -> str:
    """The form's own token (letters, digits, - and _), or a new one for a form that lost it."""
    value = value.strip()
    if 8 <= len(value) <= 40 and all(c.isalnum() or c in "-_" for c in value):
        return value
    return secrets.token_urlsafe(12)


@console.route("/openings/new", methods=["GET", "POST"])
@signed_in(*MANAGERS)
def opening_new() -> Response | tuple[str, int]:
    if request.method == "GET":
        today = app_today().isoformat()
        return _form_page({**{name: "" for name in opening_form.FIELDS}, "posted_on": today},
                          {}, token=secrets.token_urlsafe(12))
    token = form_token(request.form.get("token", ""))
    values = opening_form.typed(request.form)
    row, errors = opening_form.check(values)
    if row is None:
        return _form_page(values, errors, token=token, status=422)
    db = get_db()
    with transaction(db):
        opening_id = openings.create(db, row, token, app_now())
    return redirect(url_for("console.opening_edit", opening_id=opening_id, saved=1), 303)


def _opening_or_404(opening_id: int) -> Any:
    opening = openings.get(get_db(), opening_id)
    if opening is None:
        abort(404)
    return opening


def _stored_values(opening: Any) -> dict[str, str]:
    return {name: "" if opening[name] is None else str(opening[name]) for name in opening_form.FIELDS}


@console.route("/openings/<id:opening_id>/edit", methods=["GET", "POST"])
@signed_in(*MANAGERS)
def opening_edit(opening_id: int) -> Response | tuple[str, int]:
    opening = _opening_or_404(opening_id)
    if request.method == "GET":
        return _form_page(_stored_values(opening), {}, opening=opening)
    values = opening_form.typed(request.form)
    row, errors = opening_form.check(values)
    if row is None:
        return _form_page(values, errors, opening=opening, status=422)
    db = get_db()
    with transaction(db):
        openings.update(db, opening_id, row, app_now())
    return redirect(url_for("console.opening_edit", opening_id=opening_id, saved=1), 303)


def _back_to(target: str | None, fallback: str) -> str:
    """A console list address to return to (what the form said), else the fallback."""
    if target and target.startswith("/console/openings") and not target.startswith("//"):
        return target
    return fallback


@console.post("/openings/<id:opening_id>/close")
@signed_in(*MANAGERS)
def opening_close(opening_id: int) -> Response:
    _opening_or_404(opening_id)
    db = get_db()
    with transaction(db):
        openings.close(db, opening_id, app_now())  # closing a closed one changes nothing
    return redirect(_back_to(request.form.get("next"),
                             url_for("console.opening_edit", opening_id=opening_id)), 303)
