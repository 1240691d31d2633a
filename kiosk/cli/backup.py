"""`jobstop backup PATH`: a consistent copy of the database while the web and the scheduler run."""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from kiosk.core import db
from kiosk.core.formatting import local


@click.command("backup")
@click.argument("target", type=click.Path(path_type=Path))
@with_appcontext
def backup_command(target: Path) -> None:
    """Copy the database to TARGET (a file, or a folder for a dated file), safe while it runs."""
    source = current_app.config["DATABASE"]
    if db.is_postgres_url(source):
        raise click.ClickException("JOBSTOP_DATABASE is PostgreSQL: back it up with pg_dump (docs/deploy.md)")
    if not Path(source).is_file():
        raise click.ClickException(f"there is no database at {source} (JOBSTOP_DATABASE)")
    if target.is_dir():
        now = local(current_app.extensions["clock"].now(), current_app.config["TIMEZONE"])
        target = target / f"jobstop-{now:%Y-%m-%d-%H%M%S}.sqlite3"
    started = time.monotonic()
    try:
        size = db.backup(source, str(target))
    except (db.Error, OSError) as error:
        raise click.ClickException(f"backup to {target} failed: {error}") from error
    click.echo(f"Backed up {source} to {target} ({size:,} bytes in {time.monotonic() - started:.1f} s;"
               " integrity check ok).")
