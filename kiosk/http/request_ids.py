"""Every web request's id: the one a proxy sent in X-Request-Id, or a new one; sent back and logged.

With JOBSTOP_LOG_FORMAT=json the app also logs each request itself (method, path without its
query, status, milliseconds), since gunicorn's own access line cannot carry the id as a field.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from flask import Flask, current_app, g, has_request_context, request
from werkzeug.wrappers import Response

HEADER = "X-Request-Id"
USABLE = re.compile(r"[A-Za-z0-9._:-]{1,128}")  # anything else (or nothing) gets a new id
access = logging.getLogger("jobstop.access")


def init_app(app: Flask) -> None:
    app.before_request(_assign)
    app.after_request(_send_back)


def _assign() -> None:
    given = request.headers.get(HEADER, "")
    g.request_id = given if USABLE.fullmatch(given) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _send_back(response: Response) -> Response:
    request_id = g.get("request_id")
    if request_id is None:  # a request that failed before _assign ran
        return response
    response.headers[HEADER] = request_id
    if current_app.config["LOG_FORMAT"] == "json":
        ms = round((time.perf_counter() - g.request_started) * 1000, 1)
        access.info("%s %s %s", request.method, request.path, response.status_code,
                    extra={"method": request.method, "path": request.path, "status": response.status_code, "ms": ms})
    return response


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record logged while a request is handled."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context() and "request_id" in g:
            record.request_id = g.request_id
        return True
