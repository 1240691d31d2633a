"""The console's counselors page: adding one with a mobile number shown masked from then on,
moving, deactivating, the load today, and who may do it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from console_support import add_account, post, sign_in

from kiosk.counseling import appointments
from kiosk.places import centers

BOOTH = "수원역 일자리센터 상담부스"


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


@pytest.fixture
def booth(conn) -> int:
    return centers.by_name(conn, BOOTH)["id"]


@pytest.fixture
def staff(app, client, booth):
    account = add_account(app, "staff", center_id=booth)
    sign_in(client, account)
    return account


def counselor(conn, phone: str):
    return conn.execute("SELECT * FROM counselors WHERE phone = ?", (phone,)).fetchone()


def test_a_counselor_is_added_with_a_mobile_number_masked_from_then_on(client, conn, booth, staff):
    answer = post(client, "/console/counselors", {"name": "한지민", "phone": "010-5555-9876", "center": str(booth),
                                                   "shift": "2"})
    assert answer.status_code == 303
    row = counselor(conn, "+821055559876")
    assert (row["name"], row["center_id"], row["shift"], row["active"]) == ("한지민", booth, 2, 1)
    page = client.get(answer.location).get_data(as_text=True)
    assert "상담사를 추가했습니다" in page and "010-****-9876" in page
    assert "5555-9876" not in page and "+821055559876" not in page
    records = conn.execute("SELECT action, what FROM access_records WHERE account_id = ?", (staff.id,)).fetchall()
    assert ("change", f"counselor {row['id']} added") in [tuple(r) for r in records]


@pytest.mark.parametrize(("phone", "says"), [
    ("02-123-4567", "휴대전화 번호만 사용할 수 있습니다"),
    ("010-12", "010으로 시작하는 11자리"),
    ("", "휴대전화 번호를 입력해 주세요"),
])
def test_a_number_that_is_not_a_mobile_is_refused_and_kept(client, conn, booth, staff, phone, says):
    before = conn.execute("SELECT count(*) FROM counselors").fetchone()[0]
    answer = post(client, "/console/counselors", {"name": "한지민", "phone": phone, "center": str(booth), "shift": "1"})
    html = answer.get_data(as_text=True)
    reason = re.search(r'<p class="error-message" id="phone-error">([^<]+)</p>', html)[1]
    assert answer.status_code == 422 and says in reason and "저장하지 못했습니다" in html
    assert f'value="{phone}"' in html and 'value="한지민"' in html
    assert conn.execute("SELECT count(*) FROM counselors").fetchone()[0] == before


def test_the_same_number_twice_is_one_counselor(client, conn, booth, staff):
    form = {"name": "한지민", "phone": "01055559876", "center": str(booth), "shift": "1"}
    assert post(client, "/console/counselors", form).status_code == 303
    again = post(client, "/console/counselors", form)
    assert again.status_code == 422 and "이 번호로 등록된 상담사가 이미 있습니다" in text(again)
    assert conn.execute("SELECT count(*) FROM counselors WHERE phone = '+821055559876'").fetchone()[0] == 1


def test_staff_manage_only_their_own_centers_counselors(client, conn, booth, staff):
    listed = text(client.get("/console/counselors"))
    theirs = conn.execute("SELECT id, name, center_id FROM counselors ORDER BY id").fetchall()
    mine = [r for r in theirs if r["center_id"] == booth]
    other = next(r for r in theirs if r["center_id"] != booth)
    assert all(r["name"] in listed for r in mine) and other["name"] not in listed
    assert client.get(f"/console/counselors/{other['id']}").status_code == 403
    assert post(client, f"/console/counselors/{other['id']}/active", {"active": "0"}).status_code == 403
    moved = post(client, f"/console/counselors/{mine[0]['id']}", {"center": str(other["center_id"]), "shift": "1"})
    assert moved.status_code == 422 and "목록에서 골라 주세요" in text(moved)  # not to another center either
    assert conn.execute("SELECT active FROM counselors WHERE id = ?", (other["id"],)).fetchone()[0] == 1


def test_shift_changes_and_deactivation_take_effect(client, conn, booth, staff):
    first = conn.execute("SELECT id, shift FROM counselors WHERE center_id = ? ORDER BY id", (booth,)).fetchone()
    bad = post(client, f"/console/counselors/{first['id']}", {"center": str(booth), "shift": "12"})
    assert bad.status_code == 422 and "1조부터 9조 사이로" in text(bad)
    assert post(client, f"/console/counselors/{first['id']}", {"center": str(booth), "shift": "2"}).status_code == 303
    assert conn.execute("SELECT shift FROM counselors WHERE id = ?", (first["id"],)).fetchone()[0] == 2
    answer = post(client, f"/console/counselors/{first['id']}/active", {"active": "0"}, headers={"HX-Request": "true"})
    assert answer.status_code == 200 and "비활성화했습니다" in text(answer)
    assert "<html" not in answer.get_data(as_text=True)  # the list's fragment for htmx
    assert conn.execute("SELECT active FROM counselors WHERE id = ?", (first["id"],)).fetchone()[0] == 0


def test_each_counselors_load_today_counts_their_appointments(app, client, conn, booth, staff, clock):
    first = conn.execute("SELECT id, name FROM counselors WHERE center_id = ? ORDER BY id", (booth,)).fetchone()
    for hours in (1, 2, 30):  # two today, one tomorrow
        at = clock.now() + timedelta(hours=hours)
        appointments.insert(conn, kind="counseling", center_id=booth, counselor_id=first["id"], seeker_id=None,
                            starts_at=at, slot_start=at, status="booked", booked_via="console", now=clock.now())
    row = text(client.get("/console/counselors")).split(first["name"], 1)[1]
    assert row.split("센터·근무 변경")[0].strip().endswith("예약 2건 · 알선 요청 0건")


def test_an_admin_moves_a_counselor_to_another_center(app, client, conn, booth):
    sign_in(client, add_account(app, "admin"))
    seongnam = centers.by_name(conn, "성남시 일자리센터")["id"]
    first = conn.execute("SELECT id FROM counselors WHERE center_id = ? ORDER BY id", (booth,)).fetchone()[0]
    form = client.get(f"/console/counselors/{first}").get_data(as_text=True)
    assert "010-****-" in form
    assert post(client, f"/console/counselors/{first}", {"center": str(seongnam), "shift": "1"}).status_code == 303
    assert conn.execute("SELECT center_id FROM counselors WHERE id = ?", (first,)).fetchone()[0] == seongnam
