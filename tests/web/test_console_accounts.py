"""Accounts page, lockout and idle end: what an admin sees and does, what a person trying to sign in meets."""

from __future__ import annotations

import re

from console_support import add_account, post, sign_in

WRONG = "this is not the password"


def test_five_wrong_passwords_lock_the_email_for_15_minutes_and_say_until_when(app, client, clock):
    staff = add_account(app, "staff")
    for _ in range(4):
        assert "맞지 않습니다" in post(client, "/console/sign-in", {"email": staff.email, "password": WRONG}).text
    fifth = post(client, "/console/sign-in", {"email": staff.email, "password": WRONG})
    assert fifth.status_code == 422 and "오전 10:15까지 로그인할 수 없습니다" in fifth.text
    right = post(client, "/console/sign-in", {"email": staff.email, "password": staff.password})
    assert right.status_code == 422 and "오전 10:15까지" in right.text  # the right password waits too
    clock.advance(minutes=15, seconds=1)
    assert post(client, "/console/sign-in", {"email": staff.email, "password": staff.password}).status_code == 303


def test_an_unknown_email_is_locked_the_same_way_so_the_answer_tells_nothing(app, client):
    answers = [post(client, "/console/sign-in", {"email": "nobody@test.jobstop.kr", "password": WRONG}).text
               for _ in range(5)]
    assert "맞지 않습니다" in answers[3] and "오전 10:15까지 로그인할 수 없습니다" in answers[4]


def test_an_admin_sees_the_lock_on_the_accounts_page_and_lifts_it(app, client):
    staff = add_account(app, "staff", name="이잠김")
    for _ in range(5):
        post(client, "/console/sign-in", {"email": staff.email, "password": WRONG})
    admin = app.test_client()
    sign_in(admin, add_account(app, "admin"))
    page = admin.get("/console/accounts").text
    row = re.search(rf'<tr id="account-{staff.id}".*?</tr>', page, re.S)[0]
    assert "2026. 11. 23. 10:15" in row and "잠금 해제" in row
    lifted = post(admin, f"/console/accounts/{staff.id}/unlock")
    assert lifted.headers["Location"] == "/console/accounts?notice=unlocked"
    assert "2026. 11. 23. 10:15" not in admin.get("/console/accounts").text
    assert post(client, "/console/sign-in", {"email": staff.email, "password": staff.password}).status_code == 303


def test_a_console_session_ends_after_30_minutes_idle_not_while_in_use(app, client, clock):
    sign_in(client, add_account(app, "counselor"))
    for _ in range(3):
        clock.advance(minutes=29)
        assert client.get("/console/").status_code == 200
    clock.advance(minutes=30, seconds=1)
    ended = client.get("/console/accounts")
    assert ended.status_code == 303
    assert ended.headers["Location"] == "/console/sign-in?next=/console/accounts&notice=ended"
    assert "30분 동안 사용하지 않아 로그아웃되었습니다" in client.get(ended.headers["Location"]).text
    assert client.get("/console/").status_code == 303  # still signed out, and said only once
    assert "notice" not in client.get("/console/").headers["Location"]


def test_a_counselor_and_center_staff_cannot_manage_accounts(app):
    target = add_account(app, "staff")
    for role in ("counselor", "staff"):
        client = app.test_client()
        sign_in(client, add_account(app, role))
        assert client.get("/console/accounts/new").status_code == 403
        assert post(client, "/console/accounts/new", {"name": "몰래", "email": "sneak@x.kr", "role": "admin"}
                    ).status_code == 403
        assert post(client, f"/console/accounts/{target.id}/active", {"active": "0"}).status_code == 403
        assert post(client, f"/console/accounts/{target.id}/unlock").status_code == 403
        assert post(client, f"/console/accounts/{target.id}/link").status_code == 403


def test_bad_input_in_the_new_account_form_says_why_in_korean_and_keeps_what_was_typed(app, client, conn):
    sign_in(client, add_account(app, "admin"))
    bad = post(client, "/console/accounts/new", {"name": "최신입", "email": "choi@", "role": "staff", "center": ""})
    assert bad.status_code == 422
    assert "이메일 주소 형식이 아닙니다" in bad.text and "센터 직원과 상담사는 센터를 골라야 합니다" in bad.text
    assert 'value="최신입"' in bad.text and 'value="choi@"' in bad.text
    assert '<option value="staff" selected>' in bad.text
    counselor = conn.execute("SELECT id, center_id FROM counselors WHERE center_id <> "
                             "(SELECT center_id FROM counselors ORDER BY id LIMIT 1) ORDER BY id LIMIT 1").fetchone()
    first_center = conn.execute("SELECT center_id FROM counselors ORDER BY id LIMIT 1").fetchone()[0]
    elsewhere = post(client, "/console/accounts/new", {"name": "상담", "email": "c@jobcenter.kr", "role": "counselor",
                                                       "center": str(first_center), "counselor": str(counselor["id"])})
    assert elsewhere.status_code == 422 and "다른 센터 소속" in elsewhere.text
    assert conn.execute("SELECT count(*) FROM staff_accounts WHERE email IN ('choi@', 'c@jobcenter.kr')"
                        ).fetchone()[0] == 0


