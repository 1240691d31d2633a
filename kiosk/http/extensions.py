"""Flask extensions, bound to the app in create_app: htmx created once, a rate limiter for each app."""

import time

from flask import Flask, current_app, request
from flask_htmx import HTMX
from flask_limiter import Limiter as FlaskLimiter
from flask_limiter.util import get_remote_address
from limits.storage import MemoryStorage

htmx = HTMX()

class SweptMemoryStorage(MemoryStorage):
    """memory:// as `limits` keeps it, with its expired counts swept at most once a second by
    the request that hits a count. `limits` starts a timer thread 10 ms ahead of nearly every hit
    to sweep them, which cost a kiosk search more than finding its openings. A count past its
    window is never used either way: reading one checks its expiry first."""

    STORAGE_SCHEME = ["jobstop-memory"]  # noqa: RUF012 - the name limits registers it under
    SWEEP_SECONDS = 1.0

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: str) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._next_sweep = 0.0

    def _MemoryStorage__schedule_expiry(self) -> None:  # noqa: N802 - replaces the parent's private hook
        now = time.monotonic()
        if now >= self._next_sweep:
            self._next_sweep = now + self.SWEEP_SECONDS
            self._MemoryStorage__expire_events()


class Limiter(FlaskLimiter):
    """Flask-Limiter, with routes whose limit is counted apart (kiosk/http/route_limit.py) left
    out of its check before every request, which would find nothing to count for them."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.counted_apart: set[str] = set()

    def _check_request_limit(self, callable_name: str | None = None, in_middleware: bool = True) -> None:
        if in_middleware and request.endpoint in self.counted_apart:
            return
        super()._check_request_limit(callable_name, in_middleware)


# Requests per client address (remote_addr, as ProxyFix leaves it behind a configured proxy).
# Counts live in RATELIMIT_STORAGE_URI: memory:// counts per process, so N workers let N times
# the limit through; a shared store (redis://...) counts once for every worker and machine.
def rate_limiter(app: Flask) -> Limiter:
    """A Limiter of this app's own. Flask-Limiter keeps its switch (RATELIMIT_ENABLED), its store
    and its counts on the instance, so one shared by several apps in a process (the tests make
    many) would count for, and be switched off by, whichever app was made last."""
    in_process = app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    limiter = Limiter(key_func=get_remote_address, headers_enabled=True, default_limits=[],
                      storage_uri="jobstop-memory://" if in_process else None)
    limiter.init_app(app)
    app.extensions["rate_limiter"] = limiter  # limits hold it weakly; switched off, nothing else would
    return limiter


def api_rate() -> str:
    """The public JSON API's limit, e.g. "60 per minute" (RATE_LIMIT_API)."""
    return current_app.config["RATE_LIMIT_API"]


def search_rate() -> str:
    """The kiosk list and search's limit (RATE_LIMIT_SEARCH): far above what a person taps."""
    return current_app.config["RATE_LIMIT_SEARCH"]
