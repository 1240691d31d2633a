"""Opted-out people are told which number to text START to, as they would dial it."""

from __future__ import annotations

from html import unescape

import pytest
from counselor_sms_helpers import register_seeker

from kiosk.core.config import from_environment
from kiosk.core.i18n import translate
from sms.outbound import optout
from sms.outbound.sender import dialable, reply_number, start_to
from tests.web.test_counseling_booking import SLOT, Seeker
from tests.web.test_register import PHONE, K, Visitor


@pytest.mark.parametrize(("number", "shown"), [("+8215880000", "1588-0000"), ("+82311234567", "031-123-4567"),
                                               ("1588-0000", "1588-0000"), ("+15005550006", "+1 500-555-0006"),
                                               ("#1234", "#1234"), ("+821012345678", "010-1234-5678")])
def test_numbers_are_shown_as_people_dial_them(number, shown):
    assert dialable(number) == shown


def test_the_reply_number_setting_else_the_from_number_else_none():
    assert reply_number({"TWILIO_FROM_NUMBER": "+8215880000"}) == "1588-0000"
    assert reply_number({"TWILIO_MESSAGING_SERVICE_SID": "MG1", "SMS_REPLY_NUMBER": "031-123-4567"}) == "031-123-4567"
    assert reply_number({"TWILIO_FROM_NUMBER": "+8215880000", "SMS_REPLY_NUMBER": "+82311234567"}) == "031-123-4567"
    assert reply_number({"TWILIO_MESSAGING_SERVICE_SID": "MG1"}) == ""
    assert from_environment({"JOBSTOP_SMS_REPLY_NUMBER": "1588-0000"}) == {"SMS_REPLY_NUMBER": "1588-0000"}


def test_the_fragment_in_both_languages_with_the_right_particle():
    assert start_to({"TWILIO_FROM_NUMBER": "+8215880000"}, "ko") == "1588-0000으로 "
    assert start_to({"TWILIO_FROM_NUMBER": "+82311234567"}, "ko") == "031-123-4567로 "
    assert start_to({"TWILIO_FROM_NUMBER": "+8215880000"}, "en") == "to 1588-0000 "
    assert start_to({}, "ko") == "" and start_to({}, "en") == ""
    english = translate("phoneverify.opted_out", "en", to=start_to({"SMS_REPLY_NUMBER": "1588-0000"}, "en"))
    assert "Text START to 1588-0000 from this phone to opt back in" in english
    assert "Text START from this phone" in translate("phoneverify.opted_out", "en", to="")


@pytest.fixture
def visitor(client, conn):
    return Visitor(client, conn)


def test_the_code_screen_names_the_number_to_text(app, visitor, client, conn, clock):
    app.config["TWILIO_FROM_NUMBER"] = "+8215880000"
    optout.opt_out(conn, PHONE, clock.now(), "keyword")
    visitor.post(f"{K}/register")
    visitor.post(f"{K}/verify/phone", phone="010-5555-1234")
    assert "이 번호에서 1588-0000으로 'START' 또는 '시작'이라고" in unescape(client.get(f"{K}/verify/phone").text)


def test_without_a_number_the_sentence_still_reads(visitor, client, conn, clock):
    optout.opt_out(conn, PHONE, clock.now(), "keyword")
    visitor.post(f"{K}/register")
    visitor.post(f"{K}/verify/phone", phone="010-5555-1234")
    assert "이 번호에서 'START' 또는 '시작'이라고" in unescape(client.get(f"{K}/verify/phone").text)


def test_send_to_phone_names_the_number_to_text(app, visitor, client, conn, clock):
    app.config["SMS_REPLY_NUMBER"] = "031-123-4567"
    opening = conn.execute("SELECT id FROM openings WHERE status = 'open' LIMIT 1").fetchone()["id"]
    client.get(f"{K}/openings/{opening}/send")
    visitor.post(f"{K}/verify/phone", phone="010-5555-1234")
    visitor.post(f"{K}/verify/code", code=visitor.last_code())
    optout.opt_out(conn, PHONE, clock.now(), "keyword")  # opted out after verifying
    done = unescape(client.get(visitor.post(f"{K}/openings/{opening}/send").location).text)
    assert "수신을 거부한 상태라 보내지 못했습니다. 031-123-4567로 'START'라고" in done


def test_the_booking_screen_names_the_number_to_text(app, client, conn, clock):
    app.config["TWILIO_FROM_NUMBER"] = "+8215880000"
    register_seeker(conn, PHONE, clock.now())
    seeker = Seeker(client, conn)
    seeker.log_in()
    optout.opt_out(conn, PHONE, clock.now(), "keyword")
    done = unescape(client.get(seeker.book(SLOT).headers["Location"]).text)
    assert "문자를 받으려면 1588-0000으로 START를 보내 주세요" in done
