"""`jobstop staff add/link/list` (console accounts) and `jobstop audit` (access records)."""

from __future__ import annotations

import csv
import sys
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from kiosk.core.db import Connection, Row, transaction
from kiosk.core.i18n import translate
from kiosk.core.phones import InvalidPhone, normalize_mobile
from kiosk.http.db import get_db
from kiosk.places import centers
from kiosk.staff import access_records, accounts, new_accounts, password_links

staff_group = AppGroup("staff", help="Staff console accounts.")
FIELDS = ("at", "email", "name", "address", "action", "what", "seeker_id", "reason")


def set_password_url(token: str) -> str:
    return f"{current_app.config['PUBLIC_URL'].rstrip('/')}/console/set-password/{token}"


def _center_id(db: Connection, name: str | None) -> int | None:
    """A center by exact name, or by a unique part of it (수원역)."""
    if not name:
        return None
    exact = centers.by_name(db, name)
    rows = [exact] if exact else centers.named_like(db, name)
    if len(rows) != 1:
        known = ", ".join(r["name"] for r in centers.every(db))
        raise click.BadParameter(f"{name!r} names {len(rows)} centers. Centers: {known}", param_hint="--center")
    return rows[0]["id"]


def _counselor(db: Connection, given: str | None) -> Row | None:
    """A counselor by id or by mobile number."""
    if not given:
        return None
    if given.isdigit() and len(given) < 9:
        row = new_accounts.counselor(db, int(given))
    else:
        try:
            row = new_accounts.counselor_by_phone(db, normalize_mobile(given))
        except InvalidPhone as error:
            raise click.BadParameter(translate(error.reason, "en"), param_hint="--counselor") from error
    if row is None:
        raise click.BadParameter("no counselor has that id or number (jobstop counselors list)",
                                 param_hint="--counselor")
    return row


@staff_group.command("add")
@click.argument("name")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(accounts.ROLES))
@click.option("--center", default=None, help="Center name (or a unique part of it); staff and counselors.")
@click.option("--counselor", default=None, help="The counselor's id or mobile number (a counselor account).")
@with_appcontext
def add_account(name: str, email: str, role: str, center: str | None, counselor: str | None) -> None:
    """Create an account; prints a one-time link to set its password."""
    db = get_db()
    linked = _counselor(db, counselor)
    center_id = _center_id(db, center)
    if linked is not None and center_id is None:
        center_id = linked["center_id"]
    wanted = new_accounts.Wanted(name, email, role, center_id, linked["id"] if linked else None)
    problems = new_accounts.problems(db, wanted)
    if problems:
        raise click.ClickException(" ".join(translate(key, "en") for key in problems.values()))
    made = new_accounts.create(db, wanted, current_app.extensions["clock"].now(), _link_hours())
    if made is None:
        raise click.ClickException(translate("console.accounts.error.email_taken", "en"))
    click.echo(f"Added {name} <{accounts.normal_email(email)}> ({role}).")
    _print_link(made[1])


@staff_group.command("link")
@click.argument("email")
@with_appcontext
def new_link(email: str) -> None:
    """A new one-time link to set (or reset) an account's password; older links stop working."""
    db = get_db()
    account = accounts.by_email(db, email)
    if account is None or not account["active"]:
        raise click.ClickException(f"No active account has the email {email}.")
    with transaction(db):
        token = password_links.issue(db, account["id"], current_app.extensions["clock"].now(), _link_hours())
    _print_link(token)


@staff_group.command("list")
@with_appcontext
def list_accounts() -> None:
    """Accounts with their role, center and state."""
    for row in accounts.listing(get_db()):
        state = "" if row["active"] else "  (inactive)"
        click.echo(f"{row['id']:>4}  {row['name']:<10} {row['email']:<32} {row['role']:<9}"
                   f" {row['center_name'] or '-'}{state}")


def _link_hours() -> int:
    return int(current_app.config["CONSOLE_LINK_HOURS"])


def _print_link(token: str) -> None:
    click.echo(f"Set the password within {_link_hours()} hours (the link works once):")
    click.echo(f"  {set_password_url(token)}")


@click.command("audit")
@click.option("--from", "start", required=True, type=click.DateTime(["%Y-%m-%d"]), help="First day (YYYY-MM-DD).")
@click.option("--to", "end", required=True, type=click.DateTime(["%Y-%m-%d"]), help="Last day, included.")
@click.option("--format", "fmt", default="text", show_default=True, type=click.Choice(["text", "csv"]))
@with_appcontext
def audit_command(start: datetime, end: datetime, fmt: str) -> None:
    """Access records (sign-ins, views and changes of seekers' data) between two days, in the center's zone."""
    if end < start:
        raise click.BadParameter("--to is before --from", param_hint="--to")
    filters = access_records.Filters(*day_range(start.date(), end.date(), current_app.config["TIMEZONE"]))
    rows = access_records.every(get_db(), filters)
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(FIELDS)
        writer.writerows([row["at"], row["email"], row["name"] or "", row["address"], row["action"], row["what"],
                          row["seeker_id"] or "", row["reason"] or ""] for row in rows)
        return
    shown = 0
    for row in rows:
        shown += 1
        seeker = f" seeker {row['seeker_id']}" if row["seeker_id"] else ""
        reason = f" ({row['reason']})" if row["reason"] else ""
        click.echo(f"{row['at']}  {row['email']:<30} {row['address']:<15} {row['action']:<15} {row['what']}"
                   f"{seeker}{reason}")
    click.echo(f"{shown} records.", err=True)


def day_range(first: date, last: date, zone: str) -> tuple[datetime, datetime]:
    """From the start of `first` to the end of `last` in the zone, as instants."""
    tz = ZoneInfo(zone)
    return (datetime.combine(first, time(0), tzinfo=tz), datetime.combine(last + timedelta(days=1), time(0), tzinfo=tz))


COMMANDS = (staff_group, audit_command)
