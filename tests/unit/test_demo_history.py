"""The demo's two years of history: every figure kiosk.stats gives for it (JSON, CSV and XLSX from
`jobstop stats`) equals the one counted the plain way from the raw rows (tests/stats_truth.py), and
the history has the shape of the published tables it imitates."""

from __future__ import annotations

import csv
import io
import json
import time
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from stats_truth import truth
from support import SECRET, START, ZONE, make_app

from kiosk.cli import main
from kiosk.core import db
from kiosk.core.clock import FrozenClock, parse_iso
from kiosk.demo import history
from kiosk.demo import loader as demo
from kiosk.stats.export import rows

YEAR = ("2025-11-23", "2026-11-22")  # the year up to yesterday
FIRST, LAST = date(2025, 11, 23), date(2026, 11, 22)


@pytest.fixture(scope="module")
def demo_history(tmp_path_factory):
    """A database with the demo and its history, built once for the module; (path, seconds it took:
    processor time, as the machine the tests run on is shared and its wall clock says little)."""
    path = str(tmp_path_factory.mktemp("history") / "history.sqlite3")
    db.init_db(path)
    conn = db.connect(path)
    demo.load(conn, parse_iso(START), ZONE, secret=SECRET)
    started = time.process_time()
    assert history.load(conn, parse_iso(START), ZONE) > 20_000
    took = time.process_time() - started
    assert history.load(conn, parse_iso(START), ZONE) == 0  # again: nothing more
    conn.close()
    return path, took


@pytest.fixture(scope="module")
def outputs(demo_history, tmp_path_factory):
    """What `jobstop stats` writes for the year: JSON, CSV and XLSX, and the figures counted plainly."""
    folder = tmp_path_factory.mktemp("outputs")
    app = make_app(demo_history[0], FrozenClock(START), folder)
    runner = app.test_cli_runner()
    args = ["stats", "--from", YEAR[0], "--to", YEAR[1]]
    figures = json.loads(runner.invoke(main, [*args, "--format", "json"]).output)
    table = list(csv.reader(io.StringIO(runner.invoke(main, [*args, "--format", "csv"]).output.lstrip("\ufeff"))))
    assert runner.invoke(main, [*args, "--format", "xlsx", "-o", str(folder / "f.xlsx")]).exit_code == 0
    sheet = [tuple(row) for row in load_workbook(folder / "f.xlsx").active.iter_rows(values_only=True)]
    conn = db.connect(demo_history[0])
    counted = truth(conn, FIRST, LAST, ZONE)
    booth = conn.execute("SELECT id FROM centers WHERE kind = 'booth'").fetchone()[0]
    one = json.loads(runner.invoke(main, [*args, "--format", "json", "--center", "수원역"]).output)
    counted_one = truth(conn, FIRST, LAST, ZONE, center_id=booth)
    conn.close()
    return figures, table, sheet, counted, one, counted_one


def by_code(items: list[dict]) -> dict[str, tuple[int, float]]:
    return {item["code"]: (item["count"], item["share"]) for item in items}


def test_it_loads_in_under_a_minute(demo_history):
    assert demo_history[1] < 60


def test_a_small_history_on_this_engine_gives_the_figures_counted_from_its_rows(conn, runner):
    """On SQLite and on PostgreSQL (JOBSTOP_TEST_DATABASE): a twentieth of the history."""
    assert 1_500 < history.load(conn, parse_iso(START), ZONE, scale=0.05) < 4_000
    figures = json.loads(runner.invoke(args=["stats", "--from", YEAR[0], "--to", YEAR[1], "--format", "json"]).output)
    counted = truth(conn, FIRST, LAST, ZONE)
    assert (figures["registered"]["count"], figures["hired"]["count"]) == (counted["registered"], counted["hired"])
    assert figures["consultations"]["count"] == counted["consultations"] > 5_000
    assert figures["satisfaction"]["answers"] == counted["answers"]
    snapshots = conn.execute("SELECT count(*) FROM stats_snapshots WHERE center_id = 0").fetchone()[0]
    assert snapshots > 700  # every past day of the history


