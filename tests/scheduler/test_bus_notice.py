"""The day-before notice of a job bus run, with a frozen clock: who is texted, when, how often."""

from __future__ import annotations

from datetime import date

import pytest
from scheduler_helpers import add_seeker, messages

from kiosk.alerts import recipients as alert_budget
from kiosk.core.db import transaction
from kiosk.outreach import runs
from scheduler import bus_notice
from sms.inbound import replies
from sms.outbound.inbox import InboundMessage

SUWON_CENTER, SEONGNAM_CENTER, GOYANG_CENTER = 2, 3, 4
HWASEONG, OSAN, SUWON, PAJU, UIWANG = "41590", "41370", "41110", "41480", "41430"


def plan(conn, clock, day: date, region: str = HWASEONG, place: str = "화성시청 앞 광장") -> int:
    with transaction(conn):
        return runs.add(conn, runs.Plan(bus="jobbus-1", day=day, starts="10:00", ends="16:00", place=place,
                                        address="경기도 화성시 남양읍 시청로 159", region=region,
                                        center_id=SUWON_CENTER), clock.now())


def notices_to(conn, phone: str) -> list:
    return [m for m in messages(conn, phone) if m["dedupe_key"].startswith("bus:")]


@pytest.fixture
def no_demo_runs(conn, clock):
    with transaction(conn):
        for run in runs.coming(conn, date(2026, 11, 23)):
            runs.cancel(conn, run["id"], clock.now())


@pytest.fixture
def people(conn, clock, no_demo_runs) -> dict[str, str]:
    """Seekers in and around 화성시 and elsewhere, by what the test expects of them."""
    now = clock.now()
    found = {
        "wants_hwaseong": ("+821020000001", {"regions": [HWASEONG], "center_id": GOYANG_CENTER}),
        "wants_osan_next_door": ("+821020000002", {"regions": [OSAN, PAJU], "center_id": GOYANG_CENTER}),
        "lives_in_suwon": ("+821020000003", {"center_id": SUWON_CENTER}),
        "wants_paju": ("+821020000004", {"regions": [PAJU], "center_id": GOYANG_CENTER}),
        "no_consent": ("+821020000005", {"regions": [HWASEONG], "consent": False}),
        "paused": ("+821020000006", {"regions": [HWASEONG], "paused": True}),
        "lives_in_seongnam": ("+821020000007", {"center_id": SEONGNAM_CENTER}),
        "english": ("+821020000008", {"regions": [HWASEONG], "language": "en", "center_id": GOYANG_CENTER}),
    }
    for phone, options in found.values():
        add_seeker(conn, phone, now, **options)
    return {name: phone for name, (phone, _) in found.items()}


TEXTED = {"wants_hwaseong", "wants_osan_next_door", "lives_in_suwon", "english"}


def test_a_run_tomorrow_in_hwaseong_texts_the_right_seekers_once_from_eight(app, conn, clock, people):
    plan(conn, clock, date(2026, 11, 25))  # Wednesday
    clock.advance(hours=21, minutes=59)  # Tuesday 07:59 in Seoul
    assert bus_notice.run(app) == {"runs": 0, "notices": 0}
    assert not any(notices_to(conn, phone) for phone in people.values())
    clock.advance(minutes=1)  # 08:00
    assert bus_notice.run(app) == {"runs": 1, "notices": len(TEXTED)}
    for name, phone in people.items():
        sent = notices_to(conn, phone)
        assert len(sent) == (1 if name in TEXTED else 0), name
    (korean,) = notices_to(conn, people["wants_hwaseong"])
    assert korean["kind"] == "alert" and korean["status"] == "queued"
    lines = korean["body"].split("\n")
    assert lines[0] == "[잡스탑] 내일 일자리버스가 화성시에 갑니다"
    assert "11월 25일(수) 오전 10:00~오후 4:00" in lines and "화성시청 앞 광장 (화성시)" in lines
    assert lines[-1] == "그만 받기: 중지" and "https://jobstop.example.kr/bus" in korean["body"]
    (english,) = notices_to(conn, people["english"])
    assert english["body"].endswith("To stop: reply STOP") and "Hwaseong" in english["body"]
    clock.advance(hours=1)
    assert bus_notice.run(app) == {"runs": 0, "notices": 0}  # the next pass finds it done
    assert sum(len(notices_to(conn, phone)) for phone in people.values()) == len(TEXTED)


def test_it_counts_in_the_alert_budget_and_a_spent_budget_gets_none(app, conn, clock, people):
    seeker_of = {phone: conn.execute("SELECT id FROM seekers WHERE phone = ?", (phone,)).fetchone()[0]
                 for phone in people.values()}
    with transaction(conn):  # three instant alerts already counted for Tuesday
        alert_budget.count_sent_many(conn, [(seeker_of[people["lives_in_suwon"]], "2026-11-24", 3)])
    plan(conn, clock, date(2026, 11, 25))
    clock.advance(hours=22)  # Tuesday 08:00
    assert bus_notice.run(app)["notices"] == len(TEXTED) - 1
    assert notices_to(conn, people["lives_in_suwon"]) == []
    counted = conn.execute("SELECT sent FROM alert_daily_counts WHERE seeker_id = ? AND day = '2026-11-24'",
                           (seeker_of[people["wants_hwaseong"]],)).fetchone()[0]
    assert counted == 1


def test_never_in_quiet_hours(app, conn, clock, people):
    plan(conn, clock, date(2026, 11, 24))  # tomorrow, planned Monday late in the evening
    clock.advance(hours=11, minutes=30)  # Monday 21:30
    assert bus_notice.run(app) == {"runs": 0, "notices": 0}
    assert not any(notices_to(conn, phone) for phone in people.values())


def test_not_twice_in_a_week_but_again_the_next_week(app, conn, clock, people):
    plan(conn, clock, date(2026, 11, 25))
    plan(conn, clock, date(2026, 11, 27), region=SUWON, place="수원역 광장")  # Friday, next door
    add_seeker(conn, "+821020000009", clock.now(), regions=[UIWANG], center_id=GOYANG_CENTER)  # next to 수원 only
    clock.advance(hours=22)  # Tuesday 08:00: Wednesday's run
    bus_notice.run(app)
    clock.advance(days=2)  # Thursday 08:00: Friday's run
    assert bus_notice.run(app)["notices"] == 1  # only the seeker not told this week
    assert len(notices_to(conn, "+821020000009")) == 1
    assert len(notices_to(conn, people["wants_hwaseong"])) == 1 and len(notices_to(conn, people["lives_in_suwon"])) == 1
    plan(conn, clock, date(2026, 12, 1))  # next Tuesday, in 화성 again
    clock.advance(days=4)  # Monday 30th 08:00
    assert bus_notice.run(app)["notices"] == len(TEXTED)
    assert len(notices_to(conn, people["wants_hwaseong"])) == 2


def test_stop_cancels_a_waiting_notice_and_the_opted_out_get_none(app, conn, clock, people):
    plan(conn, clock, date(2026, 11, 25))
    with transaction(conn):
        replies.route(conn, InboundMessage(0, "SM-stop", people["english"], "STOP", clock.now()), clock.now(),
                      app.config)
    clock.advance(hours=22)
    assert bus_notice.run(app)["notices"] == len(TEXTED) - 1
    assert notices_to(conn, people["english"]) == []
    with transaction(conn):
        replies.route(conn, InboundMessage(0, "SM-stop2", people["wants_hwaseong"], "수신거부", clock.now()),
                      clock.now(), app.config)
    (notice,) = notices_to(conn, people["wants_hwaseong"])
    assert notice["status"] == "cancelled"
