"""The centers, kiosks and counselors forms: what was typed, and the reason (a catalog key) each
field is refused. Pure functions of the typed text and what the database says, so every
refusal keeps what was typed."""

from __future__ import annotations

import re
from collections.abc import Mapping

from kiosk.core.phones import InvalidPhone, normalize_mobile
from kiosk.core.regions import REGIONS
from kiosk.places.centers import KINDS
from kiosk.places.kiosks import PLACE_KINDS

CENTER_FIELDS = ("name", "kind", "region", "address", "directions", "phone", "slot_minutes", "partner")
KIOSK_FIELDS = ("code", "name", "place_kind", "region", "center", "active")
COUNSELOR_FIELDS = ("name", "phone", "center", "shift")
WEEKDAYS = range(7)
SHIFTS = (1, 2, 3)  # columns of the hours form; a counselor works the shift with their number
LONGEST = {"name": 60, "address": 200, "directions": 200, "phone": 20, "code": 40}
CENTER_PHONE = re.compile(r"0\d{1,2}-\d{3,4}-\d{4}|1\d{3}-\d{4}")  # 031-228-3111, 02-2133-4500, 1588-0000
KIOSK_CODE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
CLOCK = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
RESERVED_KIOSK_CODES = ("enrol", "new")  # /k/enrol: where a kiosk PC types its code; /console/kiosks/new


def typed(form: Mapping[str, str], fields: tuple[str, ...]) -> dict[str, str]:
    return {name: (form.get(name) or "").strip() for name in fields}


def number(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) < 10 else None


def _text_problems(values: Mapping[str, str], required: tuple[str, ...]) -> dict[str, str]:
    errors = {}
    for name, longest in LONGEST.items():
        if name in values and len(values[name]) > longest:
            errors[name] = "places.error.too_long"
    for name in required:
        if not values.get(name):
            errors[name] = "places.error.required"
    return errors


def center_problems(values: Mapping[str, str], *, center_id: int | None, others: set[int]) -> dict[str, str]:
    """Why each center field is refused; {} when the center can be saved. others: ids a partner may be."""
    errors = _text_problems(values, ("name", "address", "phone"))
    if values["kind"] not in KINDS:
        errors["kind"] = "places.error.choose"
    if values["region"] not in REGIONS:
        errors["region"] = "places.error.choose"
    if "phone" not in errors and not CENTER_PHONE.fullmatch(values["phone"]):
        errors["phone"] = "places.error.center_phone"
    minutes = number(values["slot_minutes"])
    if minutes is None or not 10 <= minutes <= 240 or minutes % 5:
        errors["slot_minutes"] = "places.error.slot_minutes"
    partner = values["partner"]
    if partner and (number(partner) not in others or number(partner) == center_id):
        errors["partner"] = "places.error.partner"
    return errors


def center_fields(values: Mapping[str, str]) -> dict[str, object]:
    """What the centers table stores from a valid form."""
    return {**{name: values[name] for name in ("name", "kind", "region", "address", "directions", "phone")},
            "slot_minutes": int(values["slot_minutes"])}


def hours_typed(form: Mapping[str, str]) -> dict[str, str]:
    """Every hours field of the form: o-<weekday>-<shift> (opens) and c-<weekday>-<shift> (closes)."""
    return {f"{end}-{day}-{shift}": (form.get(f"{end}-{day}-{shift}") or "").strip()
            for day in WEEKDAYS for shift in SHIFTS for end in ("o", "c")}


def hours_problems(values: Mapping[str, str]) -> dict[str, str]:
    """Why a weekday's shift is refused, by "<weekday>-<shift>": a time not HH:MM, one of the two
    times missing, or a shift that closes before it opens."""
    errors = {}
    for day in WEEKDAYS:
        for shift in SHIFTS:
            opens, closes = values[f"o-{day}-{shift}"], values[f"c-{day}-{shift}"]
            if not opens and not closes:
                continue
            if not (CLOCK.fullmatch(opens) and CLOCK.fullmatch(closes)):
                errors[f"{day}-{shift}"] = "places.error.clock" if opens and closes else "places.error.both_times"
            elif opens >= closes:
                errors[f"{day}-{shift}"] = "places.error.closes_first"
    return errors


def week(values: Mapping[str, str]) -> dict[int, dict[int, tuple[str, str]]]:
    """{weekday: {shift: (opens, closes)}} of valid hours fields."""
    found: dict[int, dict[int, tuple[str, str]]] = {}
    for day in WEEKDAYS:
        for shift in SHIFTS:
            if values[f"o-{day}-{shift}"]:
                found.setdefault(day, {})[shift] = (values[f"o-{day}-{shift}"], values[f"c-{day}-{shift}"])
    return found


def hours_values(rows: list[Mapping[str, object]]) -> dict[str, str]:
    """The hours form's fields from center_hours rows."""
    values = dict.fromkeys((f"{end}-{day}-{shift}" for day in WEEKDAYS for shift in SHIFTS for end in ("o", "c")), "")
    for row in rows:
        if row["shift"] in SHIFTS:
            values[f"o-{row['weekday']}-{row['shift']}"] = str(row["opens"])
            values[f"c-{row['weekday']}-{row['shift']}"] = str(row["closes"])
    return values


def kiosk_problems(values: Mapping[str, str], *, new: bool, centers: set[int]) -> dict[str, str]:
    """Why each kiosk field is refused; centers: the ids this person may give a kiosk to."""
    errors = _text_problems(values, ("code", "name") if new else ("name",))
    if new and "code" not in errors and (not KIOSK_CODE.fullmatch(values["code"])
                                         or values["code"] in RESERVED_KIOSK_CODES):
        errors["code"] = "places.error.kiosk_code"
    if values["place_kind"] not in PLACE_KINDS:
        errors["place_kind"] = "places.error.choose"
    if values["region"] not in REGIONS:
        errors["region"] = "places.error.choose"
    if number(values["center"]) not in centers:
        errors["center"] = "places.error.choose"
    return errors


def counselor_problems(values: Mapping[str, str], *, new: bool, centers: set[int]) -> tuple[dict[str, str], str]:
    """Why each counselor field is refused, and the number in E.164 (new counselors only)."""
    errors, phone = (_text_problems(values, ("name",)) if new else {}), ""
    if new:
        try:
            phone = normalize_mobile(values["phone"])
        except InvalidPhone as invalid:
            errors["phone"] = invalid.reason
    if number(values["center"]) not in centers:
        errors["center"] = "places.error.choose"
    shift = number(values["shift"])
    if shift is None or not 1 <= shift <= 9:
        errors["shift"] = "places.error.shift"
    return errors, phone
