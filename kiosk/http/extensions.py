"""Flask extensions, bound to the app in create_app: htmx created once, a rate limiter for each app."""

from flask import Flask, current_app
from flask_htmx import HTMX
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

htmx = HTMX()

# Requests per client address (remote_addr, as ProxyFix leaves it behind a configured proxy).
# Counts live in RATELIMIT_STORAGE_URI: memory:// counts per process, so N workers let N times
# the limit through; a shared store (redis://...) counts once for every worker and machine.
def rate_limiter(app: Flask) -> Limiter:
    """A Limiter of this app's own. Flask-Limiter keeps its switch (RATELIMIT_ENABLED), its store
    and its counts on the instance, so one shared by several apps in a process (the tests make
    many) would count for, and be switched off by, whichever app was made last."""
    limiter = Limiter(key_func=get_remote_address, headers_enabled=True, default_limits=[])
    limiter.init_app(app)
    app.extensions["rate_limiter"] = limiter  # limits hold it weakly; switched off, nothing else would
    return limiter


def api_rate() -> str:
    """The public JSON API's limit, e.g. "60 per minute" (RATE_LIMIT_API)."""
    return current_app.config["RATE_LIMIT_API"]


def search_rate() -> str:
    """The kiosk list and search's limit (RATE_LIMIT_SEARCH): far above what a person taps."""
    return current_app.config["RATE_LIMIT_SEARCH"]
