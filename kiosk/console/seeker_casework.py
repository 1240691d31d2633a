"""What a seeker's console page shows and asks about their casework: consultations, placement
referrals (알선) with their results, and programs; the forms' choices and their checks.

Who may record: anyone who may see the seeker (kiosk.seekers.lookup). A record belongs to the
counselor who did it and that counselor's center: a counselor records their own; staff choose
one of their center's counselors; an admin any active counselor. Who may correct a record: an
admin any; staff their center's; a counselor their own.

A date is today unless told; a day before today is recorded at noon of that day. A record on a
day whose nightly figures were already taken (kiosk.stats.snapshots) takes that day again, so
the figures count what was recorded and corrected.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import abort, current_app

from kiosk.console.access import visible_centers
from kiosk.console.casework import counselors_of, me
from kiosk.core.clock import iso, parse_iso
from kiosk.core.db import Connection, Row
from kiosk.core.formatting import local
from kiosk.core.regions import CONSULTATION_CHANNELS, CONSULTATION_TOPICS, OCCUPATIONS
from kiosk.counseling import hours as counseling
from kiosk.counseling import placement_results, records
from kiosk.http.now import app_now
from kiosk.places import centers
from kiosk.seekers import programs
from kiosk.stats import snapshots
from kiosk.stats.scope import Period

PAST_DAYS = 365  # how far back a record may be dated
EMPLOYER_LENGTH = 100
CONSULTATION_FIELDS = ("day", "topic", "channel", "counselor_id", "note", "form_key")
PLACEMENT_FIELDS = ("day", "opening_id", "employer", "occupation", "counselor_id", "form_key")
RESULT_FIELDS = ("result", "hired_on")
Errors = dict[str, str]


def typed(form: Any, names: tuple[str, ...]) -> dict[str, str]:
    """The fields as typed, spaces tidied (a note keeps its line breaks)."""
    found = {name: " ".join(form.get(name, "").split()) for name in names}
    if "note" in found:
        found["note"] = form.get("note", "").strip()
    return found


def today() -> date:
    return local(app_now(), current_app.config["TIMEZONE"]).date()


def instant(day: date) -> datetime:
    """When a record of that day is: now for today, else noon of that day in the center's zone."""
    if day == today():
        return app_now()
    return datetime.combine(day, time(12), tzinfo=ZoneInfo(current_app.config["TIMEZONE"]))


def new_key() -> str:
    return secrets.token_urlsafe(16)


def counselor_choices(db: Connection) -> list[Row]:
    """Whom a record may name: a counselor themselves; staff their center's; an admin everyone active."""
    staff = me()
    if staff.role == "counselor":
        own = counseling.counselor(db, staff.counselor_id) if staff.counselor_id is not None else None
        return [own] if own is not None else []
    return counselors_of(db, visible_centers(db))


def opening_choices(db: Connection, profile: Row) -> list[Row]:
    """The open openings of the center's city or county (the seeker's center for an admin)."""
    center_id = me().center_id if me().role != "admin" else profile["center_id"]
    center = centers.get(db, center_id) if center_id is not None else None
    return placement_results.openings_in(db, center["region"] if center else None)


def may_change(row: Row) -> bool:
    staff = me()
    if staff.role == "counselor":
        return row["counselor_id"] is not None and row["counselor_id"] == staff.counselor_id
    return staff.role == "admin" or row["center_id"] == staff.center_id


def changeable(row: Row | None, seeker_id: int) -> Row:
    """A record of this seeker this person may correct: 404 unknown, 403 someone else's."""
    if row is None or row["seeker_id"] != seeker_id:
        abort(404)
    if not may_change(row):
        abort(403)
    return row


def check_day(text: str, errors: Errors, field: str, *, earliest: date | None = None) -> date | None:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        errors[field] = "records.error.day"
        return None
    if day > today():
        errors[field] = "records.error.future"
    elif day < (earliest or today() - timedelta(days=PAST_DAYS)):
        errors[field] = "records.error.too_early"
    return day


def check_counselor(db: Connection, text: str, errors: Errors) -> Row | None:
    chosen = next((row for row in counselor_choices(db) if str(row["id"]) == text), None)
    if chosen is None:
        errors["counselor_id"] = "records.error.counselor"
    return chosen


