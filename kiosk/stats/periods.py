"""A period asked for by its ends (either may be missing), and the figures in a file format."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from kiosk.stats import export, report
from kiosk.stats.scope import Period

DEFAULT_DAYS = 365


def period(start: date | None, end: date | None, today: date) -> Period:
    """The days asked for; without an end, up to today; without a start, a year up to the end."""
    last = end or today
    first = start or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise ValueError("start after end")
    return Period(first, last)


def render(figures: dict[str, Any], form: str, language: str) -> str | bytes:
    """text, json, csv (text) or xlsx (bytes)."""
    if form == "json":
        return json.dumps(figures, ensure_ascii=False, indent=2) + "\n"
    if form == "csv":
        return export.to_csv(figures, language)
    if form == "xlsx":
        return export.to_xlsx(figures, language)
    return "\n".join(report.lines(figures, language)) + "\n"
