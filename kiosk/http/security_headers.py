"""Security headers on every response: a Content-Security-Policy, no framing, no referrer, nosniff, HSTS.

Scripts and styles come only from JobStop itself; the one inline script (the kiosk layout's)
and the development page's stylesheet carry this response's nonce, `csp_nonce()` in
templates. No inline style attributes and no `unsafe-inline`: htmx's own indicator styles are
off (base.html's htmx-config) and kiosk.css has them instead. HSTS is sent when
JOBSTOP_PUBLIC_URL is https.
"""

from __future__ import annotations

import secrets

from flask import Flask, current_app, g
from werkzeug.wrappers import Response

HSTS = "max-age=31536000"  # a year; no includeSubDomains: other services may share the domain


def init_app(app: Flask) -> None:
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.after_request(_add_headers)


def csp_nonce() -> str:
    """This response's nonce for an inline <script> or <style> (one per response)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def policy(nonce: str | None) -> str:
    """The Content-Security-Policy, allowing inline code only with the response's nonce."""
    own = f"'self' 'nonce-{nonce}'" if nonce else "'self'"
    return "; ".join([
        "default-src 'self'", f"script-src {own}", f"style-src {own}", "img-src 'self' data:",
        "connect-src 'self'", "font-src 'self'", "object-src 'none'", "base-uri 'none'",
        "form-action 'self'", "frame-ancestors 'none'",
    ])


def _add_headers(response: Response) -> Response:
    headers = response.headers
    headers["Content-Security-Policy"] = policy(g.get("csp_nonce"))
    headers["X-Frame-Options"] = "DENY"  # frame-ancestors for browsers older than CSP 2
    headers["Referrer-Policy"] = "no-referrer"
    headers["X-Content-Type-Options"] = "nosniff"
    if current_app.config["PUBLIC_URL"].startswith("https:"):
        headers["Strict-Transport-Security"] = HSTS
    return response
