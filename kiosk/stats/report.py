"""The outcome figures as lines of text, in Korean or English (the CLI prints these)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kiosk.core.i18n import translate


def percent(share: float | None) -> str:
    return "-" if share is None else f"{share * 100:.1f}%"


def number(value: float | None) -> str:
    return "-" if value is None else f"{value:,}"


def _label(kind: str, code: str, language: str) -> str:
    return translate("stats.unknown" if code == "unknown" else f"{kind}.{code}", language)


def lines(figures: dict[str, Any], language: str = "ko") -> Iterator[str]:
    """A report of stats.summary(), one figure per line."""
    def say(key: str, **params: Any) -> str:
        return translate(f"stats.{key}", language, **params)

    if figures["start"] or figures["end"]:
        yield say("period", start=figures["start"] or say("beginning"), end=figures["end"] or say("today"))
    else:
        yield say("all_time")
    yield say("registered", n=number(figures["registered"]))
    yield say("hired", n=number(figures["hired"]), rate=percent(figures["success_rate"]))
    yield say("by_occupation")
    for row in figures["hires_by_occupation"]:
        yield f"  {_label('occupation', row['code'], language)}: {row['count']:,} ({percent(row['share'])})"
    yield say("by_age_band")
    for row in figures["hires_by_age_band"]:
        yield f"  {_label('age_band', row['code'], language)}: {row['count']:,} ({percent(row['share'])})"
    counseled, referred = figures["consultations"], figures["referrals"]
    yield say("consultations", n=number(counseled["count"]), per=number(counseled["per_seeker"]))
    yield say("referrals", n=number(referred["count"]), per=number(referred["per_seeker"]))
    yield say("by_kiosk")
    for row in figures["by_kiosk"]:
        name = row["name"] or say("by_text")
        yield "  " + say("place_line", name=name, registered=row["registered"], hired=row["hired"])
    yield say("by_center")
    for row in figures["by_center"]:
        yield "  " + say("center_line", name=row["name"], registered=row["registered"], hired=row["hired"],
                         rate=percent(row["success_rate"]), consultations=row["consultations"])
    happy = figures["satisfaction"]
    yield say("satisfaction", share=percent(happy["satisfied_share"]), average=number(happy["average"]),
              n=happy["answers"])
