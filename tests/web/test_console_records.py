"""Access records on their page (filters, paging, CSV) and the console's home counts."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from console_support import add_account, post, sign_in

from kiosk.console import nav
from kiosk.core import db
from kiosk.core.clock import parse_iso
from kiosk.counseling import bookings
from kiosk.counseling.texts import settings_from
from kiosk.staff import access_records


def _center_of(conn, account) -> int:
    return conn.execute("SELECT center_id FROM staff_accounts WHERE id = ?", (account.id,)).fetchone()[0]


def add_records(app, count: int, **fields) -> None:
    conn = db.connect(app.config["DATABASE"])
    at = parse_iso("2026-11-20T03:00:00Z")
    try:
        with db.transaction(conn):
            for n in range(count):
                access_records.add(conn, at + timedelta(minutes=n), account_id=None, email="someone@x.kr",
                                   address="10.0.0.9", action=fields.get("action", "view"),
                                   what=f"seeker record {n}", seeker_id=fields.get("seeker_id"),
                                   reason=fields.get("reason"))
    finally:
        conn.close()


def test_sign_in_and_failed_sign_in_are_on_the_page_with_who_when_and_where(app, client):
    staff = add_account(app, "staff", name="박기록")
    post(client, "/console/sign-in", {"email": staff.email, "password": "wrong password here"})
    post(client, "/console/sign-in", {"email": "stranger@nowhere.kr", "password": "wrong password here"})
    admin = app.test_client()
    sign_in(admin, add_account(app, "admin"))
    page = admin.get("/console/access-records").text
    assert page.count("로그인 실패") >= 2 + 1  # two rows and the action filter's option
    assert f"박기록 ({staff.email})" in page and "stranger@nowhere.kr" in page and "127.0.0.1" in page
    assert "2026. 11. 23. 10:00" in page
    only = admin.get(f"/console/access-records?account={staff.id}&action=sign_in_failed").text
    assert "stranger@nowhere.kr" not in only and "기록 1건" in only


def test_filters_by_period_and_seeker_and_pages_fifty_at_a_time(app, client):
    add_records(app, 60, seeker_id=77, reason="상담 준비")
    add_records(app, 3, seeker_id=78)
    sign_in(client, add_account(app, "admin"))
    week = client.get("/console/access-records?from=2026-11-20&to=2026-11-20").text
    assert "기록 63건" in week and "2쪽 중 1쪽" in week
    second = client.get("/console/access-records?from=2026-11-20&to=2026-11-20&page=2").text
    assert second.count("seeker record") == 13
    seeker = client.get("/console/access-records?from=2026-11-20&to=2026-11-20&seeker=78").text
    assert "기록 3건" in seeker
    assert "기록 0건" in client.get("/console/access-records?from=2026-11-21&to=2026-11-22").text
    last_week = client.get("/console/access-records").text  # 11-17 to today: the 63 and today's sign-in
    assert "기록 64건" in last_week and 'value="2026-11-17"' in last_week


def test_bad_filters_say_why_in_korean_and_keep_what_was_typed(app, client):
    sign_in(client, add_account(app, "admin"))
    bad = client.get("/console/access-records?from=2026-11-30&to=2026-11-01&seeker=abc")
    assert bad.status_code == 422
    assert "종료일이 시작일보다 앞섭니다." in bad.text and "구직자 번호는 숫자로 입력해 주세요." in bad.text
    assert 'value="abc"' in bad.text and 'value="2026-11-30"' in bad.text


def test_the_csv_has_every_matching_record_and_its_download_is_recorded(app, client, conn):
    add_records(app, 60, seeker_id=77, reason="상담 준비")
    sign_in(client, add_account(app, "admin"))
    answer = client.get("/console/access-records.csv?from=2026-11-20&to=2026-11-20&seeker=77")
    assert answer.headers["Cache-Control"] == "no-store" and answer.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(answer.text.lstrip("\ufeff"))))
    assert len(rows) == 60 and rows[0]["reason"] == "상담 준비" and rows[0]["seeker_id"] == "77"
    exported = conn.execute("SELECT what FROM access_records WHERE action = 'export'").fetchone()
    assert exported["what"] == "access records 2026-11-20..2026-11-20"


def test_only_admins_read_access_records(app):
    for role in ("staff", "counselor"):
        client = app.test_client()
        sign_in(client, add_account(app, role))
        assert client.get("/console/access-records").status_code == 403
        assert client.get("/console/access-records.csv").status_code == 403


def test_account_changes_are_recorded_by_the_admin_who_made_them(app, client, conn):
    admin = add_account(app, "admin", name="한관리")
    target = add_account(app, "staff")
    sign_in(client, admin)
    post(client, f"/console/accounts/{target.id}/active", {"active": "0"})
    row = conn.execute("SELECT * FROM access_records WHERE action = 'account'").fetchone()
    assert (row["account_id"], row["what"]) == (admin.id, f"deactivated account {target.id}")


def test_home_counts_what_waits_for_an_admin_and_links_where_it_is_handled(app, client):
    locked = add_account(app, "staff")
    for _ in range(5):
        post(app.test_client(), "/console/sign-in", {"email": locked.email, "password": "wrong password here"})
    sign_in(client, add_account(app, "admin"))
    home = client.get("/console/").text
    assert '<a href="/console/accounts" id="todo-locked_accounts">' in home
    assert '<span class="figure">1</span> 잠긴 계정' in home
    assert '<span class="figure">5</span> 지난 24시간의 로그인 실패' in home
    assert '<a href="/console/appointments" id="todo-appointments_today">' in home  # admins see every center's


def test_home_shows_a_count_once_its_page_exists_and_only_to_roles_that_may_open_it(app, client, conn, clock):
    staff = app.test_client()
    account = add_account(app, "staff")
    center_id = _center_of(conn, account)
    seeker_id = conn.execute("SELECT id FROM seekers ORDER BY id LIMIT 1").fetchone()[0]
    bookings.book_at_kiosk(conn, seeker_id=seeker_id, center_id=center_id, slot_start=parse_iso("2026-11-24T01:00:00Z"),
                           kiosk_code=None, now=clock.now(), settings=settings_from({"TIMEZONE": "Asia/Seoul"}))
    clock.advance(days=2)  # that booking is over, with no outcome recorded
    sign_in(staff, account)
    home = staff.get("/console/").text
    assert '<a href="/console/appointments" id="todo-appointments_today">' in home
    listed = staff.get("/console/appointments/waiting").text.count("#outcome")  # the rows its page lists
    assert listed > 0
    assert ('<a href="/console/appointments/waiting" id="todo-outcomes_missing">\n'
            f'      <span class="figure">{listed}</span> 결과를 기록하지 않은 지난 예약') in home
    nav.NAV.remove(shown := next(entry for entry in nav.NAV if entry[0] == "console.appointments"))
    try:  # a page its role may not open: no count
        assert "todo-appointments_today" not in staff.get("/console/").text
    finally:
        nav.NAV.insert(nav.NAV.index(next(e for e in nav.NAV if e[0] == "console.referrals")) + 1, shown)
