"""Cancelling a run whose day-before notice went out, with a frozen clock: those it reached are
texted that the run is cancelled, not in the quiet hours and not after STOP; a notice still
waiting is withdrawn instead. Staff cancel in the console, as they do."""

from __future__ import annotations

from datetime import date

import pytest
from console_support import add_account, post, sign_in
from scheduler_helpers import add_seeker, messages

from kiosk.core.db import transaction
from kiosk.outreach import runs
from scheduler import bus_notice, dispatch
from sms.inbound import replies
from sms.outbound.inbox import InboundMessage

SUWON_CENTER, GOYANG_CENTER = 2, 4
HWASEONG = "41590"
WEDNESDAY = date(2026, 11, 25)
KOREAN, ENGLISH, STOPPED = "+821020000001", "+821020000008", "+821020000003"


@pytest.fixture
def run_id(conn, clock) -> int:
    """A run in 화성시 on Wednesday (the demo's runs cancelled), and three seekers nearby."""
    with transaction(conn):
        for run in runs.coming(conn, date(2026, 11, 23)):
            runs.cancel(conn, run["id"], clock.now())
        planned = runs.add(conn, runs.Plan(bus="jobbus-1", day=WEDNESDAY, starts="10:00", ends="16:00",
                                           place="화성시청 앞 광장", address="경기도 화성시 남양읍 시청로 159",
                                           region=HWASEONG, center_id=SUWON_CENTER), clock.now())
    add_seeker(conn, KOREAN, clock.now(), regions=[HWASEONG], center_id=GOYANG_CENTER)
    add_seeker(conn, ENGLISH, clock.now(), regions=[HWASEONG], center_id=GOYANG_CENTER, language="en")
    add_seeker(conn, STOPPED, clock.now(), center_id=SUWON_CENTER)
    return planned


def as_admin(app, client) -> None:
    """An admin signs in to the console (when the run is to be cancelled: sessions end when idle)."""
    sign_in(client, add_account(app, "admin"))


def to(conn, phone: str, prefix: str) -> list:
    return [m for m in messages(conn, phone) if m["dedupe_key"].startswith(prefix)]


def stop(app, conn, clock, phone: str) -> None:
    with transaction(conn):
        replies.route(conn, InboundMessage(0, f"SM-{phone}", phone, "STOP", clock.now()), clock.now(), app.config)


def test_those_the_notice_reached_hear_of_the_cancellation_after_the_quiet_hours(app, client, conn, clock,
                                                                                  run_id):
    clock.advance(hours=22)  # Tuesday 08:00: the notice goes out
    assert bus_notice.run(app)["notices"] == 3
    dispatch.run(app)
    assert all(to(conn, phone, "bus:")[0]["status"] == "delivered" for phone in (KOREAN, ENGLISH, STOPPED))
    stop(app, conn, clock, STOPPED)
    clock.advance(hours=14)  # Tuesday 22:00, in the quiet hours: the bus cannot come after all
    as_admin(app, client)
    asked = client.get(f"/console/bus-runs/{run_id}/cancel").get_data(as_text=True)
    assert "전날 안내 문자가 이미 3명에게 나갔습니다" in asked
    answer = post(client, f"/console/bus-runs/{run_id}/cancel")
    assert answer.status_code == 303 and runs.get(conn, run_id)["status"] == "cancelled"
    (korean,) = to(conn, KOREAN, "bus-cancel:")
    assert korean["status"] == "held" and korean["kind"] == "alert"
    assert korean["body"].split("\n")[:3] == ["[잡스탑] 일자리버스 운행이 취소되었습니다",
                                              "11월 25일(수) 오전 10:00~오후 4:00", "화성시청 앞 광장 (화성시)"]
    assert korean["body"].endswith("그만 받기: 중지")
    (english,) = to(conn, ENGLISH, "bus-cancel:")
    assert english["body"].startswith("[JobStop] The job bus run is cancelled")
    (stopped,) = to(conn, STOPPED, "bus-cancel:")
    assert (stopped["status"], stopped["reason"]) == ("cancelled", "opted_out")
    dispatch.run(app)
    assert to(conn, KOREAN, "bus-cancel:")[0]["status"] == "held"  # nothing at night
    clock.advance(hours=10)  # Wednesday 08:00
    dispatch.run(app)
    as_admin(app, client)
    assert [to(conn, phone, "bus-cancel:")[0]["status"] for phone in (KOREAN, ENGLISH, STOPPED)] == [
        "delivered", "delivered", "cancelled"]
    again = post(client, f"/console/bus-runs/{run_id}/cancel")  # a second tap, or a colleague's
    assert again.status_code == 303 and "already" in again.location
    assert len(to(conn, KOREAN, "bus-cancel:")) == 1


def test_a_notice_not_sent_yet_is_withdrawn_and_nobody_is_texted(app, client, conn, clock, run_id):
    clock.advance(hours=22)  # Tuesday 08:00: the notice is queued; the dispatcher has not run
    bus_notice.run(app)
    as_admin(app, client)
    asked = client.get(f"/console/bus-runs/{run_id}/cancel").get_data(as_text=True)
    assert "전날 안내 문자 3건이 아직 보내지지 않았습니다" in asked
    assert post(client, f"/console/bus-runs/{run_id}/cancel").status_code == 303
    dispatch.run(app)
    for phone in (KOREAN, ENGLISH, STOPPED):
        (notice,) = to(conn, phone, "bus:")
        assert notice["status"] == "cancelled" and to(conn, phone, "bus-cancel:") == []


def test_the_command_cancels_the_same_way(app, runner, conn, clock, run_id):
    clock.advance(hours=22)
    bus_notice.run(app)
    dispatch.run(app)
    result = runner.invoke(args=["bus", "cancel", str(run_id)])
    assert result.exit_code == 0 and "안내 문자를 받은 3명에게 취소 문자를 보냅니다" in result.output
    assert [to(conn, phone, "bus-cancel:")[0]["status"] for phone in (KOREAN, ENGLISH)] == ["queued", "queued"]
