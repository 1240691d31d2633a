"""The console's seekers: found by name and last four digits with a reason, every search and
view an access record with that reason, who may see whom (403), pausing alerts, withdrawal
that anonymizes as the kiosk's does."""

from __future__ import annotations

from console_support import add_account, post, sign_in

from kiosk.core.db import transaction
from kiosk.seekers import consents
from kiosk.seekers import store as seekers
from kiosk.staff.accounts import ROLES

KIM = "+821000001001"  # the demo's 김영희: registered at the Suwon Station booth (center 1),
# appointments at the Suwon center (2) with counselor 9
SEARCH = {"name": "김영희", "last_four": "1001", "reason": "본인 전화 문의"}


def signed(app, role: str, **kwargs):
    client = app.test_client()
    account = add_account(app, role, **kwargs)
    sign_in(client, account)
    return client, account


def records(conn, action: str | None = None) -> list:
    sql = "SELECT * FROM access_records WHERE action NOT IN ('sign_in', 'sign_out', 'sign_in_failed')"
    if action:
        sql += f" AND action = '{action}'"
    return conn.execute(sql + " ORDER BY id").fetchall()


def kim_id(conn) -> int:
    return seekers.find_by_phone(conn, KIM)["id"]


def opened(client, seeker_id: int, reason: str = "본인 전화 문의"):
    answer = post(client, f"/console/seekers/{seeker_id}/open", {"reason": reason})
    assert answer.status_code == 303, answer.get_data(as_text=True)
    return client.get(answer.headers["Location"])


def test_a_search_without_a_reason_is_refused_with_the_reasons_and_the_typing_kept(app, conn):
    client, _ = signed(app, "admin")
    answer = post(client, "/console/seekers", {"name": "김영희", "last_four": "10a1", "reason": ""})
    assert answer.status_code == 422
    text = answer.get_data(as_text=True)
    assert "숫자 4자리를 적어 주세요" in text and "열람 이유를 2자 이상 200자 이하로 적어 주세요" in text
    assert 'value="김영희"' in text and 'value="10a1"' in text
    assert records(conn) == []


def test_each_search_and_each_view_is_an_access_record_with_its_reason(app, conn):
    client, admin = signed(app, "admin")
    found = post(client, "/console/seekers", SEARCH)
    text = found.get_data(as_text=True)
    assert found.status_code == 200 and "찾은 구직자: 1명" in text
    assert "010-****-1001" in text and "010-0000-1001" not in text and "01000001001" not in text
    [search] = records(conn)
    assert (search["action"], search["reason"], search["account_id"], search["seeker_id"]) == (
        "search", "본인 전화 문의", admin.id, None)
    page = opened(client, kim_id(conn))
    assert page.status_code == 200 and "구직자: 김영희" in page.get_data(as_text=True)
    assert "열람 이유: 본인 전화 문의" in page.get_data(as_text=True)
    client.get(f"/console/seekers/{kim_id(conn)}")  # seen again: recorded again
    views = records(conn, "view")
    assert [(r["seeker_id"], r["reason"]) for r in views] == [(kim_id(conn), "본인 전화 문의")] * 2
    assert "/console/seekers/" in page.request.path and "1001" not in page.request.full_path


def test_a_seekers_page_opened_by_its_address_asks_the_reason_first_and_shows_nothing(app, conn):
    client, _ = signed(app, "admin")
    asked = client.get(f"/console/seekers/{kim_id(conn)}")
    assert asked.status_code == 200 and "김영희" not in asked.get_data(as_text=True)
    assert "010-****-1001" not in asked.get_data(as_text=True) and records(conn) == []
    refused = post(client, f"/console/seekers/{kim_id(conn)}/open", {"reason": " "})
    assert refused.status_code == 422 and "열람 이유를 2자 이상" in refused.get_data(as_text=True)
    assert opened(client, kim_id(conn), "알선 진행").status_code == 200
    assert [r["reason"] for r in records(conn, "view")] == ["알선 진행"]


def test_the_page_shows_appointments_referrals_and_alerts_with_the_number_masked(app, conn):
    client, _ = signed(app, "staff", center_id=2)  # the Suwon center, where her appointments are
    text = opened(client, kim_id(conn)).get_data(as_text=True)
    assert "010-****-1001" in text and "+821000001001" not in text
    assert "장서연" in text and "수원시 일자리센터" in text  # the appointments' counselor and center
    assert "알선 요청이 없습니다." in text and "보낸 알림이 없습니다." in text


def test_center_staff_get_403_for_another_centers_seeker_and_do_not_find_them(app, conn):
    client, _ = signed(app, "staff", center_id=3)  # Seongnam: she never came there
    assert post(client, "/console/seekers", SEARCH).get_data(as_text=True).count("찾은 구직자: 0명") == 1
    assert client.get(f"/console/seekers/{kim_id(conn)}").status_code == 403
    assert post(client, f"/console/seekers/{kim_id(conn)}/open", {"reason": "본인 전화 문의"}).status_code == 403
    assert post(client, f"/console/seekers/{kim_id(conn)}/alerts", {"paused": "1"}).status_code == 403
    assert post(client, f"/console/seekers/{kim_id(conn)}/withdraw", {"reason": "본인 요청"}).status_code == 403
    assert records(conn, "view") == [] and seekers.get(conn, kim_id(conn))["status"] == "active"
    booth, _ = signed(app, "staff", center_id=1)  # she registered at the booth's kiosk
    assert opened(booth, kim_id(conn)).status_code == 200


