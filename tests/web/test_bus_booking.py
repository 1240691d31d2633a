"""A booking made on the job bus goes to a counselor aboard: during the run's hours the bus
kiosk's booking screen offers today's slots of the counselors aboard, until the run ends, held
at the stop; outside them, the partner center's slots. Tapped through the kiosk's screens with
a frozen clock, one visitor after another."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from console_support import add_account, post, sign_in
from counselor_sms_helpers import latest_code, register_seeker

from kiosk.core.clock import iso
from kiosk.core.db import transaction
from kiosk.counseling import agenda
from kiosk.outreach import figures, runs

BUS = "/k/jobbus-1"
WEDNESDAY = date(2026, 11, 25)
STOP = "용인공용버스터미널 앞 (경기도 용인시 처인구 중부대로 1450)"  # the demo's Wednesday stop
TWO_PM = datetime(2026, 11, 25, 5, 0, tzinfo=UTC)  # 14:00 in Seoul


class Visitor:
    """Someone at the bus kiosk who logs in with their phone and a code, then books."""

    def __init__(self, client, conn, phone: str) -> None:
        self.client, self.conn, self.phone = client, conn, phone

    def token(self, html: str) -> str:
        return re.search(r'name="csrf_token" value="([^"]+)"', html)[1]

    def log_in(self) -> None:
        assert self.client.get(f"{BUS}/booking").status_code == 303
        token = self.token(self.client.get(f"{BUS}/verify/phone").text)
        self.client.post(f"{BUS}/verify/phone", data={"csrf_token": token, "phone": "0" + self.phone[3:]})
        done = self.client.post(f"{BUS}/verify/code", data={"csrf_token": token, "code": latest_code(self.conn)})
        assert done.status_code == 303 and done.headers["Location"].endswith(f"{BUS}/booking")

    def booking_screen(self) -> str:
        return self.client.get(f"{BUS}/booking").text

    def tap(self, slot: datetime) -> str:
        """Taps the time on the screen (its link), then answers 예약하기 on the confirmation."""
        screen = self.booking_screen()
        link = re.search(rf'href="([^"]*slot={re.escape(iso(slot))}[^"]*)"', screen)
        assert link, "the time is not offered"
        confirm = self.client.get(link[1].replace("&amp;", "&")).text
        assert "이 시간으로 예약할까요?" in confirm and STOP in confirm
        form = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', confirm))
        answer = self.client.post(f"{BUS}/booking", data=form)
        assert answer.status_code == 303, answer.text
        return self.client.get(answer.headers["Location"]).text


@pytest.fixture
def run(conn, clock):
    """The demo's Wednesday run, with both of 용인시 일자리센터's counselors aboard."""
    demo = runs.on_day(conn, "jobbus-1", WEDNESDAY)
    both = tuple(r[0] for r in conn.execute("SELECT id FROM counselors WHERE center_id = ? ORDER BY id",
                                            (demo["center_id"],)))
    with transaction(conn):
        runs.cancel(conn, demo["id"], clock.now())
        run_id = runs.add(conn, runs.Plan(bus="jobbus-1", day=WEDNESDAY, starts="10:00", ends="16:00",
                                          place=demo["place"], address=demo["address"], region=demo["region"],
                                          center_id=demo["center_id"], counselor_ids=both), clock.now())
    return runs.get(conn, run_id)


def visitor(client, conn, clock, phone: str) -> Visitor:
    register_seeker(conn, phone, clock.now(), kiosk="suwon-station", center=2)
    person = Visitor(client, conn, phone)
    person.log_in()
    return person


def test_during_the_run_visitors_book_the_counselors_aboard_at_the_stop(app, client, conn, clock, run):
    aboard = [c["id"] for c in runs.counselors_aboard(conn, run["id"])]
    clock.advance(days=2, hours=1, minutes=5)  # Wednesday 11:05, the bus at 용인
    first = visitor(client, conn, clock, "+821055550101")
    screen = first.booking_screen()
    assert STOP in screen and "오늘 오후 4:00까지 있습니다" in screen
    offered = re.findall(r"slot=(2026-11-\d\dT\d\d:\d\d:00Z)", screen)
    assert offered[0] == "2026-11-25T02:30:00Z" and offered[-1] == "2026-11-25T06:30:00Z"  # 11:30 … 15:30
    assert "2026-11-26" not in screen  # today only: the bus is elsewhere tomorrow
    assert "용인시 일자리센터" in screen  # the partner center, a tap away
    done = first.tap(TWO_PM)
    assert STOP in done and "11월 25일(수) 오후 2:00" in done

    booked = conn.execute("SELECT * FROM appointments ORDER BY id DESC LIMIT 1").fetchone()
    assert booked["counselor_id"] in aboard and booked["place"] == STOP and booked["bus_run_id"] == run["id"]
    assert (booked["center_id"], booked["kiosk_code"], booked["slot_start"]) == (run["center_id"], "jobbus-1",
                                                                                 iso(TWO_PM))
    texts = {m["dedupe_key"].split(":")[2]: m["body"] for m in conn.execute(
        "SELECT dedupe_key, body FROM sms_messages WHERE appointment_id = ? AND to_number = ?",
        (booked["id"], "+821055550101"))}
    assert STOP in texts["booked"] and STOP in texts["remind2"]  # the reminder at noon says where
    counselor_phone = conn.execute("SELECT phone FROM counselors WHERE id = ?", (booked["counselor_id"],)).fetchone()[0]
    assert conn.execute("SELECT count(*) FROM sms_messages WHERE to_number = ? AND appointment_id = ?",
                        (counselor_phone, booked["id"])).fetchone()[0] == 1  # the counselor aboard is told
    day = agenda.days(WEDNESDAY, 1, "Asia/Seoul")
    (entry,) = [e for e in agenda.between(conn, *day, counselor_id=booked["counselor_id"]) if e.id == booked["id"]]
    assert entry.place == STOP

    # The next visitor at the same kiosk: the other counselor aboard still has 14:00.
    second = visitor(client, conn, clock, "+821055550102")
    assert "+821055550101" not in second.booking_screen()
    assert "2026-11-25T05:00:00Z" in second.booking_screen()
    second.tap(TWO_PM)
    taken = {r[0] for r in conn.execute("SELECT counselor_id FROM appointments WHERE slot_start = ? AND status = "
                                        "'booked'", (iso(TWO_PM),))}
    assert taken == set(aboard)
    third = visitor(client, conn, clock, "+821055550103")
    assert "2026-11-25T05:00:00Z" not in third.booking_screen()  # both aboard are booked then
    token = third.token(third.booking_screen())
    refused = client.post(f"{BUS}/booking", data={"csrf_token": token, "center": "bus", "slot": iso(TWO_PM)})
    assert refused.status_code == 409 and "다른 시간을 골라 주세요" in refused.text

    (credited,) = figures.per_run(conn, WEDNESDAY, WEDNESDAY, "Asia/Seoul")
    assert (credited.run_id, credited.bookings) == (run["id"], 2)


def test_outside_the_runs_hours_the_partner_centers_slots_are_offered(client, conn, clock, run):
    clock.advance(days=2, hours=6, minutes=30)  # Wednesday 16:30: the bus has left the stop
    person = visitor(client, conn, clock, "+821055550104")
    screen = person.booking_screen()
    assert STOP not in screen and "까지 있습니다" not in screen
    assert re.search(r'<p class="place" lang="ko">용인시 일자리센터</p>', screen)
    token = person.token(screen)
    late = client.post(f"{BUS}/booking", data={"csrf_token": token, "center": "bus",
                                               "slot": "2026-11-25T06:30:00Z"})
    assert late.status_code == 409 and "지난 시간입니다" in late.text  # a confirmation left open past the run
    assert conn.execute("SELECT count(*) FROM appointments WHERE bus_run_id IS NOT NULL").fetchone()[0] == 0


def test_in_english_the_stop_and_the_hours_are_said_in_english(client, conn, clock, run):
    clock.advance(days=2, hours=1)
    person = visitor(client, conn, clock, "+821055550105")
    token = person.token(person.booking_screen())
    client.post(f"{BUS}/prefs", data={"csrf_token": token, "lang": "en"})
    screen = person.booking_screen()
    assert "You meet a counselor from the job bus here at this stop. The bus is here today until 4:00" in screen


def test_a_run_cancelled_on_its_day_cancels_what_was_booked_aboard(app, client, conn, clock, run):
    clock.advance(days=2, hours=1, minutes=5)  # Wednesday 11:05
    visitor(client, conn, clock, "+821055550106").tap(TWO_PM)
    booked = conn.execute("SELECT * FROM appointments WHERE bus_run_id = ?", (run["id"],)).fetchone()
    clock.advance(minutes=25)  # 11:30: the bus must leave the stop
    office = app.test_client()
    sign_in(office, add_account(app, "admin"))
    assert post(office, f"/console/bus-runs/{run['id']}/cancel").status_code == 303
    after = conn.execute("SELECT status FROM appointments WHERE id = ?", (booked["id"],)).fetchone()[0]
    assert after == "cancelled"
    told = [m["to_number"] for m in conn.execute(
        "SELECT to_number FROM sms_messages WHERE appointment_id = ? AND dedupe_key LIKE '%cancelled%'",
        (booked["id"],))]
    counselor_phone = conn.execute("SELECT phone FROM counselors WHERE id = ?", (booked["counselor_id"],)).fetchone()[0]
    assert sorted(told) == sorted(["+821055550106", counselor_phone])
    assert conn.execute("SELECT count(*) FROM sms_messages WHERE appointment_id = ? AND dedupe_key LIKE '%remind%'"
                        " AND status IN ('queued', 'held')", (booked["id"],)).fetchone()[0] == 0
    assert "오늘 일자리버스는 여기 있습니다" not in client.get(f"{BUS}/").text  # the kiosk no longer says it is here
