"""The opening form of the staff console: the CSV importer's rules for every field (one
minimum wage, one date rule), and what a form asks besides: a way to apply."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from kiosk.core.phones import InvalidPhone, national, normalize_mobile
from kiosk.openings.importer import OPTIONAL, REQUIRED, check_row

FIELDS = tuple(f for f in (*REQUIRED, *OPTIONAL) if f not in ("source_ref", "status"))
REQUIRED_FIELDS = tuple(f for f in REQUIRED if f != "source_ref")
_URL = re.compile(r"https?://[^\s/$.?#][^\s]*", re.IGNORECASE)

Reason = tuple[str, dict[str, Any]]  # a catalog key and its parameters


def typed(form: Mapping[str, str]) -> dict[str, str]:
    """What was typed into each field, kept as typed so a refused form shows it again."""
    return {name: str(form.get(name, "")) for name in FIELDS}


def check(form: Mapping[str, str]) -> tuple[dict[str, Any] | None, dict[str, Reason]]:
    """The opening to store, or None and the reason per field (the first found for each)."""
    record = {**typed(form), "source_ref": "console"}  # the store gives it its own
    row, problems = check_row(record, 0)
    reasons: dict[str, Reason] = {}
    for problem in problems:
        reasons.setdefault(problem.column, (f"kiosk.import.{problem.reason}", problem.params))
    phone = record["contact_phone"].strip()
    if phone:
        try:
            phone = national(normalize_mobile(phone))
        except InvalidPhone:
            reasons.setdefault("contact_phone", ("console_openings.invalid.not_mobile", {}))
    elif not _URL.search(record["how_to_apply"]):
        reasons.setdefault("contact_phone", ("console_openings.invalid.no_way_to_apply", {}))
    if reasons or row is None:
        return None, reasons
    row.pop("source_ref")
    row["contact_phone"] = phone
    return row, {}
