"""Finding openings at the kiosk: the list with filters and search, and an opening's detail.

One URL answers the full page and, for htmx, a fragment: the whole browse area (a filter or
a search) or only the next results ("more", HX-Target: results). Filters are plain links.
"""

from __future__ import annotations

from datetime import date

from flask import abort, current_app, g, render_template, request, url_for
from werkzeug.wrappers import Response

from kiosk import openings, usage
from kiosk.db import get_db
from kiosk.extensions import htmx
from kiosk.formatting import local
from kiosk.regions import EMPLOYMENT_TYPES, GYEONGGI, OCCUPATIONS, SEOUL
from kiosk.web import bp

PER_PAGE = 20
MAX_PAGE = 500


def today() -> date:
    """The date at the kiosk's center, by the app's clock."""
    return local(current_app.extensions["clock"].now(), current_app.config["TIMEZONE"]).date()


def _page_number() -> int:
    raw = request.args.get("page", "1")
    return min(int(raw), MAX_PAGE) if raw.isdigit() and int(raw) >= 1 else 1


def _record(kind: str, detail: dict) -> None:
    usage.record(get_db(), g.kiosk["code"], kind, detail, current_app.extensions["clock"].now())


def _record_list_view(f: openings.Filters, page: int, total: int) -> None:
    chosen = {k: v for k, v in openings.as_args(f).items() if k != "q"}
    if page > 1:
        _record("screen", {"screen": "openings", "page": page})
    elif f.q:
        _record("search", {"q": f.q, "results": total, **chosen})
    elif chosen:
        _record("filter", {**chosen, "results": total})
    else:
        _record("screen", {"screen": "openings"})


def _with_vary(body: str) -> Response:
    response = current_app.make_response(body)
    response.vary.add("HX-Request")
    return response


@bp.get("/openings")
def browse() -> Response:
    """The openings list: the kiosk's region first, filters, sort, search, and more results."""
    f, _ignored = openings.filters_from_args(request.args)  # a stale or edited link still shows a list
    page = _page_number()
    total, rows = openings.find_open(get_db(), f, today(), limit=PER_PAGE,
                                     offset=(page - 1) * PER_PAGE, home_region=g.kiosk["region"])
    _record_list_view(f, page, total)
    args = openings.as_args(f)

    def browse_url(**changes: object) -> str:
        """This list with some filters changed (None removes one); back to the first page."""
        merged = {**args, **changes}
        return url_for("kiosk.browse", **{k: v for k, v in merged.items() if v not in (None, "")})

    context = {
        "filters": f, "args": args, "total": total, "rows": rows, "page": page,
        "next_page": page + 1 if page * PER_PAGE < total else None, "browse_url": browse_url,
        "shown": min(page * PER_PAGE, total),
        "occupations": OCCUPATIONS, "employment_types": EMPLOYMENT_TYPES,
        "provinces": (("gyeonggi", GYEONGGI), ("seoul", SEOUL)),
        "wage_bands": openings.WAGE_BANDS, "sorts": openings.SORTS, "kiosk": g.kiosk,
    }
    if htmx and htmx.target == "results":
        return _with_vary(render_template("kiosk/_opening_items.html", more_oob=True, **context))
    if htmx:
        return _with_vary(render_template("kiosk/_browse.html", **context))
    return _with_vary(render_template("kiosk/openings.html", **context))


@bp.get("/openings/<int:opening_id>")
def opening(opening_id: int) -> Response:
    """Everything a seeker needs to decide, with "send to my phone" and "ask a counselor"."""
    row = openings.get(get_db(), opening_id)
    if row is None:
        abort(404)
    f, _ignored = openings.filters_from_args(request.args)
    _record("screen", {"screen": "opening", "opening_id": opening_id})
    deadline = date.fromisoformat(row["deadline"]) if row["deadline"] else None
    days_left = (deadline - today()).days if deadline else None
    is_open = row["status"] == "open" and (days_left is None or days_left >= 0)
    context = {"o": row, "days_left": days_left, "is_open": is_open,
               "code": openings.short_code(opening_id), "kiosk": g.kiosk,
               "list_url": url_for("kiosk.browse", **openings.as_args(f))}
    if htmx:
        return _with_vary(render_template("kiosk/_opening_detail.html", **context))
    return _with_vary(render_template("kiosk/opening.html", **context))


@bp.app_template_filter("short_day")
def short_day_filter(value: str | None) -> str:
    """'2026-12-05' → 12월 5일(토) in the visitor's language."""
    from kiosk.formatting import short_day
    from kiosk.templating import current_language

    return short_day(date.fromisoformat(value), current_language()) if value else ""


@bp.app_template_filter("days_left")
def days_left_filter(value: str | None) -> int | None:
    """Days from today (at the center) until a 'YYYY-MM-DD' deadline; None for no deadline."""
    return (date.fromisoformat(value) - today()).days if value else None
