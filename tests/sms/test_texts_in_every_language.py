"""Texts to a seeker who chose easy Korean, Chinese or Vietnamese: in that language, as short as
the Korean ones (Vietnamese with its marks is UCS-2 like Korean: 70 units a segment), and the
seeker's stored language is what every later text uses."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

import pytest
from scheduler_helpers import add_seeker, opening, post

from kiosk.alerts import composer as alerts
from kiosk.alerts import schedule
from kiosk.core import formatting
from kiosk.core.i18n import LANGUAGES, catalog, translate
from kiosk.openings import store as openings
from sms.inbound import jobcode, replies
from sms.outbound import compose
from sms.outbound.inbox import InboundMessage

SMS_KEYS = ("alerts.", "counseling.sms.", "register.sms.", "sms.reply.")
NEW = ("ko-easy", "zh", "vi")
CONFIG = {"TIMEZONE": "Asia/Seoul", "DEFAULT_LANGUAGE": "ko"}


def received(phone: str, body: str) -> InboundMessage:
    return InboundMessage(0, "SM-test", phone, body, datetime.fromisoformat("2026-11-23T01:00:00+00:00"))


def stored(conn, clock, **fields) -> dict:
    (opening_id,) = post(conn, clock.now(), opening(**fields))
    return openings.get(conn, opening_id)


def sample(language: str) -> dict[str, object]:
    """What a text is filled with in language: dates and money in its own way, job data Korean."""
    at = datetime(2026, 12, 7, 15, 0)
    return {"code": "J1234", "count": 12, "days": 3, "id": 12, "hour": 3, "minute": 30,
            "day": formatting.short_day(at, language), "when": formatting.day_and_time(at, language),
            "wage": formatting.wage("monthly", 2_500_000, language),
            "occupation": translate("occupation.security", language),
            "region": translate("region.41110", language),
            "employment": translate("employment.contract", language),
            "kind": translate("counseling.kind.counseling", language),
            "ampm": translate("date.pm", language), "start": "9", "end": "18",
            "title": "아파트 경비원 (주간)", "employer": "(주)한빛관리", "how": "방문 지원",
            "hours": "09:00~18:00", "phone": "010-****-5678", "contact": "031-123-4567",
            "place": "수원고용센터", "center": "수원고용센터", "center_name": "수원고용센터",
            "center_phone": "1350", "counselor": "김민지", "about": "경비", "minutes": 10,
            "at": formatting.clock_time(at, language), "job": " J1234",
            "name": translate("alerts.time.evening", language),
            **{name: schedule.window_label(name, CONFIG, language) for name in ("morning", "midday", "evening")}}


@pytest.mark.parametrize("language", NEW)
def test_every_text_is_no_longer_in_segments_than_the_korean_one(language):
    korean, own = sample("ko"), sample(language)
    longer = {}
    for key, text in catalog("ko").items():
        if key.startswith(SMS_KEYS):
            theirs = translate(key, language, **own)
            if compose.measure(theirs)[0] > compose.measure(text.format(**korean))[0]:
                longer[key] = theirs
    assert longer == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_texts_are_composed_characters_so_vietnamese_marks_cost_one_unit(language):
    decomposed = [key for key, text in catalog(language).items() if unicodedata.normalize("NFC", text) != text]
    assert decomposed == []


def test_a_code_fits_one_segment_in_every_language():
    for language in LANGUAGES:
        body = translate("register.sms.code", language, code="123456")
        assert compose.fits(body, compose.budget("otp")), language


@pytest.mark.parametrize("language", NEW)
def test_alerts_and_job_code_replies_in_the_seekers_language_fit_their_budget(conn, clock, language):
    row = stored(conn, clock, title="아파트 단지 경비원 및 주차 관리 (야간 격일 근무, 4대보험)",
                 employer="새솔아파트 관리사무소 (주)한빛종합관리", wage_kind="monthly", wage_amount=2_500_000)
    code = openings.short_code(row["id"])
    instant = alerts.instant_body(row, language)
    assert compose.fits(instant, compose.budget("alert"))
    assert code in instant.splitlines()[0] and instant.splitlines()[-1] == translate(
        "alerts.instant.tail", language, code=code)
    rows = {r["id"]: r for r in (stored(conn, clock, wage_amount=11000 + i) for i in range(6))}
    digest = alerts.DigestComposer("daily", rows, days=1).body(sorted(rows), 6, language)
    assert compose.fits(digest, compose.budget("alert"))
    assert digest.splitlines()[0] == translate("alerts.digest.daily_head", language, count=6)
    details = jobcode.details(row, language)
    assert compose.fits(details, compose.budget("transactional"))
    assert translate("region.41110", language) in details


def test_chinese_and_vietnamese_texts_read_their_own_dates_and_money(conn, clock):
    row = stored(conn, clock, wage_kind="monthly", wage_amount=2_500_000, deadline="2026-12-07")
    assert "2.500.000 won/tháng" in alerts.instant_body(row, "vi")
    assert "Hạn Thứ 2, 7/12" in alerts.instant_body(row, "vi")
    assert "月薪 2,500,000韩元" in alerts.instant_body(row, "zh")
    assert "截止 12月7日周一" in alerts.instant_body(row, "zh")
    easy = alerts.instant_body(row, "ko-easy")
    assert "한 달에 2,500,000원" in easy and "12월 7일(월)까지" in easy


@pytest.mark.parametrize(("language", "help_line"), [
    ("ko-easy", "중지: 문자 그만"), ("zh", "STOP:停止短信"), ("vi", "STOP: dừng tin")])
def test_replies_to_a_seeker_are_in_the_language_they_chose(conn, clock, language, help_line):
    phone = "+821033334444"
    add_seeker(conn, phone, clock.now(), language=language)
    (opening_id,) = post(conn, clock.now(), opening(region="41110", deadline=None))
    reply = jobcode.handle(conn, received(phone, f"J{opening_id}"), clock.now(), CONFIG)
    assert translate("region.41110", language) in reply
    assert translate("alerts.jobcode.until_filled", language) in reply.splitlines()
    assert help_line in replies.handle_help(conn, received(phone, "HELP"), clock.now(), CONFIG).splitlines()
    stop = replies.handle_opt_out(conn, received(phone, "STOP"), clock.now(), CONFIG)
    assert stop == translate("sms.reply.opted_out", language, center_phone=stop.rsplit(" ", 1)[-1])


def test_dates_in_each_language():
    monday = date(2026, 12, 7)
    at = datetime(2026, 12, 7, 15, 0)
    assert formatting.day(monday, "ko-easy") == "2026년 12월 7일 (월)"
    assert formatting.day(monday, "zh") == "2026年12月7日周一"
    assert formatting.day(monday, "vi") == "Thứ 2, 7 thg 12, 2026"
    assert formatting.day(monday, "en") == "Mon, Dec 7, 2026"
    assert formatting.day_and_time(at, "ko") == "12월 7일(월) 오후 3:00"
    assert formatting.day_and_time(at, "zh") == "12月7日周一 15:00"
    assert formatting.day_and_time(at, "vi") == "Thứ 2, 7/12 15:00"
    assert formatting.day_and_time(at, "en") == "Mon, Dec 7 3:00 PM"  # a plain space: GSM-7 stays
    assert formatting.won(2_500_000, "vi") == "2.500.000 won"
    assert formatting.schedule("월~금", "zh") == "周一–周五" and formatting.schedule("월~금", "vi") == "T2–T6"
    assert formatting.schedule("월~금", "ko-easy") == "월~금"
