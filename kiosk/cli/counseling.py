"""`jobstop counselors add/list/callbacks`, `jobstop centers hours`, `jobstop stats`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from kiosk.core.db import Connection, IntegrityError, Row, table_names, transaction
from kiosk.core.formatting import local
from kiosk.core.i18n import translate
from kiosk.core.phones import InvalidPhone, mask, national, normalize_mobile
from kiosk.counseling import hours as counseling
from kiosk.counseling import routing as referral_routing
from kiosk.counseling import staff_help
from kiosk.counseling.texts import settings_from
from kiosk.http.db import get_db
from kiosk.places import centers
from kiosk.stats import figures as stats
from kiosk.stats import periods
from kiosk.stats.scope import Scope

counselors_group = AppGroup("counselors", help="Counselors who book and record by text.")
centers_group = AppGroup("centers", help="Centers' counseling hours and shifts.")
SPAN = re.compile(r"((?:[01]\d|2[0-3]):[0-5]\d)-((?:[01]\d|2[0-3]):[0-5]\d)")


def _center(db: Connection, name: str) -> Row:
    """A center by exact name, or by a unique part of it (수원역)."""
    exact = centers.by_name(db, name)
    rows = [exact] if exact else centers.named_like(db, name)
    if len(rows) != 1:
        known = ", ".join(r["name"] for r in centers.every(db))
        raise click.BadParameter(f"{name!r} names {len(rows)} centers. Centers: {known}", param_hint="center")
    return rows[0]


def _phone(text: str) -> str:
    """The number in E.164, or the reason it is not a mobile number."""
    try:
        return normalize_mobile(text)
    except InvalidPhone as error:
        raise click.BadParameter(translate(error.reason, "ko"), param_hint="phone") from error


@counselors_group.command("add")
@click.argument("name")
@click.argument("phone")
@click.option("--center", required=True, help="Center name (or a unique part of it).")
@click.option("--shift", default=1, show_default=True, type=click.IntRange(1, 9))
@click.option("--language", default="ko", show_default=True, type=click.Choice(["ko", "en"]))
def add_counselor(name: str, phone: str, center: str, shift: int, language: str) -> None:
    """Register a counselor's mobile number; commands are accepted from it only."""
    db, e164 = get_db(), _phone(phone)
    row = _center(db, center)
    try:
        with transaction(db):
            counseling.add_counselor(db, name=name, phone=e164, center_id=row["id"], shift=shift,
                                     now=current_app.extensions["clock"].now(), language=language)
    except IntegrityError as error:
        raise click.ClickException(f"{mask(e164)} is already registered.") from error
    click.echo(f"Added {name} ({mask(e164)}) to {row['name']}, shift {shift}.")


@counselors_group.command("list")
@click.option("--center", default=None, help="Only this center.")
def list_counselors(center: str | None) -> None:
    """Counselors with their center, shift and masked number."""
    db = get_db()
    center_id = _center(db, center)["id"] if center else None
    for row in counseling.counselors(db, center_id):
        state = "" if row["active"] else "  (inactive)"
        click.echo(f"{row['id']:>4}  {row['name']:<8} {mask(row['phone'])}  {row['center_name']}"
                   f"  shift {row['shift']}{state}")


@counselors_group.command("active")
@click.argument("phone")
@click.argument("state", type=click.Choice(["yes", "no"]))
def set_counselor_active(phone: str, state: str) -> None:
    """Turn a counselor on or off (off: texts from the number are no longer commands)."""
    db, e164 = get_db(), _phone(phone)
    row = db.execute("SELECT id FROM counselors WHERE phone = ?", (e164,)).fetchone()
    if row is None:
        raise click.ClickException(f"No counselor has {mask(e164)}.")
    with transaction(db):
        counseling.set_active(db, row["id"], state == "yes")
    click.echo(f"{mask(e164)}: {'active' if state == 'yes' else 'inactive'}.")


@counselors_group.command("route-referrals")
def route_referrals() -> None:
    """Send kiosk referral and call-back requests no counselor has received yet (normally sent at once)."""
    sent = referral_routing.assign_new(get_db(), current_app.extensions["clock"].now(),
                                       settings_from(current_app.config))
    sent += staff_help.assign_new(get_db(), current_app.extensions["clock"].now(), current_app.config["TIMEZONE"])
    click.echo(f"Sent {sent} request(s) to counselors.")