def check_consultation(db: Connection, form: dict[str, str]) -> tuple[dict[str, Any], Errors]:
    errors: Errors = {}
    day = check_day(form["day"], errors, "day")
    if form["topic"] not in CONSULTATION_TOPICS:
        errors["topic"] = "records.error.topic"
    if form["channel"] not in CONSULTATION_CHANNELS:
        errors["channel"] = "records.error.channel"
    counselor = check_counselor(db, form["counselor_id"], errors)
    if len(form["note"]) > records.NOTE_LENGTH:
        errors["note"] = "records.error.note"
    if errors:
        return {}, errors
    return {"at": instant(day), "topic": form["topic"], "channel": form["channel"],
            "counselor_id": counselor["id"], "center_id": counselor["center_id"],
            "note": form["note"] or None}, {}


def check_placement(db: Connection, form: dict[str, str], profile: Row) -> tuple[dict[str, Any], Errors]:
    errors: Errors = {}
    day = check_day(form["day"], errors, "day")
    counselor = check_counselor(db, form["counselor_id"], errors)
    opening = None
    if form.get("opening_id"):
        opening = next((o for o in opening_choices(db, profile) if str(o["id"]) == form["opening_id"]), None)
        if opening is None:
            errors["opening_id"] = "records.error.opening"
    employer = opening["employer"] if opening else form["employer"]
    if not opening and not employer:
        errors["employer"] = "records.error.employer"
    elif len(employer) > EMPLOYER_LENGTH:
        errors["employer"] = "records.error.employer_long"
    if form["occupation"] and form["occupation"] not in OCCUPATIONS:
        errors["occupation"] = "records.error.occupation"
    if errors:
        return {}, errors
    return {"at": instant(day), "counselor_id": counselor["id"], "center_id": counselor["center_id"],
            "employer": employer, "opening_id": opening["id"] if opening else None,
            "occupation": (opening["occupation"] if opening else None) or form["occupation"] or None}, {}


def check_result(form: dict[str, str], placement: Row) -> tuple[dict[str, Any], Errors]:
    errors: Errors = {}
    if form["result"] not in records.RESULTS:
        errors["result"] = "records.error.result"
        return {}, errors
    hired_on = None
    if form["result"] == "hired":
        since = local(parse_iso(placement["at"]), current_app.config["TIMEZONE"]).date()
        if not form["hired_on"]:
            errors["hired_on"] = "records.error.hired_on"
        else:
            hired_on = check_day(form["hired_on"], errors, "hired_on", earliest=since)
            if errors.get("hired_on") == "records.error.too_early":
                errors["hired_on"] = "records.error.hired_before"
    if errors:
        return {}, errors
    return {"result": form["result"], "hired_on": hired_on, "hire_at": instant(hired_on) if hired_on else None}, {}


def refresh_figures(db: Connection, instants: list[str]) -> None:
    """Takes again the nightly figures of the past days these records fall on, where taken."""
    zone = current_app.config["TIMEZONE"]
    last, now = snapshots.last_day(db), app_now()
    days = {local(parse_iso(at), zone).date() for at in instants if at}
    for day in sorted(d for d in days if last is not None and d <= last and d < today()):
        snapshots.take(db, Period(day, day), zone, iso(now))


def consultation_defaults() -> dict[str, str]:
    own = me().counselor_id
    return {"day": today().isoformat(), "topic": "job_seeking", "channel": "visit",
            "counselor_id": str(own) if own is not None else "", "note": "", "form_key": new_key()}


def placement_defaults() -> dict[str, str]:
    own = me().counselor_id
    return {"day": today().isoformat(), "opening_id": "", "employer": "", "occupation": "",
            "counselor_id": str(own) if own is not None else "", "form_key": new_key()}


def context(db: Connection, profile: Row, forms: dict[str, tuple[dict, Errors]] | None = None) -> dict[str, Any]:
    """What the seeker page's casework sections need: the history, the forms (as typed, or fresh)."""
    forms = forms or {}
    seeker_id = profile["id"]
    mine = programs.of_seeker(db, seeker_id)
    listed = [row for row in programs.listing(db) if row["active"] or row["code"] in mine]
    return {
        "consultations": records.consultations_of(db, seeker_id),
        "placements": records.placements_of(db, seeker_id),
        "cancelled": records.cancelled_of(db, seeker_id),
        "may_change": may_change,
        "counselor_choices": counselor_choices(db),
        "opening_choices": opening_choices(db, profile),
        "occupations": OCCUPATIONS, "topics": CONSULTATION_TOPICS, "channels": CONSULTATION_CHANNELS,
        "consultation_form": forms.get("consultation", (consultation_defaults(), {})),
        "placement_form": forms.get("placement", (placement_defaults(), {})),
        "program_rows": listed,
        "program_form": forms.get("programs", ({"program": mine}, {})),
        "program_label": programs.label,
        "today": today().isoformat(),
    }
