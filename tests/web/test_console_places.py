"""The console's centers and kiosks pages: who may open them, bad input kept with its reason, changes
that the kiosks show, and enrolment codes made in the console."""

from __future__ import annotations

import re

import pytest
from console_support import add_account, post, sign_in

from kiosk.http import clients
from kiosk.places import centers, devices

BOOTH = "수원역 일자리센터 상담부스"


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


@pytest.fixture
def booth(conn) -> int:
    return centers.by_name(conn, BOOTH)["id"]


@pytest.fixture
def seongnam(conn) -> int:
    return centers.by_name(conn, "성남시 일자리센터")["id"]


def signed_in_as(app, client, role: str, **kwargs):
    account = add_account(app, role, **kwargs)
    sign_in(client, account)
    return account


def center_form(conn, center_id: int, **changes: str) -> dict[str, str]:
    """The edit form as the page fills it, with changes."""
    row = centers.get(conn, center_id)
    form = {name: str(row[name]) for name in ("name", "kind", "region", "address", "directions", "phone",
                                              "slot_minutes")}
    form["partner"] = str(row["partner_center_id"] or "")
    for hours in conn.execute("SELECT * FROM center_hours WHERE center_id = ?", (center_id,)):
        form[f"o-{hours['weekday']}-{hours['shift']}"] = hours["opens"]
        form[f"c-{hours['weekday']}-{hours['shift']}"] = hours["closes"]
    return {**form, **changes}


def test_nobody_signed_out_and_no_counselor_reaches_these_pages(app, client, booth):
    for path in ("/console/centers", "/console/kiosks", "/console/counselors"):
        assert client.get(path).location.startswith("/console/sign-in")
    signed_in_as(app, client, "counselor")
    for path in ("/console/centers", f"/console/centers/{booth}", "/console/kiosks", "/console/kiosks/new",
                 "/console/kiosks/suwon-station", "/console/counselors"):
        assert client.get(path).status_code == 403, path
    assert post(client, "/console/kiosks/suwon-station/enrolment").status_code == 403
    home = client.get("/console/").get_data(as_text=True)
    assert "/console/centers" not in home and "/console/kiosks" not in home


def test_center_staff_see_and_change_only_their_own_center(app, client, conn, booth, seongnam):
    signed_in_as(app, client, "staff", center_id=booth)
    listed = text(client.get("/console/centers"))
    assert BOOTH in listed and "성남시 일자리센터" not in listed and "센터 추가" not in listed
    assert client.get(f"/console/centers/{booth}").status_code == 200
    assert client.get(f"/console/centers/{seongnam}").status_code == 403
    changed = center_form(conn, seongnam, name="바뀐 이름")
    assert post(client, f"/console/centers/{seongnam}", changed).status_code == 403
    assert centers.get(conn, seongnam)["name"] == "성남시 일자리센터"
    assert client.get("/console/centers/new").status_code == 403  # adding centers is for admins
    kiosks = text(client.get("/console/kiosks"))
    assert "수원역 맞이방 키오스크" in kiosks and "모란역" not in kiosks
    assert client.get("/console/kiosks/seongnam-moran").status_code == 403
    assert post(client, "/console/kiosks/seongnam-moran/enrolment").status_code == 403


def test_an_admin_sees_every_center_and_the_week_of_each(app, client, conn):
    signed_in_as(app, client, "admin")
    listed = text(client.get("/console/centers"))
    for row in centers.every(conn):
        assert row["name"] in listed
    assert "월–일 08:00–22:00" in listed and "월–금 09:00–18:00" in listed
    assert "상담 시간 없음" in listed  # the job bus
    assert "수원시 일자리센터" in text(client.get("/console/centers")).split("경기 일자리버스", 1)[1]  # its partner


