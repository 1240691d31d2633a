"""What alerts say, for someone reading them on an old phone: how to get details and how to
stop in every alert, hours as people say them, heads that fit the days covered, and every
text within its segment budget."""

from __future__ import annotations

from datetime import datetime

import pytest
from scheduler_helpers import opening, post

from kiosk.alerts import composer as alerts
from kiosk.openings import store as openings
from sms.inbound import jobcode
from sms.outbound import compose
from sms.outbound.inbox import InboundMessage

LONG_TITLE = "아파트 단지 경비원 및 주차 관리, 분리수거 보조 (야간 격일 근무, 4대보험, 식대 별도 지급)"


def stored(conn, clock, **fields) -> dict:
    (opening_id,) = post(conn, clock.now(), opening(**fields))
    return openings.get(conn, opening_id)


@pytest.mark.parametrize("title", ["아파트 경비원", LONG_TITLE])
def test_an_instant_alert_says_how_to_get_details_and_how_to_stop(conn, clock, title):
    row = stored(conn, clock, title=title, employer="새솔아파트 관리사무소 (주)한빛종합관리")
    body = alerts.instant_body(row, "ko")
    code = openings.short_code(row["id"])
    assert body.splitlines()[-1] == f"자세히: {code} 답장 / 그만 받기: 중지"
    assert compose.fits(body, compose.budget("alert"))
    english = alerts.instant_body(row, "en")
    assert english.splitlines()[-1] == f"Details: reply {code}. To stop: reply STOP"
    assert compose.fits(english, compose.budget("alert"))


def test_a_digest_fills_its_budget_and_ends_with_both_replies(conn, clock):
    rows = {r["id"]: r for r in (stored(conn, clock, wage_amount=11000 + i) for i in range(6))}
    best = sorted(rows, reverse=True)
    body = alerts.DigestComposer("daily", rows, days=1).body(best[:3], 6, "ko")
    lines = body.split("\n")
    assert lines[0] == "[잡스탑] 오늘 맞춤 일자리 6건"
    assert len(lines) == 1 + 3 + 2 and lines[4] == "외 3건"
    assert lines[-1] == f"자세히: {openings.short_code(best[0])}처럼 답장 / 그만 받기: 중지"
    assert compose.fits(body, compose.budget("alert"))
    # Lines too long for three: as many as fit, the rest counted, the replies kept.
    wide = {r["id"]: r for r in (stored(conn, clock, occupation="care", region="41110",
                                        wage_kind="monthly", wage_amount=2_500_000 + i) for i in range(3))}
    wide_best = sorted(wide, reverse=True)
    composer = alerts.DigestComposer("weekly", wide, days=7)
    for language in ("ko", "en"):
        text = composer.body(wide_best, 40, language)
        assert compose.fits(text, compose.budget("alert"))
        assert "중지" in text.splitlines()[-1] or "STOP" in text.splitlines()[-1]


def test_a_one_opening_digest_keeps_one_segment_with_the_brief_ending(conn, clock):
    """The clear ending is used only where it costs no extra segment (a digest goes to most
    seekers every day: one more segment each is the center's bill, not the reader's gain)."""
    row = stored(conn, clock, title="경비원", region="41110", wage_kind="hourly", wage_amount=11000)
    body = alerts.DigestComposer("daily", {row["id"]: row}, days=1).body([row["id"]], 1, "ko")
    code = openings.short_code(row["id"])
    clear = "\n".join([*body.splitlines()[:-1], f"자세히: {code}처럼 답장 / 그만 받기: 중지"])
    assert compose.measure(clear)[0] == 2
    assert compose.measure(body)[0] == 1 and body.splitlines()[-1] == "코드 답장=자세히 / 중지=수신거부"


def test_a_catch_up_digest_says_how_many_days_it_covers():
    assert alerts.digest_head("daily", 1, 4, "ko") == "[잡스탑] 오늘 맞춤 일자리 4건"
    assert alerts.digest_head("daily", None, 4, "ko") == "[잡스탑] 오늘 맞춤 일자리 4건"
    assert alerts.digest_head("daily", 3, 4, "ko") == "[잡스탑] 최근 3일 맞춤 일자리 4건"
    assert alerts.digest_head("weekly", 7, 4, "ko") == "[잡스탑] 이번 주 맞춤 일자리 4건"
    assert alerts.digest_head("weekly", 14, 4, "ko") == "[잡스탑] 최근 14일 맞춤 일자리 4건"
    assert alerts.digest_head("daily", 2, 4, "en") == "[JobStop] 4 jobs for you in the last 2 days"


@pytest.mark.parametrize(("text", "ko", "en"), [
    ("09:00~18:00", "오전 9시~오후 6시", "9 AM–6 PM"),
    ("08:30-17:30", "오전 8시 30분~오후 5시 30분", "8:30 AM–5:30 PM"),
    ("22:00~06:00", "오후 10시~오전 6시", "10 PM–6 AM"),
    ("시간 협의", "시간 협의", "시간 협의"),
])
def test_working_hours_as_people_say_them(text, ko, en):
    assert (alerts.work_hours(text, "ko"), alerts.work_hours(text, "en")) == (ko, en)


def test_a_job_code_reply_gives_the_hours_the_korean_way(conn, clock):
    (opening_id,) = post(conn, clock.now(), opening(work_days="주5일", work_hours="09:00~18:00"))
    message = InboundMessage(0, "SM-hours", "+821011112222", f"J{opening_id}",
                             datetime.fromisoformat("2026-11-23T01:00:00+00:00"))
    reply = jobcode.handle(conn, message, clock.now(), {"TIMEZONE": "Asia/Seoul"})
    assert "주5일 오전 9시~오후 6시" in reply.split("\n")
    assert compose.fits(reply, compose.budget("transactional"))
