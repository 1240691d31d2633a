"""Flask extensions, created once and bound to the app in create_app."""

from flask import current_app
from flask_htmx import HTMX
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

htmx = HTMX()

# Requests per client address (remote_addr, as ProxyFix leaves it behind a configured proxy).
# Counts live in RATELIMIT_STORAGE_URI: memory:// counts per process, so N workers let N times
# the limit through; a shared store (redis://...) counts once for every worker and machine.
limiter = Limiter(key_func=get_remote_address, headers_enabled=True, default_limits=[])


def api_rate() -> str:
    """The public JSON API's limit, e.g. "60 per minute" (RATE_LIMIT_API)."""
    return current_app.config["RATE_LIMIT_API"]


def search_rate() -> str:
    """The kiosk list and search's limit (RATE_LIMIT_SEARCH): far above what a person taps."""
    return current_app.config["RATE_LIMIT_SEARCH"]
