"""Read-only JSON API for partner sites and signage: /api/v1/openings.

GET /api/v1/openings?q=&region=&occupation=&employment_type=&min_wage=&sort=&page=&per_page=
answers {"total": N, "page": p, "per_page": n, "items": [...]} (open openings, newest first);
GET /api/v1/openings/<id> answers one opening with its full text. Region, occupation group and
employment type come as {"code", "name"} with the Korean name. A bad value, an unknown
parameter or a repeated one gets 400 and {"error": {"code": "bad_parameter" |
"unknown_parameter" | "repeated_parameter", "parameters": [...], "message": ...}} (unknown
ones also list "allowed"); every error is JSON. JSON is UTF-8, not \\u-escaped. Any web page may
call the API from JavaScript (CORS: Access-Control-Allow-Origin: *, preflight answered 204).
GET /api/v1/openapi.json describes all of this in OpenAPI 3 (kiosk/openapi.py).
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, current_app, request, url_for
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.wrappers import Response

from kiosk.core.formatting import whole_number
from kiosk.core.i18n import translate
from kiosk.http.db import get_db
from kiosk.http.now import app_today
from kiosk.openapi import document
from kiosk.openings import search
from kiosk.openings import store as openings

bp = Blueprint("api", __name__, url_prefix="/api/v1")  # limited per client address (kiosk/app.py)

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20
MAX_PAGE = 10_000
LIST_PARAMETERS = ("q", "region", "occupation", "employment_type", "min_wage", "sort", "page",
                   "per_page")
METHODS = "GET, HEAD, OPTIONS"
_HEADER_NAMES = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]+(\s*,\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*")


class BadParameters(HTTPException):
    code = 400
    kind = "bad_parameter"
    problem = "Invalid"

    def __init__(self, names: list[str], allowed: tuple[str, ...] | None = None) -> None:
        super().__init__(description=f"{self.problem} parameter(s): {', '.join(names)}"
                         + (f"; allowed: {', '.join(allowed) or 'none'}" if allowed is not None else ""))
        self.names = names
        self.allowed = allowed


class UnknownParameters(BadParameters):
    kind = "unknown_parameter"
    problem = "Unknown"


class RepeatedParameters(BadParameters):
    kind = "repeated_parameter"
    problem = "Repeated"


def _check_names(allowed: tuple[str, ...]) -> None:
    """Refuses a misspelt or repeated parameter instead of quietly answering without it."""
    unknown = [name for name in request.args if name not in allowed]
    if unknown:
        raise UnknownParameters(unknown, allowed)
    repeated = [name for name in request.args if len(request.args.getlist(name)) > 1]
    if repeated:
        raise RepeatedParameters(repeated)


def _json(body: dict[str, Any], status: int = 200) -> Response:
    """UTF-8 JSON (Korean as itself, not \\u-escaped), for this API only."""
    text = current_app.json.dumps(body, ensure_ascii=False)
    return current_app.response_class(f"{text}\n", status=status,
                                      content_type="application/json; charset=utf-8")


def _positive_int(name: str, default: int, most: int) -> int | None:
    raw = request.args.get(name, "")
    if raw == "":
        return default
    number = whole_number(raw)
    return number if number is not None and 1 <= number <= most else None


def _named(prefix: str, code: str) -> dict[str, str]:
    return {"code": code, "name": translate(f"{prefix}.{code}")}


def _item(row: Any) -> dict[str, Any]:
    return {
        "id": row["id"], "code": openings.short_code(row["id"]),
        "title": row["title"], "employer": row["employer"],
        "region": _named("region", row["region"]),
        "occupation": _named("occupation", row["occupation"]),
        "employment_type": _named("employment", row["employment_type"]),
        "wage": {"kind": row["wage_kind"], "amount": row["wage_amount"],
                 "hourly_equivalent": row["hourly_wage"], "currency": "KRW"},
        "work_hours": row["work_hours"], "work_days": row["work_days"],
        "posted_on": row["posted_on"], "deadline": row["deadline"],
        "url": url_for("api.opening", opening_id=row["id"], _external=True),
    }


@bp.before_request
def preflight() -> Response | None:
    """A browser's CORS preflight: GET and HEAD from any origin, no credentials."""
    if request.method != "OPTIONS":
        return None
    response = current_app.response_class(status=204)
    response.headers.update({"Allow": METHODS, "Access-Control-Allow-Methods": METHODS,
                             "Access-Control-Max-Age": "7200"})
    wanted = request.headers.get("Access-Control-Request-Headers", "").strip()
    if _HEADER_NAMES.fullmatch(wanted):
        response.headers["Access-Control-Allow-Headers"] = wanted
        response.vary.add("Access-Control-Request-Headers")
    return response


@bp.after_request
def allow_any_origin(response: Response) -> Response:
    """Partner pages may read every answer (errors too) from JavaScript: the API is public."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/openings")
def list_openings() -> Response:
    """Open openings matching the filters, one page at a time."""
    _check_names(LIST_PARAMETERS)
    f, bad = openings.filters_from_args(request.args)
    page = _positive_int("page", 1, MAX_PAGE)
    per_page = _positive_int("per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
    bad += [name for name, value in (("page", page), ("per_page", per_page)) if value is None]
    if len(request.args.get("q", "")) > search.MAX_TERM and "q" not in bad:
        bad.insert(0, "q")  # as sent: the description promises what a client can check before sending
    if bad:
        raise BadParameters(bad)
    total, rows = openings.find_open(get_db(), f, app_today(), limit=per_page,
                                     offset=(page - 1) * per_page)
    return _json({"total": total, "page": page, "per_page": per_page,
                  "items": [_item(r) for r in rows]})


@bp.get("/openings/<id:opening_id>")
def opening(opening_id: int) -> Response:
    """One opening, open or closed, with everything the list leaves out."""
    _check_names(())
    row = openings.get(get_db(), opening_id)
    if row is None:
        raise NotFound(f"No opening {opening_id}")
    return _json({**_item(row), "address": row["address"], "description": row["description"],
                  "how_to_apply": row["how_to_apply"], "contact_phone": row["contact_phone"],
                  "status": row["status"], "updated_at": row["updated_at"]})


@bp.get("/openapi.json")
def description() -> Response:
    """This API's OpenAPI 3 description (kiosk/openapi.py)."""
    _check_names(())
    return _json(document(max_page=MAX_PAGE, default_per_page=DEFAULT_PER_PAGE, max_per_page=MAX_PER_PAGE))


@bp.route("/", defaults={"_anything": ""}, methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
@bp.route("/<path:_anything>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def unknown(_anything: str) -> Response:
    """Anything else under /api/v1 answers in JSON too (a method a real endpoint does not take is
    refused before this view, with its Allow: kiosk/http/methods.py)."""
    raise NotFound("No such API endpoint")


@bp.errorhandler(HTTPException)
def json_error(error: HTTPException) -> Response:
    """Every API error in JSON, never the kiosk's HTML error page."""
    body: dict[str, Any] = {"code": (error.name or "error").lower().replace(" ", "_"),
                            "message": error.description}
    if isinstance(error, BadParameters):
        body.update(code=error.kind, parameters=error.names)
        if error.allowed is not None:
            body["allowed"] = list(error.allowed)
    response = _json({"error": body}, error.code or 500)
    response.headers["Cache-Control"] = "no-store"
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response
