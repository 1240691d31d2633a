"""`jobstop staff add` and its one-time link, `jobstop audit` in text and CSV, the demo's accounts."""

from __future__ import annotations

import csv
import io
import re

from console_support import add_account, csrf_of, post

from kiosk.demo.staff import DEMO_ACCOUNTS

LINK = re.compile(r"https://jobstop\.example\.kr/console/set-password/([A-Za-z0-9_-]+)")
NEW_PASSWORD = "a long staff password 42"


def set_password(client, url_path: str, password: str = NEW_PASSWORD):
    return client.post(url_path, data={"csrf_token": csrf_of(client, url_path), "password": password,
                                       "password_again": password})


def test_staff_add_prints_a_link_that_sets_the_password_once(app, runner, client):
    made = runner.invoke(["staff", "add", "홍길동", "Hong@Jobcenter.kr", "--role", "staff", "--center", "수원역"])
    assert made.exit_code == 0, made.output
    token = LINK.search(made.output)[1]
    path = f"/console/set-password/{token}"
    assert "홍길동" in client.get(path).get_data(as_text=True)
    short = set_password(client, path, "short")
    assert short.status_code == 422 and "12자 이상" in short.get_data(as_text=True)
    assert set_password(client, path).headers["Location"] == "/console/sign-in?notice=password_set"
    assert client.get(path).status_code == 404  # used once
    assert set_password(client, path, "another long password 9").status_code == 404
    signed = post(client, "/console/sign-in", {"email": "hong@jobcenter.kr", "password": NEW_PASSWORD})
    assert signed.status_code == 303 and client.get("/console/").status_code == 200


def test_the_link_expires_and_a_newer_link_ends_the_older_one(app, runner, client, clock):
    made = runner.invoke(["staff", "add", "김상담", "kim@jobcenter.kr", "--role", "admin"])
    first = LINK.search(made.output)[1]
    again = runner.invoke(["staff", "link", "kim@jobcenter.kr"])
    second = LINK.search(again.output)[1]
    assert client.get(f"/console/set-password/{first}").status_code == 404
    assert client.get(f"/console/set-password/{second}").status_code == 200
    clock.advance(hours=72, seconds=1)
    assert client.get(f"/console/set-password/{second}").status_code == 404


def test_staff_add_refuses_what_the_accounts_page_refuses(app, runner, conn):
    taken = add_account(app, "admin")
    assert "already exists" in runner.invoke(["staff", "add", "X", taken.email, "--role", "admin"]).output
    assert "need a center" in runner.invoke(["staff", "add", "X", "x@jobcenter.kr", "--role", "staff"]).output
    assert "not an email" in runner.invoke(["staff", "add", "X", "not-an-email", "--role", "admin"]).output
    alone = runner.invoke(["staff", "add", "X", "x@jobcenter.kr", "--role", "counselor", "--center", "수원역"])
    assert "needs the counselor" in alone.output
    assert conn.execute("SELECT count(*) FROM staff_accounts WHERE email = 'x@jobcenter.kr'").fetchone()[0] == 0


def test_a_counselor_account_is_linked_to_the_counselor_named_by_phone(app, runner, conn):
    phone = conn.execute("SELECT phone, id, center_id FROM counselors WHERE phone = '+821055500009'").fetchone()
    made = runner.invoke(["staff", "add", "박상담", "park@jobcenter.kr", "--role", "counselor",
                          "--counselor", "010-5550-0009"])
    assert made.exit_code == 0, made.output
    row = conn.execute("SELECT counselor_id, center_id FROM staff_accounts"
                       " WHERE email = 'park@jobcenter.kr'").fetchone()
    assert (row["counselor_id"], row["center_id"]) == (phone["id"], phone["center_id"])
    twice = runner.invoke(["staff", "add", "박상담2", "park2@jobcenter.kr", "--role", "counselor",
                           "--counselor", str(phone["id"])])
    assert "already has an account" in twice.output


def test_audit_lists_sign_ins_and_failures_of_the_days_asked_in_text_and_csv(app, runner, client, clock):
    staff = add_account(app, "staff")
    post(client, "/console/sign-in", {"email": staff.email, "password": "wrong wrong wrong"})
    post(client, "/console/sign-in", {"email": staff.email, "password": staff.password})
    clock.advance(minutes=10)
    post(client, "/console/sign-out")
    clock.advance(days=2)
    post(client, "/console/sign-in", {"email": staff.email, "password": "two days later"})
    text = runner.invoke(["audit", "--from", "2026-11-23", "--to", "2026-11-23"])
    assert text.exit_code == 0
    assert [line.split()[3] for line in text.stdout.splitlines()] == ["sign_in_failed", "sign_in", "sign_out"]
    made = runner.invoke(["audit", "--from", "2026-11-23", "--to", "2026-11-25", "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(made.stdout)))
    assert [r["action"] for r in rows] == ["sign_in_failed", "sign_in", "sign_out", "sign_in_failed"]
    assert {r["email"] for r in rows} == {staff.email}
    assert rows[0]["what"] == "wrong_password" and rows[1]["address"] == "127.0.0.1"
    assert rows[0]["at"] == "2026-11-23T01:00:00Z"
    backwards = runner.invoke(["audit", "--from", "2026-11-25", "--to", "2026-11-23"])
    assert backwards.exit_code != 0


def test_the_demo_has_one_account_per_role_that_signs_in(app, client, conn):
    roles = {row["role"]: row for row in conn.execute("SELECT * FROM staff_accounts").fetchall()}
    assert set(roles) == {"admin", "staff", "counselor"}
    assert roles["counselor"]["counselor_id"] is not None
    assert roles["staff"]["center_id"] == roles["counselor"]["center_id"]
    for email, _name, _role, password in DEMO_ACCOUNTS:
        each = app.test_client()
        assert post(each, "/console/sign-in", {"email": email, "password": password}).status_code == 303
        assert each.get("/console/").status_code == 200
