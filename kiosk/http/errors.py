"""What an error page says: one catalog key per kind of error, for every blueprint."""

from __future__ import annotations

from werkzeug.exceptions import HTTPException


def error_key(error: HTTPException) -> str:
    """The catalog key of the message an error page shows."""
    return {400: "error.csrf" if error.description == "csrf" else None,
            404: "error.not_found", 429: "error.too_many"}.get(error.code or 500) or "error.server"
