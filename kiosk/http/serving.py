"""gunicorn's logger for `jobstop serve`: its lines and the app's in JOBSTOP_LOG_FORMAT, scrubbed.

`jobstop serve` names this class with --logger-class and puts the format it resolved in
JOBSTOP_LOG_FORMAT; gunicorn sets it up in the master, and the workers it forks inherit it.
"""

from __future__ import annotations

import os

from gunicorn.glogging import Logger as GunicornLogger

from kiosk.core import config, logs
from kiosk.http.request_ids import RequestIdFilter


class Logger(GunicornLogger):
    """gunicorn's own lines in JobStop's format; every other logger to stderr beside them."""

    def setup(self, cfg) -> None:  # noqa: ANN001 - gunicorn's Config
        super().setup(cfg)
        fmt = config.setting(config.from_environment(os.environ), "LOG_FORMAT")
        for handler in self.error_log.handlers + self.access_log.handlers:
            handler.setFormatter(logs.formatter(fmt, handler.formatter))
        logs.configure(fmt, RequestIdFilter())
