"""`jobstop scheduler`: the timed jobs in a process of their own (`--list`: what runs when)."""

from __future__ import annotations

import contextlib
import logging

import click
from flask import current_app
from flask.cli import with_appcontext

from kiosk.alerts import schedule
from kiosk.cli import production
from kiosk.core import db, logs
from kiosk.core.formatting import local
from kiosk.http.db import get_db
from scheduler import digest, lease, process

log = logging.getLogger("jobstop.scheduler")


@click.command("scheduler")
@click.option("--list", "list_jobs", is_flag=True, help="Show each job and its next run, then exit.")
@with_appcontext
def scheduler_command(list_jobs: bool) -> None:
    """Run the scheduler (dispatch, matching, digests, expiry, retention) under the lease."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if list_jobs:
        show(app)
        return
    production.refuse_unless_ready(app, "scheduler")
    logs.configure(app.config["LOG_FORMAT"])
    db.migrate(get_db())
    runner = process.Runner(app)
    process.stop_on_sigterm()
    log.info("Scheduler %s: waiting for the lease (it expires after %g s without renewal).",
             runner.holder, runner.lease_seconds)
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C or SIGTERM: run() finished its jobs, released the lease
        runner.run()
    log.info("Scheduler stopped; lease released.")


def show(app) -> None:  # noqa: ANN001 - a Flask app
    zone = app.config["TIMEZONE"]
    for job in process.describe(app):
        upcoming = local(job["next_run"], zone).strftime("%Y-%m-%d %H:%M:%S %Z") if job["next_run"] else "never"
        grace = "any delay" if job["misfire_grace_time"] is None else f"{job['misfire_grace_time']} s"
        click.echo(f"{job['id']:<15} next {upcoming:<26} {job['trigger']:<44} late start: {grace}"
                   + {"always": "; also at start", "when overdue": "; also at start if not run for a day",
                      None: ""}[job["at_start"]])
    for kind, slot, what, windows in digest.plans(app):
        click.echo(f"{kind} digest {slot} {what}: {schedule.describe(windows, zone)}")
    missed = digest.missed(app)
    if missed:
        click.echo(f"missed digests (they run once when the scheduler starts): {', '.join(missed)}")
    holder = lease.current(get_db())
    click.echo(f"lease: {holder['holder']} until {holder['expires_at']}" if holder else "lease: free")