def test_an_admin_adds_an_account_whose_link_sets_its_password_and_a_second_press_adds_none(app, client, conn):
    sign_in(client, add_account(app, "admin"))
    booth = conn.execute("SELECT id FROM centers WHERE kind = 'booth'").fetchone()[0]
    form = {"name": "정직원", "email": "Jung@Jobcenter.kr", "role": "staff", "center": str(booth)}
    made = post(client, "/console/accounts/new", form)
    assert made.status_code == 200
    link = re.search(r"https://jobstop\.example\.kr(/console/set-password/[\w-]+)", made.text)[1]
    again = post(client, "/console/accounts/new", form)
    assert again.status_code == 422 and "이미 있습니다" in again.text
    assert conn.execute("SELECT count(*) FROM staff_accounts WHERE email = 'jung@jobcenter.kr'").fetchone()[0] == 1
    person = app.test_client()
    password = "jung's long password"
    post(person, link, {"password": password, "password_again": password})
    assert post(person, "/console/sign-in", {"email": "jung@jobcenter.kr", "password": password}).status_code == 303
    listed = client.get("/console/accounts").text
    assert "정직원" in listed and "수원역 일자리센터 상담부스" in listed


def test_a_deactivated_account_is_signed_out_at_once_and_cannot_sign_in(app, client):
    staff = add_account(app, "staff")
    sign_in(client, staff)
    admin = app.test_client()
    me = add_account(app, "admin")
    sign_in(admin, me)
    assert post(admin, f"/console/accounts/{staff.id}/active", {"active": "0"}).status_code == 303
    assert client.get("/console/").status_code == 303
    assert post(client, "/console/sign-in", {"email": staff.email, "password": staff.password}).status_code == 422
    refused = post(admin, f"/console/accounts/{me.id}/active", {"active": "0"})
    assert refused.headers["Location"].endswith("notice=self")
    assert admin.get("/console/").status_code == 200


def test_the_accounts_list_names_role_center_and_linked_counselor(app, client, conn):
    counselor = add_account(app, "counselor", name="윤상담")
    name = conn.execute("SELECT name FROM counselors WHERE id = ?", (counselor.counselor_id,)).fetchone()[0]
    sign_in(client, add_account(app, "admin"))
    row = re.search(rf'<tr id="account-{counselor.id}".*?</tr>', client.get("/console/accounts").text, re.S)[0]
    assert "상담사" in row and "수원역 일자리센터 상담부스" in row and name in row and "없음" in row


def test_a_new_link_from_the_accounts_page_replaces_the_old_and_sets_a_forgotten_password(app, client):
    staff = add_account(app, "staff")
    sign_in(client, add_account(app, "admin"))
    first = re.search(r"https://jobstop\.example\.kr(/console/set-password/[\w-]+)",
                      post(client, f"/console/accounts/{staff.id}/link").text)[1]
    second = re.search(r"https://jobstop\.example\.kr(/console/set-password/[\w-]+)",
                       post(client, f"/console/accounts/{staff.id}/link").text)[1]
    person = app.test_client()
    assert person.get(first).status_code == 404 and person.get(second).status_code == 200
    post(person, second, {"password": "a brand new password", "password_again": "a brand new password"})
    assert post(person, "/console/sign-in", {"email": staff.email, "password": staff.password}).status_code == 422
    assert post(person, "/console/sign-in", {"email": staff.email, "password": "a brand new password"}
                ).status_code == 303


def test_only_five_wrong_in_a_row_lock_a_sign_in_or_an_ended_lock_starts_the_count_again(app, client, clock):
    staff = add_account(app, "staff")

    def wrong():
        return post(client, "/console/sign-in", {"email": staff.email, "password": WRONG}).text

    for _ in range(4):
        wrong()
    sign_in(client, staff)
    post(client, "/console/sign-out")
    assert all("맞지 않습니다" in wrong() for _ in range(4))  # the sign-in started the count again
    assert "까지 로그인할 수 없습니다" in wrong()
    clock.advance(minutes=16)
    assert "맞지 않습니다" in wrong()  # the ended lock does not come back at the next mistake
    sign_in(client, staff)
