"""Which methods an address takes: a method it does not take is a 405 with Allow, before CSRF.

Routing alone gets two things wrong. A blueprint's catch-all (the kiosk's "no such screen",
the API's JSON "not found") swallows a GET on a POST-only address, and an unknown method
(TRACE, PROPFIND, ...) on a real address would otherwise meet the CSRF check first and be
told its screen was stale. So the methods an address takes are read from the rules without
the catch-alls, and this check runs before the CSRF check.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import Flask, current_app, request
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map

CATCH_ALLS = "catch_all_endpoints"
REAL_MAP = "routes_without_catch_alls"


def init_app(app: Flask, catch_alls: Iterable[str]) -> None:
    """Call before csrf.init_app; catch_alls name the endpoints that stand for "not found"."""
    app.extensions[CATCH_ALLS] = frozenset(catch_alls)
    app.before_request(check)


def _real_map() -> Map:
    app = current_app
    if REAL_MAP not in app.extensions:
        routes = [rule.empty() for rule in app.url_map.iter_rules()
                  if rule.endpoint not in app.extensions[CATCH_ALLS]]
        app.extensions[REAL_MAP] = Map(routes, converters=dict(app.url_map.converters),
                                       strict_slashes=app.url_map.strict_slashes,
                                       merge_slashes=app.url_map.merge_slashes)
    return app.extensions[REAL_MAP]


def allowed_methods(path: str) -> list[str]:
    """The methods some real view takes at path (none: nothing lives there)."""
    return sorted(_real_map().bind("localhost").allowed_methods(path))


def route_taking(path: str) -> tuple[str, dict[str, Any]] | None:
    """The endpoint and values a method the address takes reaches (a real view's, else a
    catch-all's): whose address a refused request named, so its blueprint answers."""
    for routes in (_real_map(), current_app.url_map):
        adapter = routes.bind("localhost")
        methods = sorted(adapter.allowed_methods(path))
        if methods:
            rule, values = adapter.match(path, methods[0], return_rule=True)
            return rule.endpoint, values
    return None


def check() -> None:
    """405 with the methods the address takes, or 404 when no real view lives there."""
    failed = request.routing_exception
    if failed is None and request.endpoint not in current_app.extensions[CATCH_ALLS]:
        return
    if failed is not None and not isinstance(failed, MethodNotAllowed | NotFound):
        raise failed  # a redirect to the address with its trailing slash
    allowed = allowed_methods(request.path)
    if allowed and request.method not in allowed:
        raise MethodNotAllowed(allowed)
    if failed is not None:
        raise NotFound()