def test_staff_edit_their_center_and_the_kiosk_home_shows_it(app, client, conn, booth):
    signed_in_as(app, client, "staff", center_id=booth)
    form = center_form(conn, booth, directions="수원역 1층 대합실, 1번 출구 앞", phone="031-228-3112",
                       slot_minutes="20", **{"o-5-1": "", "c-5-1": ""})  # Saturday's first shift taken off
    answer = post(client, f"/console/centers/{booth}", form)
    assert answer.status_code == 303 and answer.location == "/console/centers?notice=saved"
    row = centers.get(conn, booth)
    assert (row["directions"], row["phone"], row["slot_minutes"]) == (
        "수원역 1층 대합실, 1번 출구 앞", "031-228-3112", 20)
    saturday = conn.execute("SELECT shift FROM center_hours WHERE center_id = ? AND weekday = 5", (booth,)).fetchall()
    assert [r[0] for r in saturday] == [2]  # the second shift keeps its number
    kiosk = app.test_client().get("/k/suwon-station/").get_data(as_text=True)
    assert "수원역 1층 대합실, 1번 출구 앞" in kiosk


def test_bad_center_input_is_refused_in_korean_and_kept(app, client, conn, booth):
    signed_in_as(app, client, "staff", center_id=booth)
    form = center_form(conn, booth, phone="0312283111x", slot_minutes="7", partner=str(booth),
                       **{"o-0-1": "25:00", "c-0-2": "14:00", "o-1-1": "15:00", "c-1-1": "08:00", "o-2-1": "09:00",
                          "c-2-1": ""})
    answer = post(client, f"/console/centers/{booth}", form)
    page = text(answer)
    assert answer.status_code == 422 and "저장하지 못했습니다" in page
    for reason in ("031-228-3111처럼 지역번호와 하이픈", "10분에서 240분 사이",
                   "자기 자신은 협력 센터가 될 수 없습니다", "09:00처럼 00:00부터 23:59 사이",
                   "끝 시각이 시작 시각보다 늦어야", "시작과 끝 시각을 모두"):
        assert reason in page, reason
    html = answer.get_data(as_text=True)
    assert 'value="0312283111x"' in html and 'value="25:00"' in html and 'value="7"' in html
    assert 'id="phone"' in html and 'aria-invalid="true"' in html
    assert centers.get(conn, booth)["phone"] == "031-228-3111"


def test_an_admin_adds_a_community_center_once_with_a_partner(app, client, conn):
    signed_in_as(app, client, "admin")
    suwon = centers.by_name(conn, "수원시 일자리센터")["id"]
    form = {"name": "매탄1동 행정복지센터", "kind": "community", "region": "41110", "address": "수원시 영통구 매탄로 1",
            "directions": "1층 민원실 옆", "phone": "031-228-8000", "slot_minutes": "30", "partner": str(suwon),
            "o-0-1": "09:00", "c-0-1": "12:00"}
    assert post(client, "/console/centers/new", form).status_code == 303
    again = post(client, "/console/centers/new", form)  # the same form sent twice
    assert again.status_code == 422 and "같은 이름의 센터가 이미 있습니다" in text(again)
    rows = conn.execute("SELECT kind, partner_center_id FROM centers WHERE name = ?", (form["name"],)).fetchall()
    assert [(r["kind"], r["partner_center_id"]) for r in rows] == [("community", suwon)]
    assert "주민센터" in text(client.get("/console/centers"))