def test_every_figure_equals_the_one_counted_from_the_rows(outputs):
    for figures, counted in (outputs[0], outputs[3]), (outputs[4], outputs[5]):
        registered, hired = figures["registered"], figures["hired"]
        assert (registered["count"], hired["count"], hired["rate"]) == (
            counted["registered"], counted["hired"], counted["rate"])
        assert hired["per_day"] == counted["per_day"]
        assert by_code(registered["by_age_band"]) == counted["registered_by_age_band"]
        assert by_code(registered["by_channel"]) == counted["registered_by_channel"]
        assert by_code(registered["by_program"]) == counted["registered_by_program"]
        assert by_code(hired["by_occupation"]) == counted["hired_by_occupation"]
        assert by_code(hired["by_age_band"]) == counted["hired_by_age_band"]
        assert by_code(hired["by_region"]) == counted["hired_by_region"]
        assert by_code(hired["by_program"]) == counted["hired_by_program"]
        assert {p["code"]: (p["registered"], p["hired"]) for p in figures["by_place"]} == counted["places"]
        assert (figures["job_bus"]["runs"], figures["job_bus"]["hired"]) == counted["bus"]
        counseled = figures["consultations"]
        assert counseled["count"] == counted["consultations"]
        assert counseled["per_registered"] == round(counted["consultations"] / counted["registered"], 2)
        assert {t["code"]: t["count"] for t in counseled["by_topic"]} == counted["topics"]
        assert {c["code"]: c["count"] for c in counseled["by_channel"] if c["count"]} == counted["channels"]
        assert figures["referrals"] == {"count": counted["referrals"],
                                        "per_registered": round(counted["referrals"] / counted["registered"], 2)}
        assert figures["counselors_active"] == counted["counselors"]
        happy = figures["satisfaction"]
        assert (happy["answers"], happy["satisfied"], happy["average"], happy["score"]) == (
            counted["answers"], counted["satisfied"], counted["average"], counted["score"])
        assert [(u["code"], u["count"]) for u in figures["unhired_occupations"]] == counted["unhired"][:5]
        weeks = {date.fromisoformat(w["start"]): (w["registered"], w["hired"]) for w in figures["trend"]["weeks"]}
        registered_weeks, hired_weeks = counted["weeks"]
        for week, (people, hires) in weeks.items():
            monday = week - timedelta(days=week.weekday())
            assert (people, hires) == (registered_weeks.get(monday, 0), hired_weeks.get(monday, 0)), week


def test_the_csv_and_the_xlsx_hold_exactly_the_json_s_numbers(outputs):
    figures, table, sheet = outputs[0], outputs[1], outputs[2]
    expected = list(rows(figures))
    assert tuple(table[0]) == sheet[0] == ("section", "key", "label", "measure", "value")
    assert len(table) - 1 == len(sheet) - 1 == len(expected) > 300
    for line, cells, row in zip(table[1:], sheet[1:], expected, strict=True):
        assert tuple(line[:4]) == tuple("" if c is None else str(c) for c in cells[:4]) == tuple(map(str, row[:4]))
        value = row[4]
        assert cells[4] == (None if value == "" else value), row  # a workbook keeps no empty text
        assert line[4] == ("" if value is None else str(value)), row
    csv_hired = {(r[0], r[1], r[3]): r[4] for r in table[1:]}
    security = outputs[3]["hired_by_occupation"]["security"][0]
    assert csv_hired[("hired.by_occupation", "security", "count")] == str(security)


def test_the_history_has_the_shape_of_the_published_tables(outputs):
    figures = outputs[0]
    assert 0.47 <= figures["hired"]["rate"] <= 0.51  # Seoul: 49.3%
    occupations = {item["code"]: item["share"] for item in figures["hired"]["by_occupation"]}
    assert abs(occupations["office"] - 0.255) < 0.015 and abs(occupations["security"] - 0.174) < 0.015
    assert abs(occupations["culture"] - 0.071) < 0.01
    ages = {item["code"]: item["share"] for item in figures["hired"]["by_age_band"]}
    assert abs(ages["29"] - 0.299) < 0.015 and abs(ages["40_54"] - 0.251) < 0.015
    assert abs(ages["55"] - 0.244) < 0.015
    assert 6.5 <= figures["consultations"]["per_registered"] <= 8  # about 7
    assert 2.7 <= figures["referrals"]["per_registered"] <= 3.6  # about 3
    assert 0.66 <= figures["satisfaction"]["satisfied_share"] <= 0.74  # 70.2%
    assert figures["comparison"]["year_before"]["change"]["satisfaction_score"] > 2  # 65.4 → 70.2
    assert 0.25 <= figures["comparison"]["year_before"]["change"]["registered"] <= 0.42  # +33%
    booth = next(place for place in figures["by_place"] if place["code"] == "suwon-station")
    assert 14 <= booth["per_day"] <= 18  # 16 a day
    assert 120 <= figures["job_bus"]["runs"] <= 160 and 4 <= figures["job_bus"]["per_run"] <= 6
    assert figures["counselors_active"] >= 20
