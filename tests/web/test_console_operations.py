"""The console's operations page: the outbox, the scheduler and its jobs, the texts that did not
reach their number; what an admin sees, what others may not open."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from console_support import add_account, post, sign_in
from scheduler_helpers import add_seeker

from kiosk.core import db
from scheduler import lease, runs
from sms.outbound import outbox

PHONE = "+821012345678"
OTHER = "+821098765432"


@pytest.fixture
def admin(app):
    client = app.test_client()
    sign_in(client, add_account(app, "admin"))
    return client


@pytest.fixture
def empty_outbox(conn):
    with db.transaction(conn):
        conn.execute("DELETE FROM sms_messages")
    return conn


def add(conn, key: str, now, *, to: str = PHONE, **extra) -> int:
    with db.transaction(conn):
        return outbox.enqueue(conn, to=to, body="면접 안내", kind="transactional", dedupe_key=key, now=now,
                              **extra).id


def claim(conn, now, token: str = "pass") -> list[int]:
    with db.transaction(conn):
        rows = outbox.claim_due(conn, now, 100, token=token, lease_until=now + timedelta(seconds=30))
    return [row["id"] for row in rows]


def one_unknown_number(conn, now):
    """One text the provider refused: the number does not exist (30005)."""
    message = add(conn, "a", now)
    claim(conn, now)
    with db.transaction(conn):
        outbox.mark(conn, message, "pass", now, status="failed", error_code=30005)
    return conn


def part(page: str, element_id: str) -> str:
    return re.search(rf'id="{element_id}".*?</(?:li|p|tr)>', page, re.S)[0]


def test_only_admins_open_it_and_only_they_see_it_in_the_nav(app, admin):
    assert "운영 상태" in admin.get("/console/").text
    assert admin.get("/console/operations").status_code == 200
    for role in ("staff", "counselor"):
        other = app.test_client()
        sign_in(other, add_account(app, role, center_id=1) if role == "staff" else add_account(app, role))
        assert other.get("/console/operations").status_code == 403
        assert "/console/operations" not in other.get("/console/").text
    assert app.test_client().get("/console/operations").status_code in (302, 303)


def test_the_outbox_counts_what_waits_and_what_ended_today(admin, empty_outbox, clock):
    conn, now = empty_outbox, clock.now()
    for key in ("due-1", "due-2", "due-3"):
        add(conn, key, now - timedelta(minutes=12))
    add(conn, "later", now, send_at=now + timedelta(hours=3))
    sending, failing = claim(conn, now)[:2]
    with db.transaction(conn):
        outbox.mark(conn, failing, "pass", now, status="failed", error_code=21614,
                    error_text=f"{PHONE} is not a mobile")
    page = admin.get("/console/operations").text
    figures = {name: re.search(r'class="figure">(\d+)<', part(page, f"outbox-{name}"))[1]
               for name in ("due", "later", "sending")}
    assert figures == {"due": "0", "later": "1", "sending": "2"}  # the claim took all three due rows
    assert re.search(r'class="figure">1<', part(page, "ended-failed"))
    assert sending != failing
    with db.transaction(conn):
        outbox.release_claimed(conn, [sending], "pass", now)
    page = admin.get("/console/operations").text
    assert re.search(r'class="figure">1<', part(page, "outbox-due"))
    assert "12분째 기다리고" in part(page, "outbox-behind")


def test_an_unreached_text_shows_a_masked_number_and_its_cause_in_words(app, admin, empty_outbox, clock):
    conn, now = empty_outbox, clock.now()
    first, second = add(conn, "a", now), add(conn, "b", now, to=OTHER)
    claim(conn, now)
    with db.transaction(conn):
        outbox.mark(conn, first, "pass", now, status="failed", error_code=21614,
                    error_text=f"The 'To' number {PHONE} is not a valid mobile number")
        outbox.store_sid(conn, second, now, sid="SM" + uuid.uuid4().hex, transport="twilio", status="sent", segments=1)
        outbox.set_delivery_status(conn, second, "undelivered", now, 30003)
    page = admin.get("/console/operations").text
    table = re.search(r'<table id="unreached">.*?</table>', page, re.S)[0]
    assert "010-****-5678" in table and "휴대전화 번호가 아닙니다" in table
    assert "010-****-5432" in table and "휴대전화가 꺼져 있거나 연결되지 않습니다" in table
    assert "12345678" not in page and "1012345678" not in page  # the provider's text quoting it stays out
    records = conn.execute("SELECT action, what FROM access_records WHERE action = 'view'").fetchall()
    assert [tuple(r) for r in records] == [("view", "texts that did not reach their number: 2, masked")]


def test_a_send_cut_off_midway_and_a_text_past_its_time_say_so(admin, empty_outbox, clock):
    conn, now = empty_outbox, clock.now()
    add(conn, "cut", now)
    claim(conn, now)  # taken; the pass then dies before any answer
    add(conn, "late", now, send_at=now + timedelta(minutes=1), valid_until=now + timedelta(minutes=5))
    clock.advance(minutes=10)  # nothing sent it within its five minutes
    with db.transaction(conn):
        outbox.recover_stale(conn, clock.now(), max_attempts=1)
        outbox.expire_due(conn, clock.now())
    table = re.search(r'<table id="unreached">.*?</table>', admin.get("/console/operations").text, re.S)[0]
    rows = re.findall(r"<tr>.*?</tr>", table, re.S)[1:]
    assert len(rows) == 2
    assert any("보내는 도중 발송이 멈췄습니다" in row and "보내지 못함" in row for row in rows)
    assert any("보내도 되는 시간 안에 보내지 못했습니다" in row and "시간이 지나 보내지 않음" in row for row in rows)


def test_the_scheduler_missing_then_holding_then_silent(app, admin, conn, clock):
    assert "스케줄러가 돌고 있지 않습니다" in part(admin.get("/console/operations").text, "scheduler-state")
    assert lease.acquire(conn, "host-a:41:beef", clock.now(), 8)
    state = part(admin.get("/console/operations").text, "scheduler-state")
    assert "host-a:41:beef" in state and "warning" not in state
    clock.advance(seconds=25)
    state = part(admin.get("/console/operations").text, "scheduler-state")
    assert "warning" in state and "25초 전" in state and "멈췄을 수 있으니" in state


def test_each_jobs_newest_run_and_a_failure_until_it_runs_well_again(admin, conn, clock):
    start = clock.now()
    failed = runs.start(conn, "match", "host-a:41:beef", start)
    runs.finish(conn, failed, start + timedelta(seconds=2), "error",
                {"error": "OperationalError('database is locked')"})
    row = part(admin.get("/console/operations").text, "job-match")
    assert "새 일자리와 구직자 맞추기" in row and "실패: OperationalError" in row and "database is locked" not in row
    assert "2.0초" in row and "아직 없음" in row  # no success yet
    clock.advance(minutes=1)
    fine = runs.start(conn, "match", "host-a:41:beef", clock.now())
    runs.finish(conn, fine, clock.now() + timedelta(seconds=75), "ok", {"matched": 3})
    row = part(admin.get("/console/operations").text, "job-match")
    assert "OperationalError" not in row and "성공" in row and "1분 15초" in row


def test_the_refresh_fetches_the_status_part_alone_and_records_no_view(admin, empty_outbox, clock):
    conn = one_unknown_number(empty_outbox, clock.now())
    refreshed = admin.get("/console/operations", headers={"HX-Request": "true"}).text
    assert refreshed.lstrip().startswith("<div id=\"operations-status\"") and "unreached" not in refreshed
    assert conn.execute("SELECT count(*) FROM access_records WHERE action = 'view'").fetchone()[0] == 0


def test_the_admin_home_counts_yesterdays_unreached_texts_and_links_here(admin, empty_outbox, clock):
    one_unknown_number(empty_outbox, clock.now())
    link = re.search(r'<a href="/console/operations" id="todo-unreached">.*?</a>', admin.get("/console/").text, re.S)
    assert link and re.search(r'class="figure">1<', link[0])


def test_the_page_reads_in_english(admin):
    post(admin, "/console/language", {"lang": "en", "next": "/console/operations"})
    page = admin.get("/console/operations").text
    assert "Operations: texts and timed jobs" in page and "Sending texts" in page


def test_staff_and_counselors_see_the_texts_their_own_centers_seekers_did_not_get(app, admin, empty_outbox, clock):
    conn, now = empty_outbox, clock.now()
    staff = add_account(app, "staff")
    elsewhere = conn.execute("SELECT id FROM centers WHERE id <> ? ORDER BY id LIMIT 1",
                             (staff.center_id,)).fetchone()[0]
    mine = add_seeker(conn, PHONE, now, center_id=staff.center_id)
    theirs = add_seeker(conn, OTHER, now, center_id=elsewhere)
    texts = [add(conn, "mine", now, seeker_id=mine), add(conn, "theirs", now, to=OTHER, seeker_id=theirs),
             add(conn, "nobody's", now, to="+821055554444")]
    claim(conn, now)
    with db.transaction(conn):
        for text in texts:
            outbox.mark(conn, text, "pass", now, status="failed", error_code=30005)

    for account in (staff, add_account(app, "counselor")):
        client = app.test_client()
        sign_in(client, account)
        home = client.get("/console/").text
        link = re.search(r'<a href="/console/unreached" id="todo-unreached">.*?</a>', home, re.S)
        assert link and re.search(r'class="figure">1<', link[0])  # their center's one, not all three
        page = client.get("/console/unreached")
        assert page.status_code == 200
        table = re.search(r'<table id="unreached">.*?</table>', page.text, re.S)[0]
        assert "010-****-5678" in table and "없는 번호이거나 해지된 번호입니다" in table
        assert "010-****-5432" not in table and "010-****-4444" not in table
        assert 'id="operations-status"' not in page.text  # the outbox and the jobs are the admins'
        assert client.get("/console/operations").status_code == 403

    everyone = re.search(r'<table id="unreached">.*?</table>', admin.get("/console/unreached").text, re.S)[0]
    assert all(masked in everyone for masked in ("010-****-5678", "010-****-5432", "010-****-4444"))
    assert "/console/unreached" not in admin.get("/console/").text  # the operations page has it for admins
    views = conn.execute("SELECT what FROM access_records WHERE action = 'view' ORDER BY id").fetchall()
    assert [row[0] for row in views] == ["texts that did not reach their number: 1, masked"] * 2 + [
        "texts that did not reach their number: 3, masked"]
