"""The figures as lines of text, in Korean or English (`jobstop stats` prints these)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kiosk.core.i18n import translate
from kiosk.stats.export import label


def percent(share: float | None) -> str:
    return "-" if share is None else f"{share * 100:.1f}%"


def signed_percent(change: float | None) -> str:
    return "-" if change is None else f"{change * 100:+.1f}%"


def points(value: float | None) -> str:
    return "-" if value is None else f"{value:+.1f}"


def number(value: float | None) -> str:
    return "-" if value is None else f"{value:,}"


def lines(figures: dict[str, Any], language: str = "ko") -> Iterator[str]:
    """A report of figures.summary(), one figure per line, breakdowns indented."""

    def say(key: str, **params: Any) -> str:
        return translate(key, language, **params)

    def parts(section: str, rows: list[dict[str, Any]]) -> Iterator[str]:
        for row in rows:
            yield f"  {label(section, row, language)}: {row['count']:,} ({percent(row.get('share'))})"

    period, registered, hired = figures["period"], figures["registered"], figures["hired"]
    yield say("stats.period", start=period["start"], end=period["end"])
    yield say("stats.registered", n=number(registered["count"]))
    for section in ("by_channel", "by_age_band", "by_program"):
        yield say(f"reporting.text.registered_{section}")
        yield from parts(f"registered.{section}", registered[section])
    yield say("stats.hired", n=number(hired["count"]), rate=percent(hired["rate"]))
    yield say("reporting.text.per_day", n=number(hired["per_day"]))
    yield say("stats.by_occupation")
    yield from parts("hired.by_occupation", hired["by_occupation"])
    yield say("stats.by_age_band")
    yield from parts("hired.by_age_band", hired["by_age_band"])
    for section in ("by_region", "by_program"):
        yield say(f"reporting.text.hired_{section}")
        yield from parts(f"hired.{section}", hired[section])
    yield say("stats.by_kiosk")
    for row in figures["by_place"]:
        line = say("stats.place_line", name=label("by_place", row, language),
                   registered=number(row["registered"]), hired=number(row["hired"]))
        yield f"  {line} {say('reporting.text.place_per_day', n=number(row['per_day']))}"
    bus = figures["job_bus"]
    yield say("reporting.text.job_bus", runs=number(bus["runs"]), hired=number(bus["hired"]),
              per=number(bus["per_run"]))
    yield from _counseling(figures, say, language)
    yield say("stats.by_center")
    for row in figures["by_center"]:
        yield "  " + say("stats.center_line", name=row["name"], registered=number(row["registered"]),
                         hired=number(row["hired"]), rate=percent(row["rate"]),
                         consultations=number(row["consultations"]))
    happy = figures["satisfaction"]
    line = say("stats.satisfaction", share=percent(happy["satisfied_share"]), average=number(happy["average"]),
               n=number(happy["answers"]))
    yield f"{line} {say('reporting.text.score', score=number(happy['score']))}"
    for name in ("previous", "year_before"):
        other = figures["comparison"][name]
        yield say(f"reporting.text.versus_{name}", start=other["start"], end=other["end"],
                  registered=signed_percent(other["change"]["registered"]),
                  hired=signed_percent(other["change"]["hired"]),
                  score=points(other["change"]["satisfaction_score"]))


def _counseling(figures: dict[str, Any], say: Any, language: str) -> Iterator[str]:
    counseled, referred = figures["consultations"], figures["referrals"]
    yield say("stats.consultations", n=number(counseled["count"]), per=number(counseled["per_registered"]))
    for section in ("by_topic", "by_channel"):
        for row in counseled[section]:
            yield (
                f"  {label(f'consultations.{section}', row, language)}: {row['count']:,}"
                f" ({number(row['per_registered'])})"
            )
    yield say("stats.referrals", n=number(referred["count"]), per=number(referred["per_registered"]))
    yield say("reporting.text.unhired")
    for row in figures["unhired_occupations"]:
        yield f"  {label('unhired_occupations', row, language)}: {row['count']:,}"
    yield say("reporting.text.counselors", n=number(figures["counselors_active"]))
