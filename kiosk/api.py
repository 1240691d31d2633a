"""Read-only JSON API for partner sites and signage: /api/v1/openings.

GET /api/v1/openings?q=&region=&occupation=&employment_type=&min_wage=&sort=&page=&per_page=
answers {"total": N, "page": p, "per_page": n, "items": [...]} (open openings, newest first);
GET /api/v1/openings/<id> answers one opening with its full text. Bad parameters get 400 and
{"error": {"code": "bad_parameter", "parameters": [...], "message": ...}}; errors are JSON.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request, url_for
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.wrappers import Response

from kiosk import openings
from kiosk.clock import app_today
from kiosk.db import get_db
from kiosk.i18n import translate

bp = Blueprint("api", __name__, url_prefix="/api/v1")

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20
MAX_PAGE = 10_000


class BadParameters(HTTPException):
    code = 400

    def __init__(self, names: list[str]) -> None:
        super().__init__(description=f"Invalid parameter(s): {', '.join(names)}")
        self.names = names


def _positive_int(name: str, default: int, most: int) -> int | None:
    raw = request.args.get(name, "")
    if raw == "":
        return default
    return int(raw) if raw.isdigit() and 1 <= int(raw) <= most else None


def _item(row: Any) -> dict[str, Any]:
    return {
        "id": row["id"], "code": openings.short_code(row["id"]),
        "title": row["title"], "employer": row["employer"],
        "region": {"code": row["region"], "name": translate(f"region.{row['region']}")},
        "occupation": {"code": row["occupation"],
                       "name": translate(f"occupation.{row['occupation']}")},
        "employment_type": row["employment_type"],
        "wage": {"kind": row["wage_kind"], "amount": row["wage_amount"],
                 "hourly_equivalent": row["hourly_wage"], "currency": "KRW"},
        "work_hours": row["work_hours"], "work_days": row["work_days"],
        "posted_on": row["posted_on"], "deadline": row["deadline"],
        "url": url_for("api.opening", opening_id=row["id"], _external=True),
    }


@bp.get("/openings")
def list_openings() -> Response:
    """Open openings matching the filters, one page at a time."""
    f, bad = openings.filters_from_args(request.args)
    page = _positive_int("page", 1, MAX_PAGE)
    per_page = _positive_int("per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
    bad += [name for name, value in (("page", page), ("per_page", per_page)) if value is None]
    if bad:
        raise BadParameters(bad)
    total, rows = openings.find_open(get_db(), f, app_today(), limit=per_page,
                                     offset=(page - 1) * per_page)
    return jsonify(total=total, page=page, per_page=per_page, items=[_item(r) for r in rows])


@bp.get("/openings/<int:opening_id>")
def opening(opening_id: int) -> Response:
    """One opening, open or closed, with everything the list leaves out."""
    row = openings.get(get_db(), opening_id)
    if row is None:
        raise NotFound(f"No opening {opening_id}")
    return jsonify({**_item(row), "address": row["address"], "description": row["description"],
                    "how_to_apply": row["how_to_apply"], "contact_phone": row["contact_phone"],
                    "status": row["status"], "updated_at": row["updated_at"]})


@bp.route("/", defaults={"_anything": ""}, methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
@bp.route("/<path:_anything>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def unknown(_anything: str) -> Response:
    """Anything else under /api/v1 answers in JSON too: the API is read-only."""
    if request.method != "GET":
        raise MethodNotAllowed(["GET", "HEAD"], description="The API is read-only")
    raise NotFound("No such API endpoint")


@bp.errorhandler(HTTPException)
def json_error(error: HTTPException) -> tuple[Response, int]:
    """Every API error in JSON, never the kiosk's HTML error page."""
    body: dict[str, Any] = {"code": (error.name or "error").lower().replace(" ", "_"),
                            "message": error.description}
    if isinstance(error, BadParameters):
        body.update(code="bad_parameter", parameters=error.names)
    response = jsonify(error=body)
    response.headers["Cache-Control"] = "no-store"
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response, error.code or 500
