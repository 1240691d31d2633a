"""The translation catalog and Korean formats."""

from __future__ import annotations

from datetime import UTC, date, datetime

from kiosk.core import formatting
from kiosk.core.i18n import LANGUAGES, STAFF_LANGUAGES, catalog, staff_keys, translate
from kiosk.core.regions import EMPLOYMENT_TYPES, OCCUPATIONS, REGIONS


def test_every_language_has_every_korean_key():
    """Staff pages' keys in Korean and English only; every other key in every language."""
    korean = set(catalog("ko"))
    for language in LANGUAGES:
        wanted = korean if language in STAFF_LANGUAGES else korean - staff_keys()
        missing = wanted - set(catalog(language))
        assert not missing, f"{language} lacks {sorted(missing)[:10]}"


def test_every_code_has_a_name():
    for language in LANGUAGES:
        names = catalog(language)
        for code in REGIONS:
            assert f"region.{code}" in names
        for code in OCCUPATIONS:
            assert f"occupation.{code}" in names
        for code in EMPLOYMENT_TYPES:
            assert f"employment.{code}" in names
    assert len(REGIONS) == 31 + 25


def test_missing_language_falls_back_to_korean():
    assert translate("occupation.security", "xx") == "경비·청소"


def test_money_dates_and_times_read_the_korean_way():
    assert formatting.wage("hourly", 10320) == "시급 10,320원"
    assert formatting.wage("monthly", 2500000) == "월급 2,500,000원"
    assert formatting.day(date(2026, 11, 25)) == "2026년 11월 25일 (수)"
    at = formatting.local(datetime(2026, 11, 25, 5, 0, tzinfo=UTC), "Asia/Seoul")
    assert formatting.day_and_time(at) == "11월 25일(수) 오후 2:00"
    assert formatting.clock_time(at.replace(hour=0, minute=5)) == "오전 12:05"
    assert formatting.wage("monthly", 2500000, "en") == "KRW 2,500,000 a month"
