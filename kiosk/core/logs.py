"""Log lines of the web process and the scheduler: text or JSON lines, and never a phone number.

JOBSTOP_LOG_FORMAT=json gives one JSON object a line (time, level, logger, message, and a
web request's request_id); text keeps the usual lines. Either way every phone number that
reaches a line (in a URL, an exception from the SMS provider, a message) is replaced.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime

FORMATS = ("text", "json")
TEXT = "%(asctime)s %(levelname)s %(name)s %(message)s"
# E.164 (+821012345678) and Korean numbers with or without separators (010-1234-5678,
# 01012345678, 031-228-3111), but not digits inside a longer word such as an id or a SID.
PHONE = re.compile(r"\+\d{8,15}(?!\d)|(?<![\w+])0\d{1,2}[-. ]?\d{3,4}[-. ]?\d{4}(?!\w)")
MASK = "[phone]"


def scrub(text: str) -> str:
    """The text with every phone number in it replaced."""
    return PHONE.sub(MASK, text)


class Scrubbed(logging.Formatter):
    """Another formatter's lines, scrubbed of phone numbers."""

    def __init__(self, inner: logging.Formatter | None = None) -> None:
        super().__init__()
        self.inner = inner or logging.Formatter(TEXT)

    def format(self, record: logging.LogRecord) -> str:
        return scrub(self.inner.format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object a line, scrubbed of phone numbers."""

    def format(self, record: logging.LogRecord) -> str:
        line = {"time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
                "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        line.update({key: getattr(record, key) for key in ("request_id", "method", "path", "status", "ms")
                     if getattr(record, key, None) is not None})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return scrub(json.dumps(line, ensure_ascii=False))


def checked(fmt: str) -> str:
    """The format, when it is one of FORMATS."""
    if fmt not in FORMATS:
        raise ValueError(f"JOBSTOP_LOG_FORMAT is {fmt!r}: use one of {', '.join(FORMATS)}")
    return fmt


def formatter(fmt: str, inner: logging.Formatter | None = None) -> logging.Formatter:
    """The formatter for JOBSTOP_LOG_FORMAT; text keeps `inner`'s layout (ours by default)."""
    return JsonFormatter() if checked(fmt) == "json" else Scrubbed(inner)


def configure(fmt: str, *filters: logging.Filter) -> None:
    """INFO and above from every logger to stderr in this format (replacing an earlier configure)."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "jobstop", False)]:
        root.removeHandler(old)
    handler = logging.StreamHandler()
    handler.jobstop = True  # type: ignore[attr-defined]
    handler.setFormatter(formatter(fmt))
    for each in filters:
        handler.addFilter(each)
    root.addHandler(handler)
    root.setLevel(logging.INFO)
