"""The programs list in the console (admin): added, renamed, no longer offered, never removed
while someone is in it; what the kiosk's registration offers follows it."""

from __future__ import annotations

import re

from console_support import add_account, post, sign_in

from kiosk.seekers import programs

K = "/k/suwon-station"


def admin_client(app):
    client = app.test_client()
    sign_in(client, add_account(app, "admin"))
    return client


def kiosk_programs(client, conn, phone: str = "010-5555-1234") -> str:
    """The registration's program step as a visitor sees it (after verifying a number)."""
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(f"{K}/register").text)[1]
    client.post(f"{K}/register", data={"csrf_token": token})
    client.post(f"{K}/verify/phone", data={"csrf_token": token, "phone": phone})
    body = conn.execute("SELECT body FROM sms_messages WHERE kind = 'otp' ORDER BY id DESC LIMIT 1").fetchone()[0]
    client.post(f"{K}/verify/code", data={"csrf_token": token, "code": re.search(r"\d{6}", body)[0]})
    client.post(f"{K}/register/consent/personal_data", data={"csrf_token": token, "answer": "yes"})
    client.post(f"{K}/register/alerts", data={"csrf_token": token, "sms_alerts": "no", "night_alerts": "no"})
    return client.get(f"{K}/register/step/program").text


def test_only_an_admin_opens_the_programs_list(app):
    for role in ("staff", "counselor"):
        client = app.test_client()
        sign_in(client, add_account(app, role))
        assert client.get("/console/programs").status_code == 403
        assert post(client, "/console/programs", {"name": "청년도약"}).status_code == 403
        assert post(client, "/console/programs/youth", {"action": "off"}).status_code == 403
    admin = admin_client(app)
    page = admin.get("/console/programs")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "청년 (만 15~34세)" in page.text and 'href="/console/programs"' in page.text  # in the nav


def test_an_admin_adds_renames_and_stops_offering_and_the_kiosk_follows(app, conn):
    admin = admin_client(app)
    added = post(admin, "/console/programs", {"name": " 일하는  엄마 "})
    assert added.status_code == 303
    post(admin, "/console/programs", {"name": "일하는 엄마"})  # sent twice: one program
    [(code, name)] = [(r["code"], r["name"]) for r in programs.listing(conn) if r["name"]]
    assert name == "일하는 엄마" and code in programs.offered(conn)
    assert "프로그램을 추가했습니다." in admin.get(added.headers["Location"]).text
    post(admin, "/console/programs/youth", {"action": "rename", "name": "청년 일자리 도약"})
    post(admin, "/console/programs/disability", {"action": "off"})
    kiosk = kiosk_programs(app.test_client(), conn)
    assert "일하는 엄마" in kiosk and "청년 일자리 도약" in kiosk and "장애인" not in kiosk
    assert programs.label("youth", "청년 일자리 도약", "en") == "Youth (15 to 34)"  # the catalog's, translated
    assert programs.label(code, "일하는 엄마", "en") == "일하는 엄마"  # none: the name as typed
    post(admin, "/console/programs/disability", {"action": "on"})
    assert "장애인" in kiosk_programs(app.test_client(), conn, "010-5555-4321")
    post(admin, "/console/programs/youth", {"action": "rename", "name": ""})  # back to the catalog's
    assert "청년 (만 15~34세)" in admin.get("/console/programs").text


def test_a_program_someone_is_in_is_never_removed_and_bad_names_say_why(app, conn):
    admin = admin_client(app)
    refused = post(admin, "/console/programs/senior", {"action": "remove"})  # the demo's 김영희 is in it
    assert refused.status_code == 422 and "참여자가 있는 프로그램은 지울 수 없습니다." in refused.text
    assert "senior" in programs.every(conn)
    assert post(admin, "/console/programs/disability", {"action": "remove"}).status_code == 303
    assert "disability" not in programs.every(conn)
    long = post(admin, "/console/programs", {"name": "가" * 61})
    assert long.status_code == 422 and "1자 이상 60자 이하" in long.text and 'value="' + "가" * 61 in long.text
    empty = post(admin, "/console/programs", {"name": "  "})
    assert empty.status_code == 422 and 'aria-invalid="true"' in empty.text
    rename = post(admin, "/console/programs/youth", {"action": "rename", "name": "나" * 61})
    assert rename.status_code == 422 and "나" * 61 in rename.text
    assert post(admin, "/console/programs/nothing_here", {"action": "off"}).status_code == 404
    assert post(admin, "/console/programs/youth", {"action": "explode"}).status_code == 400
