"""A run as staff type it in a form: every field read and checked, then the plan as a whole
(kiosk.outreach.runs.check), so the console, the command and the import give the same answers.

Errors are (reason, params) per field; schedule_import.RunProblem says them in a language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from kiosk.core.db import Connection
from kiosk.core.regions import GYEONGGI
from kiosk.outreach import runs

FIELDS = ("bus", "day", "starts", "ends", "place", "address", "region", "center")
Errors = dict[str, tuple[str, dict[str, Any]]]


def whole(text: str) -> int | None:
    """A whole number typed in ASCII digits (an id), or None."""
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def _fields(typed: Mapping[str, str], errors: Errors) -> dict[str, Any]:
    """Each field on its own: what it is, or its error."""
    found: dict[str, Any] = {}
    for name in ("day", "starts", "ends", "place", "address", "region", "center"):
        if not typed.get(name, "").strip():
            errors[name] = ("required", {})
    if "day" not in errors:
        try:
            found["day"] = runs.calendar_day(typed["day"])
        except ValueError:
            errors["day"] = ("not_a_date", {"value": typed["day"]})
    for name in ("starts", "ends"):
        if name not in errors:
            try:
                found[name] = runs.clock_time(typed[name])
            except ValueError:
                errors[name] = ("not_a_time", {"value": typed[name]})
    for name, most in runs.MAX_LENGTH.items():
        if name not in errors and len(typed[name].strip()) > most:
            errors[name] = ("too_long", {"most": most})
    if "region" not in errors and typed["region"] not in GYEONGGI:
        errors["region"] = ("unknown", {"value": typed["region"]})
    if "center" not in errors and whole(typed["center"]) is None:
        errors["center"] = ("not_a_center", {"value": typed["center"]})
    return found


def read(db: Connection, typed: Mapping[str, str], counselors: Sequence[str], *,
         today: date) -> tuple[runs.Plan | None, Errors]:
    """The plan the form describes, or None and the reasons per field."""
    errors: Errors = {}
    found = _fields(typed, errors)
    ids = [whole(c) for c in counselors if c.strip()]
    if any(i is None for i in ids):
        errors["counselors"] = ("unknown_counselor", {"value": ", ".join(counselors)})
    if errors:
        return None, errors
    plan = runs.Plan(bus=typed.get("bus", "").strip() or runs.the_bus(db) or "", day=found["day"],
                     starts=found["starts"], ends=found["ends"], place=typed["place"].strip(),
                     address=typed["address"].strip(), region=typed["region"], center_id=int(typed["center"]),
                     counselor_ids=tuple(i for i in ids if i is not None))
    try:
        runs.check(db, plan, today)
    except runs.Refused as refused:
        return None, {refused.field: (refused.reason, dict(refused.params))}
    planned = runs.on_day(db, plan.bus, plan.day)
    if planned is not None and not same(planned, plan):
        return None, {"day": ("bus_taken", {"day": plan.day.isoformat()})}
    return plan, {}


def same(row: Mapping[str, Any], plan: runs.Plan) -> bool:
    """Whether a planned run is this plan (a form sent twice)."""
    return (row["place"], row["starts"], row["ends"], row["center_id"]) == (plan.place, plan.starts, plan.ends,
                                                                          plan.center_id)
