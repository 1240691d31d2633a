"""Finding openings at the kiosk: the list with filters and search, and an opening's detail.

One URL answers the full page and, for htmx, a fragment: the whole browse area (a filter),
its results (a search) or only the next results ("more", HX-Target: results). The page
includes the browse area (kiosk/_browse.html). Filters are plain links (filters.py).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, NamedTuple
from urllib.parse import urlencode

from flask import abort, current_app, g, render_template, request
from markupsafe import Markup
from werkzeug.wrappers import Response

from kiosk.core.formatting import parse_day, schedule, whole_number
from kiosk.core.i18n import translate
from kiosk.core.regions import GYEONGGI, SEOUL
from kiosk.http import usage
from kiosk.http.db import get_db
from kiosk.http.extensions import htmx
from kiosk.http.now import app_today
from kiosk.http.templating import current_language
from kiosk.openings import store as openings
from kiosk.outreach import qr
from kiosk.web import caches, filters, shell, trail
from kiosk.web import cards as opening_cards
from kiosk.web.blueprint import bp
from kiosk.web.home import kiosk_chrome

PER_PAGE = 20
MAX_PAGE = 500
SPAN = 10  # a list screen shows at most this many pages at once (back from a detail: 1..N)


def _page_number() -> int:
    page = whole_number(request.args.get("page", "1")) or 1
    return min(page, MAX_PAGE)


def _record(kind: str, detail: dict) -> None:
    usage.note(g.kiosk["code"], kind, detail, current_app.extensions["clock"].now())


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


def _list_context(f: openings.Filters, steps: trail.Trail) -> dict[str, Any]:
    """Filters, names and cheap builders for the many links of a list screen (url_for is slow).

    Links to other lists carry this list in their trail (so "back" returns here); the detail
    and region screens carry this list's own trail (so they return to this list as it is).
    """
    args = openings.as_args(f)
    base = kiosk_chrome()["browse"]
    here = urlencode(args)
    ahead = trail.onward(here, steps)
    # Each trail as query text once, not again for every card and filter link.
    kept, onward = trail.query(trail=steps), trail.query(trail=ahead)

    def browse_url(**changes: object) -> str:
        """Another list: some filters changed (None removes one), from its first page."""
        merged = {k: v for k, v in {**args, **changes}.items() if v not in (None, "")}
        return trail.url(base, trail.query(urlencode(merged), onward))

    def more_url(page: int) -> str:
        """This same list with more pages loaded (its trail unchanged)."""
        return f"{base}?{trail.query(here, f'page={page}', kept)}"

    def detail_url(opening_id: int, page: int = 1) -> str:
        """/openings/<id> keeps the list's filters, page and trail, so "back" returns here."""
        return trail.url(f"{base}/{opening_id}",
                         trail.query(here, f"page={page}" if page > 1 else "", kept))

    return {
        "filters": f, "args": args, "base": base, "browse_url": browse_url, "kiosk": g.kiosk,
        "names": filters.names(current_language()), "detail_url": detail_url, "more_url": more_url,
        "this_list": trail.query(here, kept), "ahead": ahead,
    }


def _with_vary(body: str) -> Response:
    response = current_app.make_response(body)
    response.vary.add("HX-Request")
    return response


class ListPart(NamedTuple):
    """A part of a list screen as kept: how many openings match, and its HTML."""

    total: int
    html: Markup  # what htmx asked for, or the results (kiosk/_results.html) of a full page
    head: Markup | None = None  # a full page's search box and filters (kiosk/_filters.html)


@bp.get("/openings")  # limited per client address (kiosk/app.py)
def browse() -> Response:
    """The openings list: the kiosk's region first, filters, sort, search, and more results."""
    # A plain dict: a MultiDict raises (and catches) an exception for every absent filter.
    f, _ignored = openings.filters_from_args(request.args.to_dict())  # a stale link still shows a list
    steps = trail.from_args(request.args) if "back" in request.args else ()
    page = _page_number()
    if not htmx:
        part = "page"
    elif htmx.target == "results":  # "more results": the next cards, appended
        part = "items"
    elif htmx.target == "results-area":  # a search from the search box
        part = "results"
    else:  # a filter: the whole browse area, panel included
        part = "browse"
    # A part is the same for every visitor of a kiosk on one day in one language, until the
    # database changes: kept per app.
    key = (part, f, page, steps, current_language(), request.script_root, g.kiosk["code"],
           g.kiosk["region"], app_today())  # the job bus's kiosk takes its stop's region
    kept = caches.current().list_parts.get(get_db(), key, lambda: _render_part(part, f, page, steps))
    _record_list_view(f, page, kept.total)
    if htmx:
        return _with_vary(kept.html)
    return _with_vary(shell.page("kiosk/openings.html", browse_head=kept.head, results=kept.html,
                                 back_url=_back_url(steps)))


def _back_url(steps: trail.Trail) -> str:
    chrome = kiosk_chrome()  # kept per kiosk and language; url_for is slow
    return trail.back_url(chrome["browse"], steps, chrome["home"])


