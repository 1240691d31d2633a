"""A phone code is always texted, even when its id was used before by a code since deleted."""

from __future__ import annotations

import pytest

from kiosk.seekers import verification

SECRET = "test-secret"


def issue(conn, clock, phone: str) -> int:
    return verification.issue(conn, phone=phone, purpose="register", kiosk_code="suwon-station",
                              now=clock.now(), secret=SECRET, per_kiosk=60)


def texts_to(conn, phone: str) -> int:
    return conn.execute("SELECT count(*) FROM sms_messages WHERE kind = 'otp' AND to_number = ?",
                        (phone,)).fetchone()[0]


@pytest.mark.sqlite_only
def test_the_next_code_after_a_withdrawal_forgot_the_newest_one_is_still_sent_though_sqlite_reuses_its_id(conn, clock):
    first = issue(conn, clock, "+821011110000")
    verification.forget_codes(conn, conn.execute("SELECT subject FROM phone_codes WHERE id = ?",
                                                 (first,)).fetchone()["subject"])
    second = issue(conn, clock, "+821022220000")
    assert second == first  # SQLite hands out the freed id again
    assert texts_to(conn, "+821022220000") == 1


def test_the_first_code_after_the_hourly_purge_emptied_the_table_is_still_sent(conn, clock):
    issue(conn, clock, "+821011110000")
    clock.advance(hours=2)
    assert verification.purge_expired(conn, clock.now()) == 1
    issue(conn, clock, "+821022220000")
    assert texts_to(conn, "+821022220000") == 1
