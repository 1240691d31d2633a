"""The demo openings look like a real province's: coverage, wages, hours, addresses, wording."""

from __future__ import annotations

import re
from datetime import date

import pytest

from kiosk.core.hangul_particles import object_particle
from kiosk.core.regions import EMPLOYMENT_TYPES, GYEONGGI, MINIMUM_HOURLY_WAGE, MONTHLY_HOURS, OCCUPATIONS, REGIONS
from kiosk.demo import loader as demo
from kiosk.demo.jobs import SCHEDULES
from kiosk.openings import importer
from kiosk.openings import store as openings

TODAY = date(2026, 11, 23)
CITIES_WITH_DISTRICTS = {"41110": ("팔달구", "영통구", "장안구", "권선구"),
                         "41130": ("분당구", "수정구", "중원구"),
                         "41170": ("만안구", "동안구"), "41270": ("상록구", "단원구"),
                         "41280": ("덕양구", "일산동구", "일산서구"),
                         "41460": ("처인구", "기흥구", "수지구")}


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return list(demo.generate_openings(2400, TODAY))


def test_the_demo_is_deterministic_and_covers_the_province(rows):
    assert rows == list(demo.generate_openings(2400, TODAY))
    assert len(rows) >= 2000
    assert {r["region"] for r in rows} == set(REGIONS) and len(REGIONS) == 31 + 25
    assert {r["occupation"] for r in rows} == set(OCCUPATIONS)
    assert {r["employment_type"] for r in rows} == set(EMPLOYMENT_TYPES)
    assert {r["wage_kind"] for r in rows} == {"hourly", "monthly"}


def test_every_demo_opening_is_one_the_importer_would_accept(rows):
    for n, row in enumerate(rows):
        record = {k: "" if v is None else str(v) for k, v in row.items()}
        checked, problems = importer.check_row(record, n + 2)
        assert problems == [], (row, problems)
        assert row["deadline"] is None or row["deadline"] >= row["posted_on"]


def test_wages_are_never_below_the_minimum_over_the_schedules_real_hours(rows):
    hours = {(s.hours, s.days): s.monthly_hours for family in SCHEDULES.values() for s in family}
    for row in rows:
        assert row["hourly_wage"] >= MINIMUM_HOURLY_WAGE, row
        if row["wage_kind"] == "monthly":
            monthly = hours[row["work_hours"], row["work_days"]]
            assert row["hourly_wage"] == round(row["wage_amount"] / monthly)
    shift = next(r for r in rows if r["work_days"] == "격일" and r["wage_kind"] == "monthly")
    assert shift["hourly_wage"] < shift["wage_amount"] / MONTHLY_HOURS  # more hours than 209


def test_a_40_hour_week_is_the_statutory_209_hours_a_month():
    assert demo.Schedule("09:00~18:00", "월~금", 40, ("full_time",)).monthly_hours == MONTHLY_HOURS


def test_hours_fit_the_job(rows):
    for row in rows:
        if "격일" in row["work_days"] or "24시간" in row["work_hours"]:
            assert row["occupation"] == "security" and row["employment_type"] in ("full_time", "contract")
        if row["occupation"] == "education":
            start, end = (int(h) for h in re.findall(r"(\d\d):\d\d", row["work_hours"])[:2])
            assert 9 <= start <= 15 and end <= 21, row
        if row["title"] in ("유치원 보조교사", "돌봄교실 전담사", "방과후 강사"):
            assert int(row["work_hours"][6:8]) <= 17, row
    guards = [r for r in rows if r["title"] == "아파트 경비원"]
    assert any(r["work_days"] == "격일" for r in guards)
    assert any("22:00" in r["work_hours"] for r in rows if r["occupation"] == "food")


def test_descriptions_use_the_right_object_particle(rows):
    for row in rows:
        assert "을(를)" not in row["description"]
        assert f"에서 {object_particle(row['title'])} 모집합니다." in row["description"]
    text = " ".join(r["description"] for r in rows)
    assert "아파트 경비원을 모집합니다" in text and "유치원 보조교사를 모집합니다" in text


def test_applications_by_text_name_a_mobile_number(rows):
    by_text = [r for r in rows if "문자" in r["how_to_apply"]]
    assert len(by_text) > 100
    for row in by_text:
        number = re.search(r"\((0[\d-]+)\)", row["how_to_apply"]).group(1)
        assert re.fullmatch(r"010-0\d{3}-\d{4}", number) and row["contact_phone"] == number
    for row in rows:
        if "전화" in row["how_to_apply"]:
            assert not row["contact_phone"].startswith("010")


def test_addresses_name_the_district_and_neighbourhood(rows):
    for row in rows:
        if row["region"] in CITIES_WITH_DISTRICTS:
            assert any(f" {gu} " in row["address"] for gu in CITIES_WITH_DISTRICTS[row["region"]]), row
        assert re.search(r"(동|가|\d가)\)$|[읍면] ", row["address"]), row
    suwon = {gu for r in rows if r["region"] == "41110" for gu in CITIES_WITH_DISTRICTS["41110"]
             if gu in r["address"]}
    assert suwon == set(CITIES_WITH_DISTRICTS["41110"])
    assert any(r["region"] in GYEONGGI and "읍 " in r["address"] for r in rows)


@pytest.mark.parametrize(("term", "region"), [("팔달구", "41110"), ("인계동", "41110"),
                                              ("분당구", "41130"), ("신림동", "11620")])
def test_a_neighbourhood_search_finds_openings_there(conn, term, region):
    total, found = openings.find_open(conn, openings.Filters(q=term), TODAY, limit=10_000)
    expected = {r["id"] for r in conn.execute(
        "SELECT id FROM openings WHERE status = 'open' AND (deadline IS NULL OR deadline >= ?)"
        " AND instr(address, ?) > 0", (TODAY.isoformat(), term))}
    assert total == len(found) == len(expected) > 0
    assert {r["id"] for r in found} == expected and {r["region"] for r in found} == {region}


def test_the_stored_hourly_wage_is_over_the_schedules_hours_not_the_statutory_month(conn):
    shifts = conn.execute("SELECT wage_amount, hourly_wage FROM openings"
                          " WHERE work_days = '격일' AND wage_kind = 'monthly'").fetchall()
    assert shifts and all(hourly < amount / MONTHLY_HOURS for amount, hourly in shifts)
