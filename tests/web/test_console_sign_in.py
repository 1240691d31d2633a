"""The console's door: signing in and out, roles, the console's own session, CSRF and no-store."""

from __future__ import annotations

import json

from console_support import PASSWORD, add_account, csrf_of, post, sign_in

from kiosk.core import db


def test_signing_in_opens_the_console_home_and_every_answer_is_no_store(app, client):
    admin = add_account(app, "admin", name="김관리")
    assert client.get("/console/").headers["Location"].startswith("/console/sign-in?next=/console/")
    sign_in(client, admin)
    home = client.get("/console/")
    assert home.status_code == 200
    assert "김관리" in home.get_data(as_text=True)
    assert home.headers["Cache-Control"] == "no-store"
    assert client.get("/console/sign-in").headers["Cache-Control"] == "no-store"
    assert client.get("/console/no-such-page").headers["Cache-Control"] == "no-store"


def test_a_page_for_admins_answers_403_to_a_counselor_and_to_center_staff(app):
    for role in ("counselor", "staff"):
        client = app.test_client()
        sign_in(client, add_account(app, role))
        refused = client.get("/console/accounts")
        assert refused.status_code == 403
        assert "권한이 없습니다" in refused.get_data(as_text=True)
    admin = app.test_client()
    sign_in(admin, add_account(app, "admin"))
    assert admin.get("/console/accounts").status_code == 200


def test_the_wrong_password_and_an_unknown_email_get_the_same_answer(app, client):
    staff = add_account(app, "staff")
    wrong = post(client, "/console/sign-in", {"email": staff.email, "password": "not it at all"})
    unknown = post(client, "/console/sign-in", {"email": "nobody@test.jobstop.kr", "password": "not it at all"})
    assert wrong.status_code == unknown.status_code == 422
    message = "이메일 또는 비밀번호가 맞지 않습니다."
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)
    assert f'value="{staff.email}"' in wrong.get_data(as_text=True)  # what was typed is kept
    assert client.get("/console/").status_code == 303


def test_sign_out_ends_the_session_and_the_old_cookie_opens_nothing(app, client):
    sign_in(client, add_account(app, "staff"))
    old = client.get_cookie("jobstop_console", path="/console").value
    out = post(client, "/console/sign-out")
    assert out.headers["Location"] == "/console/sign-in?notice=signed_out"
    assert client.get("/console/").status_code == 303
    other = app.test_client()
    other.set_cookie("jobstop_console", old, path="/console")
    assert other.get("/console/").status_code == 303


def test_a_form_without_its_token_is_refused_and_signs_no_one_in(app, client):
    staff = add_account(app, "staff")
    refused = client.post("/console/sign-in", data={"email": staff.email, "password": PASSWORD})
    assert refused.status_code == 400
    assert refused.headers["Cache-Control"] == "no-store"
    assert client.get("/console/").status_code == 303


def test_the_kiosk_session_and_the_console_session_never_open_each_other(app, client, conn):
    admin = add_account(app, "admin")
    sign_in(client, admin)
    console_cookie = client.get_cookie("jobstop_console", path="/console")
    assert console_cookie.path == "/console" and client.get_cookie("session") is None
    kiosk = app.test_client()
    kiosk.set_cookie("session", console_cookie.value)  # a console id offered to a kiosk screen
    kiosk.get("/k/suwon-station/")
    assert kiosk.get_cookie("session") is None or kiosk.get_cookie("session").value != console_cookie.value
    assert client.get("/console/").status_code == 200  # and the console session is untouched
    # A kiosk session's row, even one holding an account id, never opens the console.
    with db.transaction(conn):
        conn.execute("INSERT INTO web_sessions (id, data, expires_at) VALUES (?, ?, ?)",
                     ("kiosk-row-id", json.dumps({"staff_id": admin.id}), "2026-11-23T02:00:00Z"))
    visitor = app.test_client()
    visitor.set_cookie("jobstop_console", "kiosk-row-id", path="/console")
    assert visitor.get("/console/").status_code == 303
    visitor.set_cookie("session", "kiosk-row-id")
    assert visitor.get("/console/").status_code == 303


def test_signing_in_when_signed_in_goes_where_next_says_within_the_console_only(app, client):
    admin = add_account(app, "admin")
    answer = client.post("/console/sign-in", data={
        "csrf_token": csrf_of(client), "email": admin.email, "password": admin.password,
        "next": "//evil.example/console/"})
    assert answer.headers["Location"] == "/console/"
    assert client.get("/console/sign-in?next=/console/accounts").headers["Location"] == "/console/accounts"


def test_an_htmx_request_without_a_sign_in_is_sent_to_sign_in_by_hx_redirect(app, client):
    answer = client.get("/console/accounts", headers={"HX-Request": "true"})
    assert answer.status_code == 204
    assert answer.headers["HX-Redirect"] == "/console/sign-in?next=/console/accounts"


def test_the_console_switches_to_english_by_its_own_choice_not_the_kiosks(app, client):
    kiosk_token = csrf_of(client, "/k/suwon-station/")
    assert client.post("/k/suwon-station/prefs", data={"lang": "en", "csrf_token": kiosk_token}).status_code == 303
    assert '<html lang="en" class="">' in client.get("/k/suwon-station/").text
    page = client.get("/console/sign-in").text
    assert '<html lang="ko">' in page and "로그인" in page
    assert client.post("/console/language", data={"lang": "en"}).status_code == 400  # no form token
    switched = post(client, "/console/language", {"lang": "en", "next": "/console/sign-in"})
    assert switched.headers["Location"] == "/console/sign-in"
    page = client.get("/console/sign-in").text
    assert '<html lang="en">' in page and "Sign in" in page
    post(client, "/console/language", {"lang": "zh"})  # not a console language: nothing changes
    assert '<html lang="en">' in client.get("/console/sign-in").text
    staff = add_account(app, "staff")
    wrong = post(client, "/console/sign-in", {"email": staff.email, "password": "wrong password here"})
    assert "The email or the password is wrong." in wrong.text