def _render_part(part: str, f: openings.Filters, page: int, steps: trail.Trail) -> ListPart:
    """How many openings match, and the HTML of one part of the list screen.

    "More" is one page; a list screen shows every page up to the one asked for (a few at
    most), so "back" from a detail finds the card where it was. After a search or a filter,
    htmx also replaces the bar's "back" (out of band): it goes to the list before this one.
    """
    first = page if part == "items" else max(1, page - SPAN + 1)
    total, rows = openings.find_open(get_db(), f, app_today(), limit=(page - first + 1) * PER_PAGE,
                                     offset=(first - 1) * PER_PAGE, home_region=g.kiosk["region"])
    context = _list_context(f, steps)
    context.update(total=total, cards=opening_cards.render(rows, context, first, PER_PAGE),
                   page=page, shown=min(page * PER_PAGE, total),
                   next_page=page + 1 if page * PER_PAGE < total else None)
    if part == "items":
        return ListPart(total, _rendered("kiosk/_opening_items.html", more_oob=True, **context))
    context["active"] = filters.kept_for(filters.active, f, context)
    if total == 0:
        context.update(without_spaces=_without_spaces(f, context),
                       cleared=context["active"] and filters.cleared(context["browse_url"]))
    if part == "results":
        return ListPart(total, _rendered("kiosk/_results.html", search_oob=True,
                                         back_url=_back_url(steps), **context))
    results = _rendered("kiosk/_results.html", **context)
    head = filters.kept_for(filters.browse_head, f, context)
    if part == "browse":
        return ListPart(total, _rendered("kiosk/_browse.html", browse_head=head, results=results,
                                         back_oob=True, back_url=_back_url(steps)))
    return ListPart(total, results, head)  # the page puts them in kiosk/_browse.html itself


def _rendered(template: str, **context: Any) -> Markup:
    """A template's HTML, to be kept and put as it is into a response or another template."""
    return Markup(render_template(template, **context))


def _without_spaces(f: openings.Filters, context: dict[str, Any]) -> filters.Choice | None:
    """For a term with spaces that found nothing (요양 보호사): the same term written together,
    as a link, when that finds something. Search itself stays an exact substring match."""
    if " " not in f.q:
        return None
    joined = f.q.replace(" ", "")
    count = openings.count_open(get_db(), replace(f, q=joined), app_today())
    if not count:
        return None
    url = context["browse_url"](q=joined)
    label = translate("kiosk.browse.no_spaces", current_language(), q=joined, count=f"{count:,}")
    return label, url, url, False, False


def _provinces(lang: str) -> tuple[tuple[str, list[str]], ...]:
    """Each province's cities, counties and districts in the reader's order (가나다, A–Z)."""
    kept = caches.current().provinces
    if lang not in kept:
        n = filters.names(lang)["region"]
        kept[lang] = tuple((province, sorted(codes, key=lambda c: n[c].casefold()))
                           for province, codes in (("gyeonggi", GYEONGGI), ("seoul", SEOUL)))
    return kept[lang]


@bp.get("/openings/regions")
def choose_region() -> Response:
    """Every city, county and district as a big button; the choice goes back to the list."""
    f, _ignored = openings.filters_from_args(request.args)
    _record("screen", {"screen": "regions"})
    context = _list_context(f, trail.from_args(request.args))
    return _with_vary(render_template("kiosk/regions.html", list_url=list_url(),
                                      provinces=_provinces(current_language()), **context))


@bp.get("/openings/<id:opening_id>")
def opening(opening_id: int) -> Response:
    """Everything a seeker needs to decide, with "send to my phone" and "ask a counselor"."""
    row = openings.get(get_db(), opening_id)
    if row is None:
        abort(404)
    _record("screen", {"screen": "opening", "opening_id": opening_id})
    deadline = parse_day(row["deadline"])
    days_left = (deadline - app_today()).days if deadline else None
    is_open = row["status"] == "open" and (days_left is None or days_left >= 0)
    lang = current_language()
    context = {"o": row, "days_left": days_left, "is_open": is_open,
               "code": openings.short_code(opening_id), "kiosk": g.kiosk,
               "work_hours": schedule(row["work_hours"], lang),
               "work_days": schedule(row["work_days"], lang),
               "list_url": f"{list_url()}#opening-{opening_id}",
               "qr": qr.drawing(qr.opening_url(current_app.config["PUBLIC_URL"], opening_id))}
    if htmx:
        return _with_vary(render_template("kiosk/_opening_detail.html", **context))
    return _with_vary(render_template("kiosk/opening.html", **context))


def list_url() -> str:
    """The list this request came from, as it was: its filters, pages loaded and trail."""
    f, _ignored = openings.filters_from_args(request.args)
    page = _page_number()
    return trail.url(kiosk_chrome()["browse"],
                     trail.query(urlencode(openings.as_args(f)), f"page={page}" if page > 1 else "",
                                 trail=trail.from_args(request.args)))
