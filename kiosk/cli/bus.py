"""`jobstop bus add|list|cancel|import`: the job bus's runs, where the console does not plan them."""

from __future__ import annotations

from datetime import date
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup

from kiosk.core.db import transaction
from kiosk.core.formatting import local
from kiosk.core.i18n import translate
from kiosk.http.db import get_db
from kiosk.outreach import cancellation, runs, schedule_import
from kiosk.outreach.schedule_import import RunProblem

bus_group = AppGroup("bus", help="The job bus's runs: where it stops, when, with whom.")
LANG = click.option("--lang", type=click.Choice(["ko", "en"]), default="ko", show_default=True,
                    help="Language of the messages.")


def _today() -> date:
    return local(current_app.extensions["clock"].now(), current_app.config["TIMEZONE"]).date()


def _refused(refused: runs.Refused, lang: str) -> click.ClickException:
    return click.ClickException(RunProblem(0, refused.field, refused.reason, dict(refused.params)).message(lang))


@bus_group.command("add")
@click.option("--day", required=True, help="The run's day: 2026-12-10.")
@click.option("--hours", required=True, help="From and to: 10:00-16:00.")
@click.option("--place", required=True, help="The stop people know: 화성시청 광장.")
@click.option("--address", required=True, help="The stop's address.")
@click.option("--region", required=True, help="City or county: 화성시, Hwaseong or 41590.")
@click.option("--center", required=True, help="The partner city center's name.")
@click.option("--counselor", "counselors", multiple=True, help="A counselor aboard (by name); repeat for more.")
@click.option("--bus", default=None, help="The bus kiosk's code (when there is more than one bus).")
@LANG
def add_run(day: str, hours: str, place: str, address: str, region: str, center: str,
            counselors: tuple[str, ...], bus: str | None, lang: str) -> None:
    """Plan a run of the job bus."""
    db = get_db()
    starts, _, ends = hours.partition("-")
    record = {"day": day, "starts": starts, "ends": ends, "place": place, "address": address, "region": region,
              "center": center, "counselors": ";".join(counselors), "bus": bus or ""}
    try:
        plan = schedule_import.plan_of(db, record, runs.the_bus(db))
        with transaction(db):
            run_id = runs.add(db, plan, current_app.extensions["clock"].now(), _today())
    except runs.Refused as refused:
        raise _refused(refused, lang) from refused
    click.echo(translate("outreach.run.added", lang, id=run_id, day=plan.day.isoformat(), place=plan.place))


@bus_group.command("list")
@click.option("--all", "everything", is_flag=True, help="Past and cancelled runs too.")
@LANG
def list_runs(everything: bool, lang: str) -> None:
    """The coming runs (with --all, every run), soonest first."""
    db = get_db()
    rows = runs.every(db) if everything else runs.coming(db, _today(), limit=1000)
    for row in rows:
        aboard = ", ".join(c["name"] for c in runs.counselors_aboard(db, row["id"]))
        status = "" if row["status"] == "planned" else f" [{translate('outreach.run.cancelled', lang)}]"
        region = translate(f"region.{row['region']}", lang)
        click.echo(f"{row['id']}\t{row['day']} {row['starts']}-{row['ends']}\t{row['place']} ({region})\t"
                   f"{row['center_name']}\t{aboard}{status}")
    if not rows:
        click.echo(translate("outreach.run.none", lang))


@bus_group.command("cancel")
@click.argument("run_id", type=int)
@LANG
def cancel_run(run_id: int, lang: str) -> None:
    """Cancel a planned run; those its day-before notice reached are texted that it is cancelled."""
    db = get_db()
    run = runs.get(db, run_id)
    now = current_app.extensions["clock"].now()
    told = None if run is None else cancellation.cancel_run(db, run, now, current_app.config)
    if told is None:
        raise click.ClickException(translate("outreach.run.not_planned", lang, id=run_id))
    click.echo(translate("outreach.run.cancelled_one", lang, id=run_id))
    if told.reached:
        click.echo(translate("outreach.run.cancel_texted", lang, n=told.reached))


@bus_group.command("import")
@click.argument("csv_file", type=click.File("rb"))
@click.option("--dry-run", is_flag=True, help="Check every row and report; write nothing.")
@LANG
def import_runs(csv_file: Any, dry_run: bool, lang: str) -> None:
    """Import a season's runs from CSV (day, starts, ends, place, address, region, center, counselors, bus)."""
    result = schedule_import.import_csv(get_db(), csv_file.read(), current_app.extensions["clock"].now(),
                                        dry_run=dry_run, today=_today())
    for problem in result.problems:
        click.echo(problem.message(lang), err=True)
    key = "kiosk.import.checked" if dry_run else "kiosk.import.summary"
    click.echo(translate(key, lang, rows=result.rows, changed=len(result.changed), unchanged=result.unchanged,
                         rejected=len({p.line for p in result.problems if p.line})))
    if result.problems:
        raise SystemExit(1)


COMMANDS = (bus_group,)
