"""What the dashboard shows of the figures: each chart with its table's rows, in the console's
language. A table holds exactly the chart's numbers (for screen readers and print)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from markupsafe import Markup

from kiosk.console import stats_charts as charts
from kiosk.http.templating import current_language, t
from kiosk.stats.export import label

PLACES_SHOWN = 10


@dataclass(frozen=True)
class Shown:
    name: str  # the section's id and the end of its catalog key
    chart: Markup
    columns: tuple[str, ...]  # catalog keys of the table's columns after the first
    rows: list[tuple[str, tuple[Any, ...]]]  # (label, numbers)


def _share_rows(section: str, items: list[dict[str, Any]]) -> list[tuple[str, tuple[Any, ...]]]:
    return [(label(section, item, _language()), (item["count"], item["share"])) for item in items]


def _language() -> str:
    return "en" if current_language() == "en" else "ko"


def charts_and_tables(figures: dict[str, Any], nonce: str) -> list[Shown]:
    """The six charts of the dashboard, in order."""
    hired = figures["hired"]
    shown = [_weeks(figures, nonce)]
    for name, section, items in (("occupation", "hired.by_occupation", hired["by_occupation"]),
                                 ("age_band", "hired.by_age_band", hired["by_age_band"]),
                                 ("region", "hired.by_region", hired["by_region"])):
        rows = _share_rows(section, items)
        chart = charts.bars([r[0] for r in rows], [r[1][0] for r in rows], nonce, t(f"reporting.chart.{name}"),
                            horizontal=name != "age_band")
        shown.append(Shown(name, chart, ("reporting.column.hired", "reporting.column.share"), rows))
    places = [row for row in figures["by_place"] if row["hired"] or row["registered"]][:PLACES_SHOWN]
    rows = [(label("by_place", row, _language()), (row["registered"], row["hired"], row["per_day"]))
            for row in places]
    chart = charts.bars([r[0] for r in rows], [r[1][1] for r in rows], nonce, t("reporting.chart.place"),
                        horizontal=True)
    shown.insert(3, Shown("place", chart, ("reporting.column.registered", "reporting.column.hired",
                                           "reporting.column.per_day"), rows))
    shown.append(_satisfaction(figures, nonce))
    return shown


def _weeks(figures: dict[str, Any], nonce: str) -> Shown:
    weeks = figures["trend"]["weeks"]
    labels = [_short(date.fromisoformat(week["start"])) for week in weeks]
    chart = charts.lines(labels, {t("reporting.column.registered"): [w["registered"] for w in weeks],
                                  t("reporting.column.hired"): [w["hired"] for w in weeks]},
                         nonce, t("reporting.chart.weeks"), every=max(1, len(weeks) // 12))
    rows = [(label_, (week["registered"], week["hired"])) for label_, week in zip(labels, weeks, strict=True)]
    return Shown("weeks", chart, ("reporting.column.registered", "reporting.column.hired"), rows)


def _satisfaction(figures: dict[str, Any], nonce: str) -> Shown:
    months = figures["trend"]["months"]
    labels = [_month(month["month"]) for month in months]
    chart = charts.lines([month["month"][2:].replace("-", ".") for month in months], {
        t("reporting.column.satisfied_share"): [_percent_number(m["satisfied_share"]) for m in months],
        t("reporting.column.score"): [m["score"] for m in months]}, nonce, t("reporting.chart.satisfaction"))
    rows = [(name, (m["answers"], m["satisfied_share"], m["score"])) for name, m in zip(labels, months, strict=True)]
    return Shown("satisfaction", chart, ("reporting.column.answers", "reporting.column.satisfied_share",
                                          "reporting.column.score"), rows)


def _percent_number(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 1)


def _short(day: date) -> str:
    return t("reporting.week_of", month=day.month, day=day.day)


def _month(text: str) -> str:
    year, month = text.split("-")
    return t("reporting.month_of", year=int(year), month=int(month))
