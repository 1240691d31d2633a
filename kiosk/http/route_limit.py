"""One route's rate limit counted straight in the app's Flask-Limiter store.

The kiosk list and search is the busiest route there is, and Flask-Limiter's own bookkeeping
around a decorated view (resolving the route's limits and exemptions twice a request, a
context for its headers) cost more than the count itself. Here the same count is kept with
less: every request of the route is counted (a hit in the limiter's store, under the same
key Flask-Limiter used: client address and endpoint), a request over the limit is refused with
429, and the answer carries the same X-RateLimit-* and Retry-After headers. RATELIMIT_ENABLED
switches it off with the rest; the store (memory:// or a shared one) and the strategy are the
limiter's.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import lru_cache, wraps
from typing import Any

from flask import Flask, request
from flask_limiter import ExemptionScope
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse
from werkzeug.exceptions import TooManyRequests
from werkzeug.wrappers import Response

from kiosk.http.extensions import Limiter

# Settings whose limits Flask-Limiter also applies to a route with a limit of its own (the
# application's limits and meta limits; its default limits are for routes without one).
_LIMITS_FOR_EVERY_ROUTE = ("RATELIMIT_APPLICATION", "RATELIMIT_META")
_KEPT = "jobstop.route_limit"


@lru_cache(maxsize=64)
def _item(rate: str) -> RateLimitItem:
    return parse(rate)


def limit_route(app: Flask, limiter: Limiter, endpoint: str, rate: Callable[[], str]) -> None:
    """Limits app's view `endpoint` to rate() (e.g. "300 per minute") per client address."""
    view = app.view_functions[endpoint]
    prefix = [app.config["RATELIMIT_KEY_PREFIX"]] if app.config.get("RATELIMIT_KEY_PREFIX") else []

    @wraps(view)
    def limited(*args: Any, **kwargs: Any) -> Any:
        if limiter.enabled:
            item, keys = _item(rate()), [*prefix, get_remote_address(), endpoint]
            request.environ[_KEPT] = item, keys  # this request's own, for its headers
            if not limiter.limiter.hit(item, *keys):
                raise TooManyRequests()
        return view(*args, **kwargs)

    def headers(response: Response) -> Response:
        kept = request.environ.get(_KEPT)
        if kept is None:
            return response
        item, keys = kept
        reset_at, remaining = limiter.limiter.get_window_stats(item, *keys)
        reset_at = int(reset_at + 1)
        response.headers["X-RateLimit-Limit"] = str(item.amount)
        response.headers["X-RateLimit-Remaining"] = str(remaining)
        response.headers["X-RateLimit-Reset"] = str(reset_at)
        response.headers["Retry-After"] = str(int(reset_at - time.time()))
        return response

    app.view_functions[endpoint] = limited
    app.after_request(headers)
    if any(app.config.get(name) for name in _LIMITS_FOR_EVERY_ROUTE):
        limiter.exempt(limited, flags=ExemptionScope.DEFAULT)  # as a route limited by Flask-Limiter is
    else:  # Flask-Limiter has nothing to count for this route: its own check of it is skipped
        limiter.counted_apart.add(endpoint)
