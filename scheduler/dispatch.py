"""Job: send what is due in the outbox.

Under the scheduler the job runs on while this process holds the lease: one dispatcher
claims the next chunk as the last one's rows are handed out, so its senders stay busy and
the account's rate holds whatever the tick (a pass per tick left gaps: a pass of a tick's
worth of messages runs a little longer than the tick, and the tick after it was skipped).
Its ticks only start it again if it ever ended. Called outside the scheduler (a test, the
development SMS page, `jobstop sms dispatch --once`) it is one pass.

The app is the dispatcher's settings holder: its configuration, its clock, its transport
(built once) and a provider's Retry-After, which holds every later pass until it has passed.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime

from flask import Flask

from kiosk.core.db import OperationalError
from scheduler import jobs
from sms.outbound.dispatch import Dispatcher
from sms.outbound.pacing import Settings
from sms.outbound.transports import Transport
from sms.outbound.twilio_async import from_config

log = logging.getLogger(__name__)


class _LoopTicks(logging.Filter):
    """The job runs on, so APScheduler skips each of its ticks: that is no warning."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not (message.startswith('Execution of job "dispatch') and "maximum number of running" in message)


logging.getLogger("apscheduler.scheduler").addFilter(_LoopTicks())


def run(app: Flask) -> dict:
    """The scheduler's job: the sending loop until the process stops or loses the lease;
    elsewhere one pass (expired and held rows first, then due messages up to the limit)."""
    stop = jobs.stop_check()
    if stop is None:
        return dispatch_due(app, jobs.now(app), limit=int(app.config["DISPATCH_LIMIT"]))
    return send_until(app, stop, guard=jobs.lease_guard(app))


def transport_for(app: Flask) -> Transport:
    """The app's transport, built once from its configuration."""
    if "sms_transport" not in app.extensions:
        app.extensions["sms_transport"] = from_config(app.config)
    return app.extensions["sms_transport"]


def _dispatcher(app: Flask, conn, guard=None) -> Dispatcher:  # noqa: ANN001
    return Dispatcher(conn, transport_for(app), Settings.from_config(app.config), app.extensions["clock"],
                      resume_at=app.extensions.get("sms_resume_at"), guard=guard)


def _keep_pause(app: Flask, dispatcher: Dispatcher) -> None:
    """The later instant wins: a pass beside this one may have been told to wait too."""
    earlier = app.extensions.get("sms_resume_at")
    if dispatcher.resume_at is not None and (earlier is None or dispatcher.resume_at > earlier):
        app.extensions["sms_resume_at"] = dispatcher.resume_at


def dispatch_due(app: Flask, now: datetime, limit: int = 500) -> dict[str, int]:
    """One dispatch pass for the app's database and transport; counts per outcome.

    A Retry-After the provider gave in one pass holds the next ones until it has passed.
    """
    with jobs.connection(app) as conn:
        dispatcher = _dispatcher(app, conn)
        try:
            return dispatcher.run(now, limit)
        finally:
            _keep_pause(app, dispatcher)


def send_until(app: Flask, stop, guard=None) -> dict[str, int]:  # noqa: ANN001
    """Sends until stop(); a database that stays busy through every retry is logged and the loop
    starts again after DISPATCH_EVERY_SECONDS (answers in flight were recorded first)."""
    counts: dict[str, int] = {}
    while not stop():
        with jobs.connection(app) as conn:
            dispatcher = _dispatcher(app, conn, guard)
            try:
                counts = dispatcher.run_until(stop)
            except OperationalError:
                log.exception("the sending loop stopped; starting it again")
                counts = dict(dispatcher.counts)
                restart = time.monotonic() + float(app.config["DISPATCH_EVERY_SECONDS"])
                while not stop() and time.monotonic() < restart:
                    time.sleep(0.2)
            finally:
                _keep_pause(app, dispatcher)
    return counts
