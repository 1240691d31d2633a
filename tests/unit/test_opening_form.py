"""The console's opening form: the importer's rules (one minimum wage, one date rule), a way to
apply, and storing: a form sent twice is one opening, an edit keeps search in step."""

from __future__ import annotations

import pytest

from kiosk.core.db import transaction
from kiosk.openings import form, importer, search
from kiosk.openings import store as openings

GOOD = {"title": "아파트 경비원", "employer": "한빛아파트 관리사무소", "occupation": "security",
        "region": "41110", "address": "경기도 수원시 팔달구 중앙로 1", "employment_type": "full_time",
        "wage_kind": "hourly", "wage_amount": "10,320", "work_hours": "09:00~18:00",
        "work_days": "월~금", "how_to_apply": "전화 후 방문", "contact_phone": "010-2222-3333",
        "posted_on": "2026-11-20", "deadline": "2026-12-20", "description": "순찰"}


def reasons(**changes) -> dict[str, str]:
    row, found = form.check({**GOOD, **changes})
    assert (row is None) == bool(found)
    return {field: key for field, (key, _params) in found.items()}


def test_a_good_form_is_an_opening_with_the_number_written_the_korean_way():
    row, found = form.check({**GOOD, "contact_phone": "01022223333"})
    assert found == {}
    assert row["wage_amount"] == 10_320 and row["contact_phone"] == "010-2222-3333"
    assert row["posted_on"] == "2026-11-20" and "source_ref" not in row


@pytest.mark.parametrize(("kind", "least"), [("hourly", 10_320), ("monthly", 2_156_880)])
def test_the_minimum_wage_is_the_importers_one_rule(kind, least):
    assert reasons(wage_kind=kind, wage_amount=str(least)) == {}
    assert reasons(wage_kind=kind, wage_amount=str(least - 1)) == {"wage_amount": "kiosk.import.below_minimum"}
    record = {**GOOD, "source_ref": "x", "wage_kind": kind, "wage_amount": str(least - 1)}
    assert [p.reason for p in importer.check_row(record, 2)[1]] == ["below_minimum"]


def test_each_field_says_what_is_wrong_with_it():
    assert reasons(employer=" ", title="") == {"employer": "kiosk.import.required",
                                               "title": "kiosk.import.required"}
    assert reasons(deadline="2026-11-19") == {"deadline": "kiosk.import.before_posted"}
    assert reasons(posted_on="2026-13-01") == {"posted_on": "kiosk.import.not_a_date"}
    assert reasons(wage_amount="많이") == {"wage_amount": "kiosk.import.not_a_number"}
    assert reasons(occupation="welding") == {"occupation": "kiosk.import.unknown"}
    assert reasons(title="가" * 101) == {"title": "kiosk.import.too_long"}


def test_an_opening_needs_a_mobile_number_or_an_address_to_apply_at():
    assert reasons(contact_phone="") == {"contact_phone": "console_openings.invalid.no_way_to_apply"}
    assert reasons(contact_phone="031-111-2222") == {"contact_phone": "console_openings.invalid.not_mobile"}
    assert reasons(contact_phone="", how_to_apply="https://jobs.example.kr/apply/12 에서 지원") == {}
    assert reasons(contact_phone="", how_to_apply="홈페이지 http:// 참고") == {
        "contact_phone": "console_openings.invalid.no_way_to_apply"}


def test_the_same_form_sent_twice_is_one_opening_and_search_finds_it(conn, clock):
    row, _ = form.check(GOOD)
    before = conn.execute("SELECT count(*) FROM openings").fetchone()[0]
    with transaction(conn):
        first = openings.create(conn, row, "a1b2", clock.now())
    with transaction(conn):
        second = openings.create(conn, row, "a1b2", clock.now())
    assert first == second
    assert conn.execute("SELECT count(*) FROM openings").fetchone()[0] == before + 1
    assert openings.get(conn, first)["source_ref"] == "console-a1b2"
    assert first in {r[0] for r in conn.execute(
        "SELECT opening_id FROM opening_grams WHERE gram = '한빛' AND region = '41110'")}


def test_an_edit_changes_the_fields_and_the_search_entry_not_the_key_or_status(conn, clock):
    row, _ = form.check(GOOD)
    with transaction(conn):
        opening_id = openings.create(conn, row, "e1", clock.now())
    edited, _ = form.check({**GOOD, "title": "주차 관리원", "wage_kind": "monthly", "wage_amount": "2,300,000"})
    clock.advance(minutes=5)
    with transaction(conn):
        assert openings.update(conn, opening_id, edited, clock.now())
        assert not openings.update(conn, 10**9, edited, clock.now())
    stored = openings.get(conn, opening_id)
    assert (stored["title"], stored["hourly_wage"], stored["source_ref"], stored["status"]) == (
        "주차 관리원", round(2_300_000 / 209), "console-e1", "open")
    assert stored["updated_at"] == "2026-11-23T01:05:00Z"
    body = conn.execute("SELECT body FROM opening_search_text WHERE opening_id = ?", (opening_id,)).fetchone()[0]
    assert body == search.document(edited) and "주차" in body
