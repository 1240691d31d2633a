"""The published outcome figures, computed from recorded registrations, hires, consultations,
referrals and answers, for a period and a scope (a center, a kiosk, a city)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from kiosk.cli import main
from kiosk.core import db
from kiosk.counseling import appointments, records
from kiosk.seekers import programs
from kiosk.seekers import store as seekers
from kiosk.stats import figures as stats
from kiosk.stats.scope import Period, Scope

ZONE = "Asia/Seoul"
OCTOBER = Period(date(2025, 10, 1), date(2025, 10, 31))
TODAY = date(2025, 12, 1)


def at(day: int, hour: int = 1, month: int = 10) -> datetime:
    return datetime(2025, month, day, hour, 0, tzinfo=UTC)


def person(conn, n: int, birth_year: int, kiosk: str, center: int, registered: datetime,
           program: tuple[str, ...] = ()) -> int:
    seeker_id, _ = seekers.register(conn, phone=f"+82103333{n:04d}", profile={"birth_year": birth_year},
                                    wanted={"program": list(program)}, alerts=False, night=False,
                                    kiosk={"code": kiosk, "center_id": center}, consent_ids=[], now=registered)
    return seeker_id


def hire(conn, seeker_id: int, occupation: str, when: datetime) -> None:
    seekers.mark_employed(conn, seeker_id, occupation=occupation, employer="한빛물산", now=when)


def visit(conn, seeker_id: int, center: int, counselor: int, when: datetime, kind: str = "counseling",
          outcome: str = "not_hired", score: int | None = None, channel: str = "visit") -> int:
    appointment_id = appointments.insert(conn, kind=kind, center_id=center, counselor_id=counselor,
                                         seeker_id=seeker_id, starts_at=when, slot_start=None, status="booked",
                                         booked_via="sms", now=when)
    appointments.record_outcome(conn, appointment_id, outcome, when)
    if outcome != "no_show":
        records.for_appointment(conn, appointments.get(conn, appointment_id), topic="job_seeking", channel=channel)
    if score:
        appointments.record_satisfaction(conn, appointments.get(conn, appointment_id), score, when)
    return appointment_id


@pytest.fixture
def october(conn):
    """Two kiosks' registrations, hires, consultations, referrals and answers in October 2025 (and around it)."""
    seongnam = conn.execute("SELECT id FROM centers WHERE name = '성남시 일자리센터'").fetchone()[0]
    one, two = [row[0] for row in conn.execute("SELECT id FROM counselors WHERE center_id = 1 ORDER BY id LIMIT 2")]
    with db.transaction(conn):
        a = person(conn, 1, 1960, "suwon-station", 1, at(2), ("senior",))
        b = person(conn, 2, 1998, "suwon-station", 1, at(3), ("youth", "career_break"))
        person(conn, 3, 1975, "suwon-station", 1, at(4))
        person(conn, 4, 1990, "suwon-station", 1, at(31, hour=14))             # 23:00 on 31 October in Seoul
        e = person(conn, 5, 1976, "seongnam-moran", seongnam, at(6))
        person(conn, 6, 1985, "seongnam-moran", seongnam, at(7))
        person(conn, 7, 1985, "seongnam-moran", seongnam, at(31, hour=16))      # 1 November in Seoul: outside
        late = person(conn, 8, 1965, "suwon-station", 1, at(20, month=9))
        hire(conn, a, "security", at(20))
        hire(conn, b, "office", at(21))
        hire(conn, e, "security", at(22))
        hire(conn, late, "care", at(3, month=11))                                # November: outside
        for day, score in ((10, 5), (12, None), (14, 4)):
            visit(conn, a, 1, one, at(day), score=score)
        visit(conn, b, 1, two, at(11), kind="follow_up", score=2, channel="phone")
        visit(conn, b, 1, two, at(15), kind="interview", outcome="hired")       # an interview is no consultation
        visit(conn, e, seongnam, None, at(16), outcome="no_show")               # a no-show is no consultation
        records.consultation(conn, seeker_id=e, center_id=seongnam, counselor_id=None, topic="business",
                             channel="text", now=at(17))
        for employer in ("한빛물산", "새봄식품", "다온물류"):
            records.placement(conn, seeker_id=a, center_id=1, counselor_id=one, employer=employer,
                              occupation=None, now=at(9))
        records.placement(conn, seeker_id=e, center_id=seongnam, counselor_id=None, employer="한빛물산",
                          occupation="security", now=at(9))
    return {"seongnam": seongnam}


