"""What an error page says: one catalog key per kind of error, for every blueprint."""

from __future__ import annotations

from werkzeug.exceptions import HTTPException, MethodNotAllowed


def error_key(error: HTTPException) -> str:
    """The catalog key of the message an error page shows."""
    return {400: "error.csrf" if error.description == "csrf" else "error.bad_request",
            404: "error.not_found", 405: "error.method_not_allowed",
            413: "error.too_large", 429: "error.too_many"}.get(error.code or 500) or "error.server"


def allow_header(error: HTTPException) -> dict[str, str]:
    """A 405 names the methods the address does take."""
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        return {"Allow": ", ".join(error.valid_methods)}
    return {}
