"""`jobstop import-openings FILE.csv`: openings from a publisher's CSV, bad rows reported by line."""

from __future__ import annotations

from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from kiosk.core.i18n import translate
from kiosk.http.db import get_db
from kiosk.openings.importer import import_csv


class Report:
    """Progress on stderr, so a long import is not silent and stdout keeps only the summary."""

    def __init__(self, language: str) -> None:
        self.language = language

    def checked(self, rows: int, good: int) -> None:
        click.echo(translate("kiosk.import.progress_checked", self.language, rows=rows, good=good), err=True)

    def written(self, done: int, total: int) -> None:
        click.echo(translate("kiosk.import.progress_written", self.language, done=done, total=total), err=True)


@click.command("import-openings")
@click.argument("csv_file", type=click.File("rb"))
@click.option("--dry-run", is_flag=True, help="Check every row and report; write nothing.")
@click.option("--lang", type=click.Choice(["ko", "en"]), default="ko", show_default=True,
              help="Language of the report.")
@with_appcontext
def import_openings_command(csv_file: Any, dry_run: bool, lang: str) -> None:
    """Import openings from a CSV file (columns: docs/csv-import.md); safe to run again."""
    result = import_csv(get_db(), csv_file.read(), current_app.extensions["clock"].now(),
                        dry_run=dry_run, progress=Report(lang))
    for problem in result.problems:
        click.echo(problem.message(lang), err=True)
    key = "kiosk.import.checked" if dry_run else "kiosk.import.summary"
    click.echo(translate(key, lang, rows=result.rows, changed=len(result.changed),
                         unchanged=result.unchanged,
                         rejected=len({p.line for p in result.problems if p.line})))
    if result.problems:
        raise SystemExit(1)
