"""알림 저녁 / ALERTS MORNING by text: the seeker's digest time changes and the reply confirms it,
in their language; the next digest comes in that window."""

from __future__ import annotations

import pytest
from counselor_sms_helpers import SEEKER, Phones, register_seeker

from kiosk.core import db
from kiosk.seekers import store as seekers
from sms.inbound.digest_time import parse


@pytest.fixture
def phones(app, client, conn, clock):
    return Phones(app, client, conn, clock)


def digest_time(conn) -> str | None:
    return seekers.find_by_phone(conn, SEEKER)["digest_time"]


def test_alerts_evening_changes_the_choice_and_confirms_it(phones, conn, clock):
    register_seeker(conn, SEEKER, clock.now())
    answer = phones.text(SEEKER, "알림 저녁")
    assert digest_time(conn) == "evening"
    assert "저녁(오후 5:00~오후 9:00)에 보내 드립니다" in answer
    assert "아침(오전 9:00~오후 12:00)" in phones.text(SEEKER, "알림 아침으로 해주세요")
    assert digest_time(conn) == "morning"
    assert "점심" in phones.text(SEEKER, "알림점심") and digest_time(conn) == "midday"


def test_the_reply_is_in_the_seekers_language(phones, conn, clock):
    seeker_id = register_seeker(conn, SEEKER, clock.now())
    with db.transaction(conn):
        seekers.update_profile(conn, seeker_id, {"language": "en"}, clock.now())
    answer = phones.text(SEEKER, "ALERTS EVENING")
    assert answer.startswith("[JobStop] Your job alerts will now come in the evening (5:00")
    assert digest_time(conn) == "evening"


def test_alerts_alone_lists_the_choices_and_changes_nothing(phones, conn, clock):
    register_seeker(conn, SEEKER, clock.now())
    answer = phones.text(SEEKER, "알림")
    assert "알림 아침: 아침(오전 9:00~오후 12:00)" in answer and "알림 저녁: 저녁(" in answer
    assert digest_time(conn) is None


def test_an_unregistered_number_is_told_how_to_register(phones, conn):
    assert "등록 후 받으실 수 있습니다" in phones.text(SEEKER, "알림 저녁")


def test_the_change_is_confirmed_past_the_auto_reply_limit(phones, conn, clock):
    register_seeker(conn, SEEKER, clock.now())
    for _ in range(6):
        assert phones.text(SEEKER, "도움")
    assert "저녁(" in phones.text(SEEKER, "알림 저녁")  # a change: owed
    assert "10분간 자동 답장을 멈춥니다" in phones.text(SEEKER, "알림 저녁")  # the same again: not


def test_help_mentions_it(phones):
    assert "알림 저녁" in phones.text(SEEKER, "도움")


@pytest.mark.parametrize(("text", "parsed"), [
    ("알림 저녁", (True, "evening")), ("알림 저녁으로", (True, "evening")), ("알림 오전", (True, "morning")),
    ("Alerts midday!", (True, "midday")), ("알림", (True, None)), ("알림 언제 와요", (True, None)),
    ("알림이 너무 많이 와서 다른 걸로 바꾸고 싶어요", (False, None)), ("저녁", (False, None)), ("J1234", (False, None)),
])
def test_parse(text, parsed):
    assert parse(text) == parsed
