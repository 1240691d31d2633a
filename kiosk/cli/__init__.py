"""The `jobstop` command: database, demo, servers and every feature's own commands."""

from __future__ import annotations

import os
import shutil
import sys

import click
import dotenv
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from flask.helpers import get_load_dotenv
from werkzeug.serving import run_simple

from kiosk.app import create_app
from kiosk.cli import backup, bus, counseling, openings, production, staff
from kiosk.cli.scheduler import scheduler_command
from kiosk.cli.sms import sms as sms_commands
from kiosk.core import db, logs
from kiosk.core.db import move
from kiosk.demo import history as demo_history
from kiosk.demo import loader as demo
from kiosk.demo import staff as staff_demo
from kiosk.http.db import forget_connections, get_db
from kiosk.http.request_ids import RequestIdFilter
from kiosk.places import kiosks
from scheduler import process


# Flask's own .env loading would also read .flaskenv and search the parent folders; JobStop
# reads .env from the working folder only (read_dotenv). Flask's -e FILE is kept.
@click.group(cls=FlaskGroup, create_app=create_app, add_version_option=False,
             load_dotenv=False, set_debug_flag=False)
@click.version_option(package_name="jobstop", prog_name="jobstop", message="%(prog)s %(version)s")
def main() -> None:
    """JobStop: kiosk and SMS self-service for public job centers."""
    read_dotenv()


def read_dotenv() -> None:
    """Settings from ./.env for those not set yet: the environment, then `-e FILE`, then .env win.

    FLASK_SKIP_DOTENV=1 (Flask's switch) skips it; the tests set it so a developer's .env stays out.
    """
    if get_load_dotenv():
        dotenv.load_dotenv(".env", override=False, encoding="utf-8")


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create a fresh database (replacing an existing file) at the latest schema."""
    path = current_app.config["DATABASE"]
    forget_connections(current_app)
    applied = db.init_db(path)
    click.echo(f"Initialized {path} ({len(applied)} migrations).")


@click.command("migrate")
@with_appcontext
def migrate_command() -> None:
    """Bring an existing database up to the latest schema."""
    applied = db.migrate(get_db())
    click.echo("\n".join(applied) if applied else "Already up to date.")


@click.command("move-to-postgres")
@click.option("--to", "url", required=True, help="postgresql://user@host/db: an empty database.")
@with_appcontext
def move_to_postgres_command(url: str) -> None:
    """Copy this installation's SQLite data into an empty PostgreSQL database, and verify it."""
    source = current_app.config["DATABASE"]
    forget_connections(current_app)
    try:
        moved = move.move(source, url, say=lambda line: click.echo(line, err=True))
    except (move.MoveRefused, move.MoveFailed) as problem:
        raise click.ClickException(str(problem)) from None
    rows = sum(m.rows for m in moved)
    click.echo(f"Moved {rows} rows in {len(moved)} tables from {source}; every table's row count and"
               " checksum match. Set JOBSTOP_DATABASE to the PostgreSQL URL and restart JobStop.")


@click.command("load-demo")
@click.option("--openings", "count", default=2400, show_default=True)
@click.option("--history/--no-history", default=True, show_default=True,
              help="Two years of registrations, hires, counseling and answers for the figures.")
@with_appcontext
def load_demo_command(count: int, history: bool) -> None:
    """Add demo centers, kiosks, openings and people (safe to run again)."""
    conn = get_db()
    db.migrate(conn)
    now, zone = current_app.extensions["clock"].now(), current_app.config["TIMEZONE"]
    demo.load(conn, now, zone, count, secret=current_app.config["SECRET_KEY"], say=loading)
    if history:
        demo_history.load(conn, now, zone, say=loading)
    click.echo("Demo data loaded.")


def loading(what: str) -> None:
    """What the demo loader loads next, on stderr."""
    click.echo(f"Loading demo {what}...", err=True)


def print_kiosk_urls(base: str) -> None:
    for kiosk in kiosks.all_active(get_db()):
        click.echo(f"  {kiosk['name']:<28} {base}/k/{kiosk['code']}/")


def print_console_accounts(base: str) -> None:
    """The staff console's address and the demo accounts to sign in with."""
    click.echo(f"Staff console: {base}/console/  (demo accounts, one per role)")
    for role, email, password in staff_demo.present(get_db()):
        click.echo(f"  {role:<10} {email:<28} password: {password}")


@click.command("start")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@with_appcontext
def start_command(host: str, port: int) -> None:
    """The one-command demo: database, demo data, development SMS page, dev server."""
    conn = get_db()
    db.migrate(conn)
    if conn.execute("SELECT count(*) FROM openings").fetchone()[0] == 0:
        now, zone = current_app.extensions["clock"].now(), current_app.config["TIMEZONE"]
        demo.load(conn, now, zone, secret=current_app.config["SECRET_KEY"], say=loading)
        demo_history.load(conn, now, zone, say=loading)
    with db.transaction(conn):  # a demo database from before the console gets its accounts too
        staff_demo.load(conn, current_app.extensions["clock"].now(), current_app.config["TIMEZONE"], "")
    base = f"http://{host}:{port}"
    click.echo(f"JobStop is running at {base}/  (database: {current_app.config['DATABASE']})")
    click.echo("Kiosks:")
    print_kiosk_urls(base)
    print_console_accounts(base)
    click.echo(f"Messages the development SMS transport stored: {base}/dev/sms")
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    logs.configure(app.config["LOG_FORMAT"], RequestIdFilter())
    app.config.update(DEVELOPMENT=True, DEV_SMS_PAGE=True)  # the demo's visitors read every stored text there
    process.stop_on_sigterm()  # the dev server stops on KeyboardInterrupt, then the finally below runs
    runner = process.start_in_background(app)
    try:
        # Flask refuses app.run() inside its own CLI; the dev server is werkzeug's either way.
        run_simple(host, port, app, threaded=True, use_reloader=False)
    finally:
        runner.stop()  # gives up the lease, so the next start need not wait for it to expire


@click.command("serve", context_settings={"ignore_unknown_options": True})
@click.option("--bind", default="127.0.0.1:8000", show_default=True)
@click.option("--workers", default=2, show_default=True)
@click.argument("gunicorn_args", nargs=-1, type=click.UNPROCESSED)
@with_appcontext
def serve_command(bind: str, workers: int, gunicorn_args: tuple[str, ...]) -> None:
    """The production web server (gunicorn). Run `jobstop scheduler` beside it."""
    production.refuse_unless_ready(current_app, "serve")
    gunicorn = shutil.which("gunicorn") or os.path.join(os.path.dirname(sys.executable), "gunicorn")
    fmt = logs.checked(current_app.config["LOG_FORMAT"])  # an unknown one stops here, not in every worker
    os.environ["JOBSTOP_LOG_FORMAT"] = fmt  # for the logger class below, in gunicorn's processes
    # JSON: the app logs each request with its id (kiosk/http/request_ids.py) instead of gunicorn.
    access = ["--access-logfile", "-"] if fmt == "text" else []
    args = [gunicorn, "--bind", bind, "--workers", str(workers), "--logger-class", "kiosk.http.serving.Logger",
            *access, *gunicorn_args, "kiosk.app:create_app()"]
    os.execv(gunicorn, args)


for command in (init_db_command, migrate_command, move_to_postgres_command, load_demo_command, start_command,
                serve_command, sms_commands, scheduler_command, *counseling.COMMANDS, openings.import_openings_command,
                backup.backup_command, *staff.COMMANDS, *bus.COMMANDS):
    main.add_command(command)
