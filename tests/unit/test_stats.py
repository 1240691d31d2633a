"""The published outcome figures, computed from recorded registrations, hires, appointments and answers."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from kiosk.core.clock import iso
from kiosk.counseling import appointments
from kiosk.seekers import store as seekers
from kiosk.stats import figures as stats

ZONE = "Asia/Seoul"
OCTOBER = (date(2025, 10, 1), date(2025, 10, 31))


def at(day: int, hour: int = 1, month: int = 10) -> datetime:
    return datetime(2025, month, day, hour, 0, tzinfo=UTC)


def person(conn, n: int, birth_year: int, kiosk: str, center: int, registered: datetime) -> int:
    seeker_id, _ = seekers.register(conn, phone=f"+82103333{n:04d}", profile={"birth_year": birth_year},
                                    wanted={}, alerts=False, night=False,
                                    kiosk={"code": kiosk, "center_id": center}, consent_ids=[], now=registered)
    return seeker_id


def hire(conn, seeker_id: int, occupation: str, when: datetime) -> None:
    seekers.mark_employed(conn, seeker_id, occupation=occupation, employer="한빛물산", now=when)


def visit(conn, seeker_id: int, center: int, when: datetime, kind: str = "counseling",
          outcome: str = "not_hired", score: int | None = None) -> int:
    appointment_id = appointments.insert(conn, kind=kind, center_id=center, counselor_id=None, seeker_id=seeker_id,
                                         starts_at=when, slot_start=None, status="booked", booked_via="sms",
                                         now=when)
    appointments.record_outcome(conn, appointment_id, outcome, when)
    if score:
        appointments.record_satisfaction(conn, appointments.get(conn, appointment_id), score, when)
    return appointment_id


def refer(conn, seeker_id: int, center: int, when: datetime, opening_id: int) -> None:
    conn.execute("INSERT INTO referral_requests (seeker_id, opening_id, kiosk_code, center_id, created_at,"
                 " updated_at) VALUES (?, ?, 'suwon-station', ?, ?, ?)",
                 (seeker_id, opening_id, center, iso(when), iso(when)))


@pytest.fixture
def october(conn):
    """Two kiosks' registrations, hires, visits, referrals and answers in October 2025 (and around it)."""
    seongnam = conn.execute("SELECT id FROM centers WHERE name = '성남시 일자리센터'").fetchone()[0]
    a = person(conn, 1, 1960, "suwon-station", 1, at(2))
    b = person(conn, 2, 1998, "suwon-station", 1, at(3))
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
        visit(conn, a, 1, at(day), score=score)
    visit(conn, b, 1, at(11), kind="follow_up", score=2)
    visit(conn, b, 1, at(15), kind="interview", outcome="hired")             # an interview is no consultation
    visit(conn, e, seongnam, at(16), outcome="no_show")                      # a no-show is no consultation
    openings = [row[0] for row in conn.execute("SELECT id FROM openings ORDER BY id LIMIT 4")]
    for opening in openings[:3]:
        refer(conn, a, 1, at(9), opening)
    refer(conn, e, seongnam, at(9), openings[3])
    return {"seongnam": seongnam}


def test_the_figures_centers_publish(conn, october):
    figures = stats.summary(conn, start=OCTOBER[0], end=OCTOBER[1], center_id=None, zone=ZONE)
    assert figures["registered"] == 6 and figures["hired"] == 3 and figures["success_rate"] == 0.5
    assert figures["hires_by_occupation"] == [{"code": "security", "count": 2, "share": 0.6667},
                                              {"code": "office", "count": 1, "share": 0.3333}]
    assert {row["code"]: row["count"] for row in figures["hires_by_age_band"]} == {"55": 1, "29": 1, "40_54": 1}
    assert figures["consultations"] == {"count": 4, "seekers": 2, "per_seeker": 2.0}
    assert figures["referrals"] == {"count": 4, "seekers": 2, "per_seeker": 2.0}
    assert figures["satisfaction"] == {"answers": 3, "average": 3.67, "satisfied_share": 0.6667}
    places = {row["code"]: (row["registered"], row["hired"]) for row in figures["by_kiosk"]}
    assert places == {"suwon-station": (4, 2), "seongnam-moran": (2, 1)}
    centers = {row["name"]: row for row in figures["by_center"]}
    assert centers["수원역 일자리센터 상담부스"]["consultations"] == 4
    assert (centers["성남시 일자리센터"]["registered"], centers["성남시 일자리센터"]["hired"]) == (2, 1)


def test_one_center_and_open_ended_periods(conn, october):
    one = stats.summary(conn, start=OCTOBER[0], end=OCTOBER[1], center_id=october["seongnam"], zone=ZONE)
    assert (one["registered"], one["hired"], one["consultations"]["count"]) == (2, 1, 0)
    assert [row["name"] for row in one["by_center"]] == ["성남시 일자리센터"]
    since = stats.summary(conn, start=date(2025, 9, 1), end=date(2025, 12, 31), center_id=None, zone=ZONE)
    assert (since["registered"], since["hired"]) == (8, 4)
    nothing = stats.summary(conn, start=date(2024, 1, 1), end=date(2024, 1, 31), center_id=None, zone=ZONE)
    assert nothing["success_rate"] is None and nothing["consultations"]["per_seeker"] is None


def test_jobstop_stats_prints_them(runner, october):
    output = runner.invoke(args=["stats", "--from", "2025-10-01", "--to", "2025-10-31"]).output
    for expected in ("등록 구직자: 6명", "취업자: 3명 (취업률 50.0%)", "경비·청소: 2 (66.7%)", "55세 이상: 1",
                     "상담: 4건 (1인당 2.0회)", "알선: 4건 (1인당 2.0회)", "수원역 맞이방 키오스크: 등록 4명, 취업 2명",
                     "만족도: 66.7% (평균 3.67점, 응답 3건)"):
        assert expected in output, expected
    seongnam = runner.invoke(args=["stats", "--from", "2025-10-01", "--to", "2025-10-31", "--center", "성남시"])
    assert "등록 구직자: 2명" in seongnam.output and "취업자: 1명" in seongnam.output
    english = runner.invoke(args=["stats", "--from", "2025-10-01", "--to", "2025-10-31", "--language", "en"])
    assert "Seekers hired: 3 (success rate 50.0%)" in english.output
    assert runner.invoke(args=["stats"]).output.startswith("기간: 전체")
    assert runner.invoke(args=["stats", "--from", "2025-10-01"]).output.startswith("기간: 2025-10-01 ~ 오늘")
    unknown = runner.invoke(args=["stats", "--center", "없는센터"])
    assert unknown.exit_code != 0