@counselors_group.command("callbacks")
@click.option("--done", "done", type=int, default=None, help="Close this request: staff called back.")
def callbacks(done: int | None) -> None:
    """Visitors waiting for a call back (left at a kiosk's 직원 호출), oldest first."""
    db = get_db()
    if done is not None:
        with transaction(db):
            if not staff_help.close(db, done, current_app.extensions["clock"].now()):
                raise click.ClickException(f"No open call-back request {done}.")
    for row in staff_help.open_requests(db):
        who = row["counselor_name"] or "-"
        click.echo(f"{row['id']}  {row['created_at']}  {national(row['phone'])}  {row['language']}"
                   f"  {row['kiosk_name'] or row['kiosk_code']}  {row['center_name']}  {who}")


@centers_group.command("hours")
@click.argument("center")
@click.option("--days", default=None, help="Weekdays to set: mon-fri, sat,sun, all.")
@click.option("--shifts", default=None, help='Shifts for those days: "08:00-15:00,15:00-22:00", or "closed".')
@click.option("--slot", "slot", default=None, type=click.IntRange(10, 240), help="Slot length in minutes.")
def center_hours(center: str, days: str | None, shifts: str | None, slot: int | None) -> None:
    """Show a center's hours; with --days and --shifts, set them first."""
    db = get_db()
    row = _center(db, center)
    if shifts is not None or slot:
        with transaction(db):
            counseling.set_hours(db, row["id"], _weekdays(days) if shifts is not None else [],
                                 _shifts(shifts) if shifts is not None else [], slot_minutes=slot)
    click.echo(f"{row['name']} ({centers.slot_minutes(db, row['id'])}-minute slots)")
    week = counseling.hours(db, row["id"])
    for weekday, name in enumerate(counseling.WEEKDAYS):
        spans = ", ".join(f"{s.number}: {s.opens:%H:%M}-{s.closes:%H:%M}" for s in week.get(weekday, []))
        click.echo(f"  {name}  {spans or 'closed'}")


def _weekdays(text: str | None) -> list[int]:
    names = counseling.WEEKDAYS
    if not text or text == "all":
        return list(range(7))
    found: list[int] = []
    for part in text.lower().split(","):
        first, _, last = part.strip().partition("-")
        if first not in names or (last and last not in names):
            raise click.BadParameter(f"{part!r}: use mon..sun", param_hint="--days")
        found += range(names.index(first), names.index(last or first) + 1)
    return sorted(set(found))


def _shifts(text: str) -> list[tuple[str, str]]:
    if text.strip().lower() == "closed":
        return []
    spans = []
    for part in text.split(","):
        match = SPAN.fullmatch(part.strip())
        if match is None or match.group(1) >= match.group(2):
            raise click.BadParameter(f"{part!r}: use HH:MM-HH:MM", param_hint="--shifts")
        spans.append((match.group(1), match.group(2)))
    return spans


@click.command("stats")
@click.option("--from", "start", default=None, type=click.DateTime(["%Y-%m-%d"]),
              help="First day (default: a year before the last day).")
@click.option("--to", "end", default=None, type=click.DateTime(["%Y-%m-%d"]), help="Last day (default: today).")
@click.option("--center", default=None, help="Only this center.")
@click.option("--kiosk", default=None, help="Only seekers registered at this kiosk (its code).")
@click.option("--city", default=None, help="Only the centers of this city or county (its code, 41110).")
@click.option("--format", "form", default="text", show_default=True,
              type=click.Choice(["text", "json", "csv", "xlsx"]))
@click.option("--output", "-o", default=None, type=click.Path(dir_okay=False, writable=True),
              help="Write to this file instead of the screen (an xlsx workbook needs one).")
@click.option("--language", default="ko", show_default=True, type=click.Choice(["ko", "en"]))
@with_appcontext
def stats_command(start: Any, end: Any, center: str | None, kiosk: str | None, city: str | None, form: str,
                  output: str | None, language: str) -> None:
    """The outcome figures the centers publish, from recorded data (docs/stats.md)."""
    db = get_db()
    if not {"seekers", "placements"} <= set(table_names(db)):
        raise click.ClickException(translate("reporting.text.not_started", language))
    if form == "xlsx" and output is None:
        raise click.UsageError("--format xlsx writes a workbook: give it a file with --output")
    zone = current_app.config["TIMEZONE"]
    today = local(current_app.extensions["clock"].now(), zone).date()
    try:
        period = periods.period(start.date() if start else None, end.date() if end else None, today)
    except ValueError as error:
        raise click.BadParameter("--from is after --to", param_hint="--from") from error
    scope = Scope(center_id=_center(db, center)["id"] if center else None, kiosk_code=kiosk, region=city)
    figures = stats.summary(db, period, scope, zone, today)
    content = periods.render(figures, form, language)
    if output is None:
        click.echo(content, nl=False)
    else:
        Path(output).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        click.echo(f"{output}: {form}", err=True)


COMMANDS = (counselors_group, centers_group, stats_command)
