"""Times as counselors type them, read in the center's zone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from sms.inbound.when import WhenError, parse_day, parse_when, take_when

ZONE = "Asia/Seoul"
SEOUL = ZoneInfo(ZONE)
# Monday 23 November 2026, 10:00 in Seoul (01:00 UTC).
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=SEOUL)


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=SEOUL)


@pytest.mark.parametrize("text, expected", [
    ("11/25 14:00", at(2026, 11, 25, 14, 0)),
    ("2026-11-25 14:00", at(2026, 11, 25, 14, 0)),
    ("2026.11.25 9:30", at(2026, 11, 25, 9, 30)),
    ("11월 25일 오후 2시", at(2026, 11, 25, 14, 0)),
    ("11월25일 오후2시30분", at(2026, 11, 25, 14, 30)),
    ("11월 25일 오전 11시", at(2026, 11, 25, 11, 0)),
    ("내일 10시", at(2026, 11, 24, 10, 0)),
    ("내일10시", at(2026, 11, 24, 10, 0)),
    ("11월25일오후2시", at(2026, 11, 25, 14, 0)),
    ("내일 10시 반", at(2026, 11, 24, 10, 30)),
    ("모레 오후 3시", at(2026, 11, 25, 15, 0)),
    ("14시30분", at(2026, 11, 23, 14, 30)),
    ("14시 30분", at(2026, 11, 23, 14, 30)),
    ("오늘 16:00", at(2026, 11, 23, 16, 0)),
    ("tomorrow 2pm", at(2026, 11, 24, 14, 0)),
    ("TOMORROW 2:30 PM", at(2026, 11, 24, 14, 30)),
    ("11/25 오후 12시", at(2026, 11, 25, 12, 0)),
    ("11/25 12:00", at(2026, 11, 25, 12, 0)),
    ("1/5 10:00", at(2027, 1, 5, 10, 0)),  # early January is next year's, seen from November
])
def test_reads_what_counselors_write(text, expected):
    assert parse_when(text, NOW, ZONE) == expected


def test_the_rest_of_the_message_is_left_for_the_caller():
    found = take_when("11/26 10:00 한빛물산 동행", NOW, ZONE)
    assert found.at == at(2026, 11, 26, 10, 0)
    assert found.rest == "한빛물산 동행"


def test_relative_days_follow_the_clock_in_the_centers_zone():
    # 23:30 in Seoul on Monday is still Monday 14:30 UTC: 내일 is Tuesday.
    late = datetime(2026, 11, 23, 14, 30, tzinfo=ZoneInfo("UTC"))
    assert parse_when("내일 10시", late, ZONE) == at(2026, 11, 24, 10, 0)


@pytest.mark.parametrize("text, reason", [
    ("11/25 2시", "when.ambiguous_hour"),        # 02:00 or 14:00?
    ("11/25 3:00", "when.ambiguous_hour"),
    ("오후 2시 pm", "when.ambiguous_hour"),
    ("2/30 10:00", "when.no_such_date"),
    ("11/25", "when.no_time"),
    ("11/25 25:00", "when.bad_time"),
    ("11/25 오후 13시", "when.bad_time"),
    ("11/25 14:00 15:00", "when.two_times"),
    ("11/25 14:00 11/26", "when.two_times"),
    ("", "when.missing"),
    ("다음주 화요일", "when.no_time"),
])
def test_unclear_times_are_refused_with_a_reason(text, reason):
    with pytest.raises(WhenError) as error:
        parse_when(text, NOW, ZONE)
    assert error.value.reason == reason


def test_trailing_words_make_a_bare_time_unreadable():
    with pytest.raises(WhenError) as error:
        parse_when("11/25 14:00 메모", NOW, ZONE)
    assert error.value.reason == "when.unreadable"


@pytest.mark.parametrize("text, expected", [
    ("오늘", date(2026, 11, 23)), ("내일", date(2026, 11, 24)), ("today", date(2026, 11, 23)),
    ("11/25", date(2026, 11, 25)), ("2026-12-01", date(2026, 12, 1)), ("11월 30일", date(2026, 11, 30)),
])
def test_days_for_the_list_command(text, expected):
    assert parse_day(text, NOW, ZONE) == expected


def test_a_day_with_extra_words_is_refused():
    with pytest.raises(WhenError) as error:
        parse_day("11/25 14:00", NOW, ZONE)
    assert error.value.reason == "when.no_date"
