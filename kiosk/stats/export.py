"""The figures as rows (section, key, label, measure, value): the same numbers as the JSON, for a
CSV file or an XLSX workbook (openpyxl). Labels are in Korean or English.

Each scalar of the JSON is one row ("hired", "", "", "rate", 0.493); each item of a list is one
row per measure ("hired.by_occupation", "security", "경비·청소", "count", 3082).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from openpyxl import Workbook

from kiosk.core.i18n import translate
from kiosk.seekers import programs

Row = tuple[str, str, str, str, Any]
HEADER = ("section", "key", "label", "measure", "value")
ITEM_KEYS = ("code", "center_id", "start", "month")  # what names an item of a list
LABELS = {  # section -> the catalog key a code's label has, {} filled with the code
    "registered.by_age_band": "age_band.{}", "hired.by_age_band": "age_band.{}",
    "registered.by_program": "register.program.{}", "hired.by_program": "register.program.{}",
    "registered.by_channel": "reporting.channel.{}", "hired.by_occupation": "occupation.{}",
    "unhired_occupations": "occupation.{}", "hired.by_region": "region.{}",
    "consultations.by_topic": "counseling.topic.{}", "consultations.by_channel": "counseling.channel.{}",
}


def label(section: str, item: dict[str, Any], language: str) -> str:
    """The item's name in the language: a program's (kiosk.seekers.programs.label), a place's or
    center's own name, else its code's label."""
    if section.endswith("by_program"):
        return programs.label(str(item["code"]), item.get("name"), language)
    if item.get("name") is not None:
        return item["name"] or translate("stats.by_text", language)
    code = str(item.get("code", ""))
    if code == "unknown":
        return translate("stats.unknown", language)
    return translate(LABELS[section].format(code), language) if section in LABELS else ""


def rows(figures: dict[str, Any], language: str = "ko") -> Iterator[Row]:
    """Every number and word of the figures, one row each, in the JSON's order."""
    yield from _walk(figures, "", language)


def _walk(value: dict[str, Any], path: str, language: str) -> Iterator[Row]:
    for name, inner in value.items():
        where = f"{path}.{name}" if path else name
        if isinstance(inner, dict):
            yield from _walk(inner, where, language)
        elif isinstance(inner, list):
            for item in inner:
                key_name = next(k for k in ITEM_KEYS if k in item)
                named = label(where, item, language)
                for measure, number in item.items():
                    if measure != key_name:
                        yield where, str(item[key_name]), named, measure, number
        else:
            yield path or "summary", "", "", name, inner


def to_csv(figures: dict[str, Any], language: str = "ko") -> str:
    """UTF-8 CSV text (with a BOM, so Korean spreadsheet programs read it right)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for row in rows(figures, language):
        writer.writerow(["" if cell is None else cell for cell in row])
    return "\ufeff" + out.getvalue()


def to_xlsx(figures: dict[str, Any], language: str = "ko") -> bytes:
    """A workbook with one sheet of the same rows; numbers stay numbers."""
    book = Workbook()
    sheet = book.active
    sheet.title = "figures"
    sheet.append(HEADER)
    for row in rows(figures, language):
        sheet.append(list(row))
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDE", (28, 16, 28, 20, 14), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
