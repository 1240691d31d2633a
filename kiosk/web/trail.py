"""Where "back" goes on the openings screens: the earlier lists of this visit, in the URL.

A list's links carry `back` values, the query strings of the lists before it (newest first),
so "back" returns to the previous filters with or without JavaScript, and nothing is written
to the session on every screen. Only a few are kept; older ones drop off.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from werkzeug.datastructures import MultiDict

from kiosk.openings import store as openings
from kiosk.web import caches

DEPTH = 4
_LONGEST = 300  # a back value longer than any list's query string is not one

Trail = tuple[str, ...]


def from_args(args: MultiDict[str, str]) -> Trail:
    """The trail a request carries, each entry rebuilt from valid filters only."""
    return tuple(_rebuilt(raw) for raw in args.getlist("back")[:DEPTH] if len(raw) <= _LONGEST)


def _rebuilt(raw: str) -> str:
    """One back value as the query string of its valid filters (kept: most lists carry a few)."""
    return caches.current().back_values.get_or_set(raw, lambda: _valid_filters(raw))


def _valid_filters(raw: str) -> str:
    f, _ignored = openings.filters_from_args(dict(parse_qsl(raw)))
    return urlencode(openings.as_args(f))


def onward(here: str, trail: Trail) -> Trail:
    """The trail of a list reached from the list `here` (a query string) with this trail."""
    if trail and trail[0] == here:  # the same list again (more results): no new step
        return trail
    return (here, *trail)[:DEPTH]


def query(*parts: str, trail: Trail = ()) -> str:
    """Query string parts joined, with the trail's back values after them."""
    carried = urlencode([("back", entry) for entry in trail])
    return "&".join(part for part in (*parts, carried) if part)


def url(base: str, query_string: str) -> str:
    """base, with ?query_string when there is one."""
    return f"{base}?{query_string}" if query_string else base


def back_url(base: str, trail: Trail, home: str) -> str:
    """The list before this one (with its own trail), or home when this is the first."""
    if not trail:
        return home
    return caches.current().back_urls.get_or_set(
        (base, trail), lambda: url(base, query(trail[0], trail=trail[1:])))
