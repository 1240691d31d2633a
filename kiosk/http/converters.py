"""URL converters: what a path segment may be before a view sees it."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

LARGEST_ROW_ID = 2**63 - 1  # the database's integer keys are signed 64-bit
NO_ROW = 0  # ids start at 1


class RowId(IntegerConverter):
    """`<id:opening_id>`: a row id. A number past what the database can hold names no row, so
    the view answers its own "not found" (the kiosk's screen, the API's JSON) instead of a 500."""

    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        return number if number <= LARGEST_ROW_ID else NO_ROW
