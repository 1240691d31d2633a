"""A season's runs from a CSV file, with the same line-by-line report as openings' import.

Columns: day, starts, ends, place, address, region, center, counselors (names separated by
`;`), and bus (the bus kiosk's code; may be left out when there is one bus). Every row is
checked first, and all good rows are written in one transaction; a run already planned for
that bus and day at the same place is left as it is (a re-import changes nothing), at
another place it is reported.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection
from datetime import date, datetime
from functools import cache
from typing import Any

from kiosk.core.db import Connection, transaction
from kiosk.core.i18n import translate
from kiosk.core.regions import REGIONS
from kiosk.openings.importer import Problem, Result, decode
from kiosk.outreach import runs

REQUIRED = ("day", "starts", "ends", "place", "address", "region", "center")
OPTIONAL = ("counselors", "bus")


class RunProblem(Problem):
    """A row's problem: the import's shared reasons (required, not_a_date, ...) or a run's own."""

    def text(self, language: str = "ko") -> str:
        key = f"outreach.run.{self.reason}"
        if translate(key, language) == key:
            return super().text(language)
        return translate(key, language, **self.params)


@cache
def region_codes() -> dict[str, str]:
    """A region's code, its Korean name (화성시) and its English name all lead to the code."""
    found = {code: code for code in REGIONS}
    for language in ("ko", "en"):
        found.update({translate(f"region.{code}", language).lower(): code for code in REGIONS})
    return found


def plan_of(db: Connection, record: dict[str, str | None], default_bus: str | None) -> runs.Plan:
    """One CSV record as a plan; Refused (or ValueError for a date or time) on the first problem."""
    get = {k: (record.get(k) or "").strip() for k in (*REQUIRED, *OPTIONAL)}
    for column in REQUIRED:
        if not get[column]:
            raise runs.Refused(column, "required")
    try:
        day = runs.calendar_day(get["day"])
    except ValueError as exc:
        raise runs.Refused("day", "not_a_date", value=get["day"]) from exc
    hours = {}
    for column in ("starts", "ends"):
        try:
            hours[column] = runs.clock_time(get[column])
        except ValueError as exc:
            raise runs.Refused(column, "not_a_time", value=get[column]) from exc
    region = region_codes().get(get["region"].lower())
    if region is None:
        raise runs.Refused("region", "unknown", value=get["region"])
    center_id = runs.center_named(db, get["center"])
    counselors = runs.counselor_ids_named(db, get["counselors"].split(";"), center_id)
    return runs.Plan(bus=get["bus"] or default_bus or "", day=day, place=get["place"], address=get["address"],
                     region=region, center_id=center_id, counselor_ids=counselors, **hours)


def import_csv(db: Connection, data: bytes, now: datetime, *, dry_run: bool = False,
               today: date | None = None, centers: Collection[int] | None = None) -> Result:
    """Checks every row, then plans the good ones in one transaction; returns what happened (a
    day before `today`, when given, is refused as past; a partner center not among `centers`,
    when given, as not the importer's)."""
    result = Result()
    try:
        text = decode(data)
    except UnicodeDecodeError:
        result.problems.append(RunProblem(0, "", "encoding"))
        return result
    header = next(csv.reader(io.StringIO(text, newline="")), [])
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        result.problems.append(RunProblem(0, "", "missing_columns", {"columns": ", ".join(missing)}))
        return result
    good: list[tuple[int, runs.Plan]] = []
    seen: dict[tuple[str, str], int] = {}
    bus = runs.the_bus(db)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    for number, record in enumerate(reader, 2):
        result.rows += 1
        try:
            plan = plan_of(db, record, bus)
            if centers is not None and plan.center_id not in centers:
                raise runs.Refused("center", "not_your_center", value=record.get("center") or "")
            runs.check(db, plan, today)
        except runs.Refused as refused:
            result.problems.append(_problem(number, refused))
            continue
        key = (plan.bus, plan.day.isoformat())
        if key in seen:
            result.problems.append(RunProblem(number, "day", "duplicate", {"line": seen[key]}))
            continue
        seen[key] = number
        planned = runs.on_day(db, plan.bus, plan.day)
        if planned is None:
            good.append((number, plan))
        elif planned["place"] != plan.place.strip():
            result.problems.append(RunProblem(number, "day", "bus_taken", {"day": key[1]}))
    if good and not dry_run:
        with transaction(db):
            for number, plan in good:
                try:
                    result.changed.append(runs.add(db, plan, now, today))
                except runs.Refused as refused:  # planned meanwhile for that bus and day
                    result.problems.append(_problem(number, refused))
    return result


def _problem(line: int, refused: runs.Refused) -> RunProblem:
    params: dict[str, Any] = dict(refused.params)
    return RunProblem(line, refused.field, refused.reason, params)
