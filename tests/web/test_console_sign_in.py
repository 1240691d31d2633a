"""The console's door: signing in and out, roles, the console's own session, CSRF and no-store."""

from __future__ import annotations

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


def test_the_kiosk_session_and_the_console_session_never_open_each_other(app, client):
    sign_in(client, add_account(app, "admin"))
    console_cookie = client.get_cookie("jobstop_console", path="/console")
    assert console_cookie.path == "/console"
    kiosk = app.test_client()
    kiosk.set_cookie("session", console_cookie.value)  # a console id offered to the kiosk
    kiosk.get("/k/suwon-station/")
    conn = db.connect(app.config["DATABASE"])
    try:
        ids = [row[0] for row in conn.execute("SELECT id FROM web_sessions").fetchall()]
    finally:
        conn.close()
    assert console_cookie.value in ids
    # and a kiosk visitor's session, offered to the console, signs no one in
    visitor = app.test_client()
    visitor.get("/k/suwon-station/")
    token = csrf_of(visitor, "/console/sign-in")
    assert token
    assert visitor.get("/console/").status_code == 303


def test_signing_in_when_signed_in_goes_where_next_says_within_the_console_only(app, client):
    admin = add_account(app, "admin")
    answer = client.post("/console/sign-in", data={
        "csrf_token": csrf_of(client), "email": admin.email, "password": admin.password,
        "next": "//evil.example/console/"})
    assert answer.headers["Location"] == "/console/"
    assert client.get("/console/sign-in?next=/console/accounts").headers["Location"] == "/console/accounts"