def test_kiosks_are_added_and_edited_with_their_reasons_kept(app, client, conn, booth):
    signed_in_as(app, client, "staff", center_id=booth)
    bad = post(client, "/console/kiosks/new", {"code": "Suwon Station!", "name": "", "place_kind": "station",
                                                "region": "41110", "center": str(booth)})
    page = text(bad)
    assert bad.status_code == 422 and "영문 소문자, 숫자, 하이픈" in page and "입력해 주세요" in page
    assert 'value="Suwon Station!"' in bad.get_data(as_text=True)
    taken = post(client, "/console/kiosks/new", {"code": "suwon-station", "name": "둘째", "place_kind": "station",
                                                  "region": "41110", "center": str(booth)})
    assert taken.status_code == 422 and "이 코드의 키오스크가 이미 있습니다" in text(taken)
    elsewhere = post(client, "/console/kiosks/new", {"code": "suwon-2", "name": "둘째", "place_kind": "station",
                                                      "region": "41110", "center": "3"})  # another center
    assert elsewhere.status_code == 422 and "목록에서 골라 주세요" in text(elsewhere)
    made = post(client, "/console/kiosks/new", {"code": "suwon-2", "name": "수원역 2번 키오스크",
                                                 "place_kind": "station", "region": "41110", "center": str(booth)})
    assert made.status_code == 303 and app.test_client().get("/k/suwon-2/").status_code == 200
    assert post(client, "/console/kiosks/suwon-2", {"name": "수원역 2번", "place_kind": "station", "region": "41110",
                                                     "center": str(booth)}).status_code == 303  # out of service
    assert app.test_client().get("/k/suwon-2/").status_code == 404
    assert "수원역 2번 (운영 중지)" in text(client.get("/console/kiosks"))


def test_an_enrolment_code_made_in_the_console_enrols_a_kiosk_pc(app, client, conn, booth):
    app.config["KIOSK_AUTO_ENROL"] = False  # production's rule
    signed_in_as(app, client, "staff", center_id=booth)
    shown = post(client, "/console/kiosks/suwon-station/enrolment")
    code = re.search(r'id="enrolment-code"[^>]*>([A-Z2-9]{4}-[A-Z2-9]{4})<', shown.get_data(as_text=True))[1]
    assert "https://jobstop.example.kr/k/enrol" in text(shown) and "한 번만 쓸 수 있습니다" in text(shown)
    pc = app.test_client()
    assert pc.get("/k/suwon-station/").status_code == 403
    token = re.search(r'name="csrf_token" value="([^"]+)"', pc.get("/k/enrol").text)[1]
    assert pc.post("/k/enrol", data={"csrf_token": token, "code": code}).location == "/k/suwon-station/"
    assert pc.get("/k/suwon-station/").status_code == 200
    listed = text(client.get("/console/kiosks"))
    assert "연결됨" in listed.split("수원역 맞이방 키오스크", 1)[1].split("등록 코드 만들기", 1)[0]


def enrol_pc(app, conn, now, kiosk: str):
    """A browser holding the credential a code for `kiosk` gives."""
    secret = app.config["SECRET_KEY"]
    device = devices.redeem(conn, devices.make_code(conn, kiosk, now, secret).code, now, secret)
    pc = app.test_client()
    with app.test_request_context():
        pc.set_cookie(clients.DEVICE_COOKIE, clients.credential(device))
    return pc, device


def test_a_device_disabled_in_the_console_is_refused_and_shown_offline_in_time(app, client, conn, clock, booth):
    app.config["KIOSK_AUTO_ENROL"] = False
    pc, device = enrol_pc(app, conn, clock.now(), "suwon-station")
    moran, moran_device = enrol_pc(app, conn, clock.now(), "seongnam-moran")
    assert pc.get("/k/suwon-station/").status_code == 200
    signed_in_as(app, client, "staff", center_id=booth)
    assert "연결됨" in text(client.get("/console/kiosks"))
    clock.advance(minutes=5)
    assert "연결 끊김" in text(client.get("/console/kiosks"))  # not heard from for five minutes
    answer = post(client, f"/console/kiosks/devices/{device['id']}/disable", headers={"HX-Request": "true"})
    assert answer.status_code == 200 and "기기를 해제했습니다" in text(answer)
    assert pc.get("/k/suwon-station/").status_code == 403
    assert "등록된 기기 없음" in text(client.get("/console/kiosks"))
    refused = post(client, f"/console/kiosks/devices/{moran_device['id']}/disable")  # another center's device
    assert refused.status_code == 403 and moran.get("/k/seongnam-moran/").status_code == 200
