"""Importing openings from a publisher's CSV file (docs/csv-import.md describes the columns).

Every row is checked first; rows with a problem are reported by line number and reason and
left out, and all good rows are written in one transaction, so a run that fails part way
leaves nothing half-written. source_ref is the publisher's own id: importing the same file
again updates those openings instead of adding them twice.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any, Protocol

from kiosk.core.db import Connection, transaction
from kiosk.core.formatting import whole_number
from kiosk.core.i18n import translate
from kiosk.core.regions import EMPLOYMENT_TYPES, OCCUPATIONS, REGIONS, least_wage
from kiosk.openings import store as openings

REQUIRED = ("source_ref", "title", "employer", "occupation", "region", "address",
            "employment_type", "wage_kind", "wage_amount", "work_hours", "work_days",
            "how_to_apply", "posted_on")
OPTIONAL = ("description", "contact_phone", "deadline", "status")
MAX_LENGTH = {"source_ref": 100, "title": 100, "employer": 100, "address": 200,
              "work_hours": 100, "work_days": 100, "how_to_apply": 500, "description": 4000,
              "contact_phone": 30}
WAGE_KINDS = {"hourly": "hourly", "시급": "hourly", "monthly": "monthly", "월급": "monthly"}
STATUSES = {"": "open", "open": "open", "모집중": "open", "closed": "closed", "마감": "closed"}
PROGRESS_EVERY = 2000  # rows between two reports while writing


class Progress(Protocol):
    """Told how a long import goes: once every row is checked, then as the good ones are written."""

    def checked(self, rows: int, good: int) -> None: ...

    def written(self, done: int, total: int) -> None: ...


def _reporting(rows: list[dict[str, Any]], progress: Progress) -> Iterable[dict[str, Any]]:
    """The rows, telling progress after every PROGRESS_EVERY of them and after the last."""
    for done, row in enumerate(rows, 1):
        yield row
        if done % PROGRESS_EVERY == 0 or done == len(rows):
            progress.written(done, len(rows))


@dataclass(frozen=True)
class Problem:
    """Why a row (or the file) was not imported: a catalog key with its parameters."""

    line: int  # 0: the file as a whole
    column: str
    reason: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, language: str = "ko") -> str:
        """The reason alone, for a form that shows it beside its field."""
        return translate(f"kiosk.import.{self.reason}", language, **self.params)

    def message(self, language: str = "ko") -> str:
        text = self.text(language)
        where = translate("kiosk.import.line", language, line=self.line) if self.line else ""
        return f"{where}{self.column + ': ' if self.column else ''}{text}"


@dataclass
class Result:
    rows: int = 0
    changed: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def file_rejected(self) -> bool:
        """The whole file was refused (its encoding, a missing column) before any row was read."""
        return any(p.line == 0 for p in self.problems)

    @property
    def rejected(self) -> int:
        """How many rows were left out."""
        return len({p.line for p in self.problems if p.line})

    @property
    def unchanged(self) -> int:
        bad_lines = {p.line for p in self.problems}
        return self.rows - len(bad_lines) - len(self.changed)


@cache
def _names(prefix: str, codes: tuple[str, ...]) -> dict[str, str]:
    """A code, its Korean name and its English name all lead to the code."""
    found = {code: code for code in codes}
    for language in ("ko", "en"):
        found.update({translate(f"{prefix}.{code}", language).lower(): code for code in codes})
    return found


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else CP949: what Korean spreadsheet programs save."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp949")


def _records(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    _header = reader.fieldnames  # reads the header, so line_num counts from it
    line = reader.line_num + 1
    for record in reader:
        yield line, record
        line = reader.line_num + 1


_DATE = re.compile(r"(\d{4})\s*([-./])\s*(\d{1,2})\s*\2\s*(\d{1,2})(\s*\.)?")


def _day(value: str) -> date:
    """ISO 2026-11-20, or how Korean spreadsheets write it: 2026. 11. 20., 2026.11.20, 2026/11/20."""
    found = _DATE.fullmatch(value)
    if found is None or (found[5] and found[2] != "."):
        raise ValueError(value)
    return date(int(found[1]), int(found[3]), int(found[4]))


def check_row(record: dict[str, str | None], line: int) -> tuple[dict[str, Any] | None, list[Problem]]:
    """One CSV record as an opening for upsert_many, or the problems that keep it out."""
    get = {k: (record.get(k) or "").strip() for k in (*REQUIRED, *OPTIONAL)}
    problems = [Problem(line, c, "required") for c in REQUIRED if not get[c]]
    problems += [Problem(line, c, "too_long", {"most": n}) for c, n in MAX_LENGTH.items()
                 if len(get[c]) > n]
    row: dict[str, Any] = {k: get[k] for k in (*REQUIRED, *OPTIONAL)}
    for column, table in (("occupation", _names("occupation", OCCUPATIONS)),
                          ("region", _names("region", REGIONS)),
                          ("employment_type", _names("employment", EMPLOYMENT_TYPES)),
                          ("wage_kind", WAGE_KINDS), ("status", STATUSES)):
        value = get[column].lower()
        if value in table:
            row[column] = table[value]
        elif value:
            problems.append(Problem(line, column, "unknown", {"value": get[column]}))
    amount = get["wage_amount"].replace(",", "").replace("원", "").strip()
    if amount and whole_number(amount) is None:
        problems.append(Problem(line, "wage_amount", "not_a_number", {"value": get["wage_amount"]}))
    elif amount and row["wage_kind"] in ("hourly", "monthly"):
        row["wage_amount"] = int(amount)
        least = least_wage(row["wage_kind"])
        if int(amount) < least:
            problems.append(Problem(line, "wage_amount", "below_minimum", {"least": f"{least:,}"}))
    for column in ("posted_on", "deadline"):
        try:
            row[column] = _day(get[column]).isoformat() if get[column] else None
        except ValueError:
            problems.append(Problem(line, column, "not_a_date", {"value": get[column]}))
    dated = not any(p.column in ("posted_on", "deadline") for p in problems)
    if dated and row["deadline"] and row["posted_on"] and row["deadline"] < row["posted_on"]:
        problems.append(Problem(line, "deadline", "before_posted"))
    return (None if problems else row), problems


def check_file(data: bytes) -> tuple[Result, list[dict[str, Any]]]:
    """Checks every row of a file: what was found wrong, and the good rows to write."""
    result = Result()
    try:
        text = decode(data)
    except UnicodeDecodeError:
        result.problems.append(Problem(0, "", "encoding"))
        return result, []
    header = next(csv.reader(io.StringIO(text, newline="")), [])
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        result.problems.append(Problem(0, "", "missing_columns", {"columns": ", ".join(missing)}))
        return result, []
    good: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for line, record in _records(text):
        result.rows += 1
        row, problems = check_row(record, line)
        ref = (record.get("source_ref") or "").strip()
        if ref in seen:
            problems.append(Problem(line, "source_ref", "duplicate", {"line": seen[ref]}))
            row = None
        if row is not None:  # a rejected row's source_ref is free for a good one further on
            seen[ref] = line
        result.problems += problems
        if row is not None:
            good.append(row)
    return result, good


def import_csv(db: Connection, data: bytes, now: datetime, *, dry_run: bool = False,
               progress: Progress | None = None) -> Result:
    """Checks every row, then writes the good ones in one transaction; returns what happened."""
    result, good = check_file(data)
    if progress and not result.file_rejected:
        progress.checked(result.rows, len(good))
    if good and not dry_run:
        with transaction(db):
            result.changed = openings.upsert_many(db, _reporting(good, progress) if progress else good, now)
    return result
