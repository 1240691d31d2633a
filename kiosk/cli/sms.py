"""`jobstop sms ...`: run the dispatcher by hand or as a loop, purge old inbound texts."""

from __future__ import annotations

import logging
from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup

from kiosk.core import db, logs
from kiosk.http.db import get_db
from scheduler.dispatch import dispatch_due, send_until
from scheduler.process import stop_on_sigterm
from sms.outbound import inbox as inbound

sms = AppGroup("sms", help="SMS outbox and inbound texts.")
log = logging.getLogger(__name__)


@sms.command("dispatch")
@click.option("--once", is_flag=True, help="One pass, then exit (the scheduler runs the same function).")
@click.option("--limit", default=500, show_default=True, help="Most messages claimed in one pass (--once).")
@click.option("--interval", default=5.0, show_default=True,
              help="Seconds before the loop starts again after a database error.")
def dispatch_command(once: bool, limit: int, interval: float) -> None:
    """Send due messages from the outbox: one pass, or the scheduler's sending loop until Ctrl-C."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    clock = app.extensions["clock"]
    if once:
        counts = dispatch_due(app, clock.now(), limit)
        click.echo(" ".join(f"{key}={value}" for key, value in sorted(counts.items())) or "nothing due")
        return
    logs.configure(app.config["LOG_FORMAT"])  # a long-running process logs like the scheduler
    app.config["DISPATCH_EVERY_SECONDS"] = interval
    stop_on_sigterm()  # systemd's stop ends the loop as Ctrl-C does
    try:
        send_until(app, lambda: False)
    except KeyboardInterrupt:  # answers in flight were recorded on the way out
        log.info("dispatcher stopped")


@sms.command("purge-inbound")
@click.option("--days", default=90, show_default=True, help="Keep inbound texts this many days.")
def purge_inbound_command(days: int) -> None:
    """Delete stored inbound texts older than the retention period."""
    conn = get_db()
    now = current_app.extensions["clock"].now()
    with db.transaction(conn):
        removed = inbound.purge_older_than(conn, now - timedelta(days=days))
    click.echo(f"Deleted {removed} inbound texts older than {days} days.")
