"""The job bus's kiosk follows the bus: on a run day it is a kiosk of the stop's city and the
run's partner center; during the run "ask a counselor" reaches a counselor aboard; after it,
the home says where the bus goes next; what is asked aboard is credited to the run."""

from __future__ import annotations

import re
from datetime import date

from counselor_sms_helpers import register_seeker

from kiosk.core.db import transaction
from kiosk.outreach import figures, runs

BUS = "/k/jobbus-1"
PHONE = "+821055554321"
WEDNESDAY = date(2026, 11, 25)  # the demo's run at 용인공용버스터미널, 10:00–16:00, partner 용인시 일자리센터


def the_run(conn):
    return runs.on_day(conn, "jobbus-1", WEDNESDAY)


def cards(html: str) -> list[int]:
    return [int(i) for i in re.findall(rf'href="{BUS}/openings/(\d+)', html)]


def ask(client, conn, opening_id: int) -> None:
    """A registered seeker verifies their phone at the bus kiosk and asks about an opening."""
    assert client.get(f"{BUS}/openings/{opening_id}/ask").status_code == 303
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(f"{BUS}/verify/phone").text)[1]
    client.post(f"{BUS}/verify/phone", data={"csrf_token": token, "phone": "010-5555-4321"})
    code = re.search(r"\d{6}", conn.execute("SELECT body FROM sms_messages WHERE kind = 'otp'"
                                            " ORDER BY id DESC").fetchone()[0])[0]
    client.post(f"{BUS}/verify/code", data={"csrf_token": token, "code": code})
    assert client.post(f"{BUS}/openings/{opening_id}/ask", data={"csrf_token": token}).status_code == 303


def test_on_a_run_day_the_home_and_the_list_put_the_stops_city_first(client, conn, clock):
    monday = cards(client.get(f"{BUS}/openings").get_data(as_text=True))
    clock.advance(days=2, minutes=30)  # Wednesday 10:30, during the run
    home = client.get(f"{BUS}/").get_data(as_text=True)
    assert "경기 일자리버스 1호</span> · 용인시" in home and "오늘 일자리버스는 여기 있습니다" in home
    listed = cards(client.get(f"{BUS}/openings").get_data(as_text=True))
    regions = {conn.execute("SELECT region FROM openings WHERE id = ?", (i,)).fetchone()[0] for i in listed}
    assert regions == {"41460"} and listed != monday  # Monday it listed 수원 (the bus's home) first


def test_after_the_run_the_home_says_where_the_bus_goes_next(client, clock):
    clock.advance(days=2, hours=6, minutes=30)  # Wednesday 16:30
    home = client.get(f"{BUS}/").get_data(as_text=True)
    section = home.split('<section class="bus-home', 1)[1].split("</section>", 1)[0]
    assert "여기 있습니다" not in section and "다음 운행" in section
    assert section.index("야탑역") < section.index("백석역")  # Thursday's stop first


def test_asking_during_the_run_goes_to_the_counselor_aboard_and_counts_for_the_run(client, conn, clock):
    demo = the_run(conn)
    suwon = conn.execute("SELECT * FROM counselors WHERE center_id = ? ORDER BY id DESC LIMIT 1",
                         (demo["center_id"],)).fetchone()
    with transaction(conn):  # aboard: one counselor of the partner center, chosen by staff
        runs.cancel(conn, demo["id"], clock.now())
        runs.add(conn, runs.Plan(bus="jobbus-1", day=WEDNESDAY, starts="10:00", ends="16:00", place=demo["place"],
                                 address=demo["address"], region=demo["region"], center_id=demo["center_id"],
                                 counselor_ids=(suwon["id"],)), clock.now())
    clock.advance(days=2, hours=1)  # Wednesday 11:00
    run = the_run(conn)
    (aboard,) = runs.counselors_aboard(conn, run["id"])
    assert aboard["id"] == suwon["id"]
    register_seeker(conn, PHONE, clock.now(), kiosk="suwon-station", center=2)
    opening_id = conn.execute("SELECT id FROM openings WHERE status = 'open' ORDER BY id LIMIT 1").fetchone()[0]
    ask(client, conn, opening_id)
    referral = conn.execute("SELECT * FROM referral_requests ORDER BY id DESC").fetchone()
    assert (referral["kiosk_code"], referral["center_id"]) == ("jobbus-1", run["center_id"])
    assert referral["status"] == "assigned" and referral["counselor_id"] == aboard["id"]
    text = conn.execute("SELECT * FROM sms_messages WHERE to_number = ? AND dedupe_key LIKE 'referral:%'",
                        (aboard["phone"],)).fetchone()
    assert text["next_attempt_at"] == referral["assigned_at"]  # texted at once
    (credited,) = figures.per_run(conn, WEDNESDAY, WEDNESDAY, "Asia/Seoul")
    assert (credited.run_id, credited.referrals) == (run["id"], 1)


def test_asking_on_the_run_day_after_hours_goes_to_the_partner_center(client, conn, clock):
    clock.advance(days=2, hours=7)  # Wednesday 17:00: the bus has left, 용인시 일자리센터 is open
    run = the_run(conn)
    register_seeker(conn, PHONE, clock.now(), kiosk="suwon-station", center=2)
    opening_id = conn.execute("SELECT id FROM openings WHERE status = 'open' ORDER BY id LIMIT 1").fetchone()[0]
    ask(client, conn, opening_id)
    referral = conn.execute("SELECT * FROM referral_requests ORDER BY id DESC").fetchone()
    assert referral["center_id"] == run["center_id"] and referral["status"] == "assigned"
    counselor_center = conn.execute("SELECT center_id FROM counselors WHERE id = ?",
                                    (referral["counselor_id"],)).fetchone()[0]
    assert counselor_center == run["center_id"]