def test_a_counselor_sees_only_the_seekers_of_their_own_appointments(app, conn):
    own, _ = signed(app, "counselor", counselor_id=9)
    assert opened(own, kim_id(conn)).status_code == 200
    other, _ = signed(app, "counselor", counselor_id=10)  # the same center, not her counselor
    assert other.get(f"/console/seekers/{kim_id(conn)}").status_code == 403
    assert "찾은 구직자: 0명" in post(other, "/console/seekers", SEARCH).get_data(as_text=True)


def test_pausing_alerts_is_a_change_with_its_reason(app, conn):
    client, _ = signed(app, "staff", center_id=1)
    with transaction(conn):
        seekers.set_alerts_paused(conn, kim_id(conn), False, app.extensions["clock"].now())
    opened(client, kim_id(conn), "본인 요청: 알림 중지")
    paused = post(client, f"/console/seekers/{kim_id(conn)}/alerts", {"paused": "1"})
    assert paused.status_code == 303
    assert seekers.get(conn, kim_id(conn))["alerts_paused"] == 1
    assert "알림을 멈췄습니다." in client.get(paused.headers["Location"]).get_data(as_text=True)
    [change] = records(conn, "change")
    assert (change["what"], change["reason"], change["seeker_id"]) == ("alerts paused", "본인 요청: 알림 중지",
                                                                        kim_id(conn))
    post(client, f"/console/seekers/{kim_id(conn)}/alerts", {"paused": "0"})
    assert seekers.get(conn, kim_id(conn))["alerts_paused"] == 0


def kiosk_withdrawn_twin(app, conn) -> dict:
    """Another seeker like her, withdrawn by the kiosk's function, as the kiosk's My page does."""
    clock, secret, phone = app.extensions["clock"], app.config["SECRET_KEY"], "+821055556666"
    with app.app_context():
        ids = [consents.record(conn, phone=phone, kind=kind, granted=True, now=clock.now(),
                               kiosk_code="suwon-station", secret=secret) for kind in ("personal_data", "sms_alerts")]
    seeker_id, _ = seekers.register(conn, phone=phone, profile={"name": "쌍둥이", "birth_year": 1964},
                                    wanted={"occupation": ["care"]}, alerts=True, night=False,
                                    kiosk={"code": "suwon-station", "center_id": 1}, consent_ids=ids,
                                    now=clock.now())
    seekers.anonymize(conn, seeker_id, clock.now(), "withdrawal", secret=secret, kiosk_code="suwon-station")
    return dict(conn.execute("SELECT * FROM seekers WHERE id = ?", (seeker_id,)).fetchone())


def test_withdrawal_asks_for_confirmation_and_anonymizes_as_the_kiosk_does(app, conn):
    counselor, _ = signed(app, "counselor", counselor_id=9)
    opened(counselor, kim_id(conn))
    assert counselor.get(f"/console/seekers/{kim_id(conn)}/withdraw").status_code == 403
    client, _ = signed(app, "staff", center_id=1)
    seeker_id = kim_id(conn)
    opened(client, seeker_id, "본인 탈퇴 요청")
    confirm = client.get(f"/console/seekers/{seeker_id}/withdraw")
    assert confirm.status_code == 200 and "되돌릴 수 없습니다" in confirm.get_data(as_text=True)
    assert seekers.get(conn, seeker_id)["status"] == "active"  # asking is not doing
    refused = post(client, f"/console/seekers/{seeker_id}/withdraw", {"reason": ""})
    assert refused.status_code == 422 and seekers.get(conn, seeker_id)["status"] == "active"
    done = post(client, f"/console/seekers/{seeker_id}/withdraw", {"reason": "본인 전화 요청 (탈퇴)"})
    assert done.status_code == 303
    again = post(client, f"/console/seekers/{seeker_id}/withdraw", {"reason": "본인 전화 요청 (탈퇴)"})
    assert again.status_code == 303  # a second submit: already done, nothing more
    row = dict(conn.execute("SELECT * FROM seekers WHERE id = ?", (seeker_id,)).fetchone())
    twin = kiosk_withdrawn_twin(app, conn)
    erased = ("phone", "name", "birth_year", "status", "alerts_consent", "night_consent", "alerts_paused",
              "withdrawn_reason")
    assert {k: row[k] for k in erased} == {k: twin[k] for k in erased}
    assert row["phone"] is None and row["status"] == "withdrawn" and row["age_band"] == "55"
    assert conn.execute("SELECT count(*) FROM seeker_prefs WHERE seeker_id = ?", (seeker_id,)).fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM consents WHERE seeker_id = ? AND granted = 0 AND context = 'withdrawal'",
                        (seeker_id,)).fetchone()[0] >= 1
    [withdraw] = records(conn, "withdraw")
    assert (withdraw["seeker_id"], withdraw["reason"]) == (seeker_id, "본인 전화 요청 (탈퇴)")
    after = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "탈퇴한 구직자" in after and "김영희" not in after


def test_every_role_reaches_the_seekers_page_and_anonymous_visitors_sign_in_first(app):
    assert app.test_client().get("/console/seekers").status_code == 303
    for role in ROLES:
        client, _ = signed(app, role)
        assert client.get("/console/seekers").status_code == 200