def test_the_figures_centers_publish(conn, october):
    figures = stats.summary(conn, OCTOBER, Scope(), ZONE, TODAY)
    registered, hired = figures["registered"], figures["hired"]
    assert (registered["count"], hired["count"], hired["rate"], hired["per_day"]) == (6, 3, 0.5, 0.1)
    assert hired["by_occupation"] == [{"code": "security", "count": 2, "share": 0.6667},
                                      {"code": "office", "count": 1, "share": 0.3333}]
    assert {row["code"]: row["count"] for row in hired["by_age_band"]} == {"55": 1, "29": 1, "40_54": 1}
    assert {row["code"]: row["count"] for row in registered["by_program"]} == {
        "senior": 1, "youth": 1, "career_break": 1}
    assert {row["code"]: row["count"] for row in hired["by_program"]} == {"senior": 1, "youth": 1, "career_break": 1}
    assert {row["code"]: row["count"] for row in registered["by_channel"]} == {"booth": 4, "kiosk": 2}
    assert {row["code"]: row["count"] for row in hired["by_region"]} == {"41110": 2, "41130": 1}
    counseled = figures["consultations"]
    assert (counseled["count"], counseled["per_registered"]) == (5, 0.83)  # over registered seekers, not counseled
    assert {row["code"]: row["count"] for row in counseled["by_topic"]} == {"job_seeking": 4, "business": 1}
    assert {row["code"]: row["count"] for row in counseled["by_channel"]} == {
        "visit": 3, "phone": 1, "text": 1, "kiosk": 0}
    assert figures["referrals"] == {"count": 4, "per_registered": 0.67}
    assert figures["counselors_active"] == 2
    assert figures["satisfaction"] == {"answers": 3, "satisfied": 2, "satisfied_share": 0.6667, "average": 3.67,
                                       "score": 66.7}
    places = {row["code"]: (row["registered"], row["hired"]) for row in figures["by_place"]}
    assert places == {"suwon-station": (4, 2), "seongnam-moran": (2, 1)}
    centers = {row["name"]: row for row in figures["by_center"]}
    booth = centers["수원역 일자리센터 상담부스"]
    assert (booth["consultations"], booth["referrals"]) == (4, 3)
    assert (centers["성남시 일자리센터"]["registered"], centers["성남시 일자리센터"]["hired"]) == (2, 1)
    weeks = figures["trend"]["weeks"]
    assert weeks[0]["start"] == "2025-10-01" and sum(w["registered"] for w in weeks) == 6
    assert sum(w["hired"] for w in weeks) == 3
    previous = figures["comparison"]["previous"]
    assert (previous["start"], previous["end"], previous["registered"]) == ("2025-08-31", "2025-09-30", 1)
    assert previous["change"]["registered"] == 5.0  # 1 → 6: +500%


def test_one_center_one_kiosk_one_city(conn, october):
    one = stats.summary(conn, OCTOBER, Scope(center_id=october["seongnam"]), ZONE, TODAY)
    assert (one["registered"]["count"], one["hired"]["count"], one["consultations"]["count"]) == (2, 1, 1)
    assert [row["name"] for row in one["by_center"]] == ["성남시 일자리센터"]
    kiosk = stats.summary(conn, OCTOBER, Scope(kiosk_code="suwon-station"), ZONE, TODAY)
    assert (kiosk["registered"]["count"], kiosk["hired"]["count"], kiosk["referrals"]["count"]) == (4, 2, 3)
    city = stats.summary(conn, OCTOBER, Scope(region="41130"), ZONE, TODAY)
    assert (city["registered"]["count"], city["hired"]["count"]) == (2, 1)
    nothing = stats.summary(conn, Period(date(2024, 1, 1), date(2024, 1, 31)), Scope(), ZONE, TODAY)
    assert nothing["hired"]["rate"] is None and nothing["consultations"]["per_registered"] is None


def test_a_program_staff_set_counts_and_one_no_longer_offered_still_counts(conn, october):
    seeker = seekers.find_by_phone(conn, "+821033330003")
    programs.set_for_seeker(conn, seeker["id"], ["disability"], by="staff", now=at(5))
    programs.set_offered(conn, "disability", False)
    assert "disability" not in programs.offered(conn)
    figures = stats.summary(conn, OCTOBER, Scope(), ZONE, TODAY)
    assert {row["code"]: row["count"] for row in figures["registered"]["by_program"]}["disability"] == 1
    with pytest.raises(ValueError):
        programs.set_for_seeker(conn, seeker["id"], ["astronaut"], by="staff", now=at(5))


def test_jobstop_stats_prints_them_in_every_format(runner, october, tmp_path):
    args = ["stats", "--from", "2025-10-01", "--to", "2025-10-31"]
    output = runner.invoke(args=args).output
    for expected in ("등록 구직자: 6명", "취업자: 3명 (취업률 50.0%)", "경비·청소: 2 (66.7%)", "55세 이상: 1",
                     "상담: 5건 (1인당 0.83회)", "알선: 4건 (1인당 0.67회)",
                     "수원역 맞이방 키오스크: 등록 4명, 취업 2명",
                     "만족도: 66.7% (평균 3.67점, 응답 3건)", "100점 환산 66.7점", "활동 상담사: 2명"):
        assert expected in output, expected
    seongnam = runner.invoke(args=[*args, "--center", "성남시"]).output
    assert "등록 구직자: 2명" in seongnam and "취업자: 1명" in seongnam
    assert "Seekers hired: 3 (success rate 50.0%)" in runner.invoke(args=[*args, "--language", "en"]).output
    figures = json.loads(runner.invoke(args=[*args, "--format", "json"]).output)
    assert figures["hired"]["count"] == 3 and figures["version"] == 1
    csv_text = runner.invoke(args=[*args, "--format", "csv"]).output
    assert "hired.by_occupation,security,경비·청소,count,2" in csv_text
    book = tmp_path / "figures.xlsx"
    assert runner.invoke(args=[*args, "--format", "xlsx", "-o", str(book)]).exit_code == 0
    sheet = load_workbook(book).active
    assert ("hired", None, None, "count", 3) in [tuple(row) for row in sheet.iter_rows(values_only=True)]
    assert runner.invoke(args=[*args, "--format", "xlsx"]).exit_code != 0  # a workbook needs a file
    assert runner.invoke(args=["stats", "--center", "없는센터"]).exit_code != 0
    assert runner.invoke(args=["stats", "--from", "2025-10-31", "--to", "2025-10-01"]).exit_code != 0


def test_jobstop_stats_on_a_database_never_started_says_what_to_run(tmp_path):
    result = CliRunner().invoke(main, ["stats"], env={"JOBSTOP_DATABASE": str(tmp_path / "new.sqlite3"),
                                                      "FLASK_SKIP_DOTENV": "1"})
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "jobstop init-db" in lines[0] and "no such table" not in result.output
