"""Registration, my page and the phone actions through the Flask test client."""

from __future__ import annotations

import re

import pytest

from kiosk.seekers import store as seekers

K = "/k/suwon-station"
PHONE = "+821055551234"


class Visitor:
    """A kiosk visitor: keeps the CSRF token and reads codes from the outbox."""

    def __init__(self, client, conn) -> None:
        self.client, self.conn = client, conn
        page = client.get(f"{K}/register")
        self.token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    def post(self, path: str, **data):
        response = self.client.post(path, data={"csrf_token": self.token, **data})
        assert response.status_code == 303, (path, response.status_code)
        return response

    def last_code(self) -> str:
        body = self.conn.execute("SELECT body FROM sms_messages WHERE kind = 'otp'"
                                 " ORDER BY id DESC LIMIT 1").fetchone()["body"]
        return re.search(r"\d{6}", body).group(0)

    def verify(self, start: str = f"{K}/register", typed: str = "010-5555-1234"):
        self.post(start) if start.endswith("/register") else self.client.get(start)
        self.post(f"{K}/verify/phone", phone=typed)
        return self.post(f"{K}/verify/code", code=self.last_code())

    def register(self, alerts: str = "yes"):
        """Registration as it is now: consent, the two alert questions, occupation, region, and a
        program chosen from the review screen."""
        self.verify()
        self.post(f"{K}/register/consent/personal_data", answer="yes")
        self.post(f"{K}/register/alerts", sms_alerts=alerts, night_alerts="no")
        self.post(f"{K}/register/step/occupation", value=["care", "food"])
        self.post(f"{K}/register/step/region", value=["41110", "41130"])
        self.post(f"{K}/register/step/program", value=["career_break"], **{"return": "review"})
        return self.post(f"{K}/register/confirm")

    def tell_more(self):
        """My page's "more about you": the questions registration left for later."""
        assert self.client.get(f"{K}/my/more").location == f"{K}/my/edit/name?more=1"
        answers = {"name": "김영희", "birth_year": "1968", "employment_type": ["part_time"],
                   "min_wage": "10320", "program": ["senior"]}
        for name, value in answers.items():
            response = self.post(f"{K}/my/edit/{name}", value=value, more="1")
        assert response.location == f"{K}/my"


@pytest.fixture
def visitor(client, conn):
    return Visitor(client, conn)


def test_whole_registration_stores_the_seeker_and_texts_how_to_stop(visitor, client, conn):
    done = visitor.register()
    assert done.location == f"{K}/register/done"
    seeker = seekers.find_by_phone(conn, PHONE)
    assert seeker["kiosk_code"] == "suwon-station"
    assert (seeker["alerts_consent"], seeker["night_consent"], seeker["alert_frequency"]) == (1, 0, "daily")
    # what registration no longer asks keeps its default until My page fills it in
    assert (seeker["name"], seeker["birth_year"], seeker["age_band"]) == (None, None, None)
    assert (seeker["language"], seeker["min_hourly_wage"]) == ("ko", 0)
    assert seekers.prefs(conn, seeker["id"]) == {
        "occupation": ["care", "food"], "region": ["41110", "41130"], "employment_type": [],
        "program": ["career_break"]}
    chosen = conn.execute("SELECT set_by FROM seeker_programs WHERE seeker_id = ?", (seeker["id"],)).fetchone()
    assert chosen[0] == "seeker"
    ledger = conn.execute("SELECT kind, granted, notice_version FROM consents WHERE seeker_id = ? ORDER BY id",
                          (seeker["id"],)).fetchall()
    assert [tuple(r) for r in ledger] == [("personal_data", 1, "2026-12-v2"), ("sms_alerts", 1, "2026-11-v1"),
                                          ("night_alerts", 0, "2026-11-v1")]
    welcome = conn.execute("SELECT * FROM sms_messages WHERE dedupe_key = ?", (f"welcome:{seeker['id']}",)).fetchone()
    assert welcome["kind"] == "transactional" and "중지" in welcome["body"]
    page = client.get(f"{K}/register/done")
    assert "010-****-1234" in page.text and "5555" not in page.text
    assert page.headers["Cache-Control"] == "no-store"
    # a second tap on "register" changes nothing
    visitor.post(f"{K}/register/confirm")
    assert conn.execute("SELECT count(*) FROM seekers WHERE phone = ?", (PHONE,)).fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM sms_messages WHERE dedupe_key LIKE 'welcome:%'").fetchone()[0] == 1


def test_my_page_fills_in_what_registration_left_for_later(visitor, client, conn):
    visitor.register()
    my = client.get(f"{K}/my").text
    assert "나에 대해 더 알려 주기" in my and "반갑습니다." in my  # no name yet: greeted without one
    page = client.get(f"{K}/my/edit/name?more=1")
    assert "5단계 중 1단계" in page.text and 'name="more" value="1"' in page.text
    visitor.post(f"{K}/my/edit/birth_year", value="19", more="1")  # refused: stays in "more"
    assert client.get(f"{K}/my/edit/birth_year?more=1").text.count("네 자리") == 1
    visitor.tell_more()
    seeker = seekers.find_by_phone(conn, PHONE)
    assert (seeker["name"], seeker["birth_year"], seeker["age_band"], seeker["min_hourly_wage"]) == (
        "김영희", 1968, "55", 10320)
    assert seekers.prefs(conn, seeker["id"]) == {
        "occupation": ["care", "food"], "region": ["41110", "41130"],
        "employment_type": ["part_time"], "program": ["senior"]}
    my = client.get(f"{K}/my").text
    assert "김영희님, 반갑습니다." in my and "더 알려 주셔서 고맙습니다" in my
    # an empty birth year is no answer: the age band goes with it
    visitor.post(f"{K}/my/edit/birth_year", value="")
    assert seekers.get(conn, seeker["id"])["age_band"] is None


def test_skipped_questions_take_the_screen_language_and_the_review_shows_them(visitor, client, conn):
    visitor.verify()
    visitor.post(f"{K}/register/consent/personal_data", answer="yes")
    visitor.post(f"{K}/prefs", lang="en", next=f"{K}/register/alerts")
    visitor.post(f"{K}/register/alerts", sms_alerts="yes", night_alerts="yes")
    visitor.post(f"{K}/register/step/occupation", value=[])
    assert visitor.post(f"{K}/register/step/region", value=[]).location == f"{K}/register/review"
    review = client.get(f"{K}/register/review").text
    for shown in ("Text alerts", "Night alerts", "Agreed", "Any", "Once a day", "English", "None"):
        assert shown in review, shown
    assert 'href="/k/suwon-station/register/step/program?return=review"' in review  # programs: from here
    assert 'href="/k/suwon-station/register/step/frequency?return=review"' in review
    visitor.post(f"{K}/register/step/frequency", value="weekly", **{"return": "review"})
    visitor.post(f"{K}/register/confirm")
    seeker = seekers.find_by_phone(conn, PHONE)
    assert (seeker["language"], seeker["alert_frequency"], seeker["night_consent"]) == ("en", "weekly", 1)
    welcome = conn.execute("SELECT language FROM sms_messages WHERE dedupe_key LIKE 'welcome:%'").fetchone()
    assert welcome["language"] == "en"


def test_the_alerts_screen_needs_an_answer_to_each_question(visitor, client, conn):
    visitor.verify()
    visitor.post(f"{K}/register/consent/personal_data", answer="yes")
    page = client.get(f"{K}/register/alerts").text
    # nothing consented for the visitor (the time alerts come has a default: it consents to nothing)
    assert page.count('name="sms_alerts"') == page.count('name="night_alerts"') == 2
    assert not re.search(r'name="(sms|night)_alerts" value="\w+" checked', page)
    assert page.count("보유 기간") == 2 and page.count("동의하지 않을 권리") == 2  # each notice in full
    for missing in ({}, {"night_alerts": "yes"}, {"sms_alerts": "yes"}):
        assert visitor.post(f"{K}/register/alerts", **missing).location == f"{K}/register/alerts"
        assert "질문마다" in client.get(f"{K}/register/alerts").text
    def given() -> list[str]:
        return [r[0] for r in conn.execute("SELECT kind FROM consents WHERE seeker_id IS NULL ORDER BY id")]

    assert given() == ["personal_data"]
    # no alerts: the night question does not apply and is not recorded
    assert visitor.post(f"{K}/register/alerts", sms_alerts="no").location == f"{K}/register/step/occupation"
    assert given() == ["personal_data", "sms_alerts"]
    # the old one-consent-per-screen addresses lead to the alerts screen
    assert client.get(f"{K}/register/consent/night_alerts").location == f"{K}/register/alerts"
    # skipping ahead to the review is sent back to the first unanswered question
    assert client.get(f"{K}/register/review").text.count("/register/step/occupation") >= 1
    assert visitor.post(f"{K}/register/confirm").location == f"{K}/register/step/occupation"


def test_refusing_alerts_skips_night_and_frequency_questions(visitor, conn):
    visitor.register(alerts="no")
    seeker = seekers.find_by_phone(conn, PHONE)
    assert (seeker["alerts_consent"], seeker["alert_frequency"]) == (0, "off")
    # changing one's mind later on my page: recorded, then asked how often
    response = visitor.post(f"{K}/my/consent/sms_alerts", answer="yes")
    assert response.location == f"{K}/my/edit/frequency"
    visitor.post(f"{K}/my/edit/frequency", value="weekly")
    seeker = seekers.get(conn, seeker["id"])
    assert (seeker["alerts_consent"], seeker["alert_frequency"]) == (1, "weekly")
    last = conn.execute("SELECT kind, granted, context FROM consents WHERE seeker_id = ? ORDER BY id DESC",
                        (seeker["id"],)).fetchone()
    assert tuple(last) == ("sms_alerts", 1, "mypage")


def test_refusing_personal_data_stops_registration_and_stores_nothing_but_the_answer(visitor, conn):
    visitor.verify()
    response = visitor.post(f"{K}/register/consent/personal_data", answer="no")
    assert response.location == f"{K}/register/refused"
    assert visitor.client.get(f"{K}/register/step/occupation").status_code == 303
    assert visitor.client.get(f"{K}/register/alerts").status_code == 303
    assert seekers.find_by_phone(conn, PHONE) is None
    row = conn.execute("SELECT * FROM consents WHERE seeker_id IS NULL").fetchone()
    assert (row["kind"], row["granted"], row["seeker_id"]) == ("personal_data", 0, None)


def test_a_landline_gets_a_clear_message_and_stays_editable(visitor, client):
    visitor.post(f"{K}/register")
    response = visitor.post(f"{K}/verify/phone", phone="031-228-3111")
    assert response.location == f"{K}/verify/phone"
    page = client.get(f"{K}/verify/phone")
    assert "휴대전화 번호만" in page.text and 'value="031-228-3111"' in page.text


def test_wrong_codes_count_down_and_then_need_a_new_code(visitor, client, clock):
    visitor.post(f"{K}/register")
    visitor.post(f"{K}/verify/phone", phone="01055551234")
    code = visitor.last_code()
    wrong = "000000" if code != "000000" else "111111"
    visitor.post(f"{K}/verify/code", code=wrong)
    assert "4번 더" in client.get(f"{K}/verify/code").text
    for _ in range(4):
        visitor.post(f"{K}/verify/code", code=wrong)
    assert "5번 틀려서" in client.get(f"{K}/verify/code").text
    assert visitor.post(f"{K}/verify/code", code=code).location == f"{K}/verify/code"  # spent, even if right
    assert client.get(f"{K}/register/consent/personal_data").status_code == 303
    # a resend before 60 s says when; after it, a new code works
    visitor.post(f"{K}/verify/resend")
    assert "이후에 다시 받을 수" in client.get(f"{K}/verify/code").text
    clock.advance(seconds=61)
    visitor.post(f"{K}/verify/resend")
    response = visitor.post(f"{K}/verify/code", code=visitor.last_code())
    assert response.location == f"{K}/register/consent/personal_data"


def test_an_opted_out_number_is_told_to_text_start(visitor, client, conn, clock):
    from sms.outbound import optout

    optout.opt_out(conn, PHONE, clock.now(), "keyword")
    visitor.post(f"{K}/register")
    visitor.post(f"{K}/verify/phone", phone="010-5555-1234")
    assert "START" in client.get(f"{K}/verify/phone").text
    assert conn.execute("SELECT count(*) FROM sms_messages").fetchone()[0] == 0


def test_step_validation_keeps_the_input_and_explains(visitor, client):
    visitor.verify()
    visitor.post(f"{K}/register/consent/personal_data", answer="yes")
    visitor.post(f"{K}/register/step/region", value=["99999"])
    assert "목록에 있는 것만" in client.get(f"{K}/register/step/region").text
    assert client.get(f"{K}/register/step/name").status_code == 404  # not asked at registration
    visitor.register()
    visitor.post(f"{K}/my/edit/birth_year", value="19")
    page = client.get(f"{K}/my/edit/birth_year")
    assert "네 자리" in page.text and 'value="19"' in page.text and 'aria-invalid="true"' in page.text


def test_every_form_needs_the_csrf_token(visitor, client):
    assert client.post(f"{K}/verify/phone", data={"phone": "01055551234"}).status_code == 400
    assert client.post(f"{K}/register/confirm").status_code == 400


def test_no_phone_number_in_urls_pages_or_usage_events(visitor, client, conn):
    visitor.register()
    for path in (f"{K}/my", f"{K}/register/done", f"{K}/my/withdraw"):
        page = client.get(path)
        assert "5555-1234" not in page.text and "01055551234" not in page.text
    for path in (f"{K}/my", f"{K}/verify/phone", f"{K}/my/edit/region"):
        assert client.get(path).headers["Cache-Control"] == "no-store"
    events = " ".join(r[0] for r in conn.execute("SELECT detail FROM usage_events"))
    assert "5555" not in events and "1234" not in events
    assert {r[0] for r in conn.execute("SELECT kind FROM usage_events")} >= {"code_sent", "registered"}


def test_returning_seeker_logs_in_edits_pauses_and_withdraws(visitor, client, conn, clock):
    visitor.register()
    clock.advance(minutes=10)
    seeker_id = seekers.find_by_phone(conn, PHONE)["id"]
    client.post(f"{K}/reset", data={"csrf_token": visitor.token})
    returning = Visitor(client, conn)
    response = returning.client.get(f"{K}/my")
    assert response.status_code == 303 and response.location == f"{K}/verify/phone"
    returning.post(f"{K}/verify/phone", phone="01055551234")
    assert returning.post(f"{K}/verify/code", code=returning.last_code()).location == f"{K}/my"
    page = client.get(f"{K}/my")
    assert "나에게 맞는 일자리" in page.text and "010-****-1234" in page.text
    returning.post(f"{K}/my/edit/region", value=["11140"])
    assert seekers.prefs(conn, seeker_id)["region"] == ["11140"]
    returning.post(f"{K}/my/alerts", paused="1")
    returning.post(f"{K}/my/alerts", paused="1")  # a double tap stays paused
    assert seekers.get(conn, seeker_id)["alerts_paused"] == 1
    returning.post(f"{K}/my/consent/night_alerts", answer="yes")
    assert seekers.get(conn, seeker_id)["night_consent"] == 1
    assert returning.post(f"{K}/my/withdraw").location == f"{K}/my/withdrawn"
    assert returning.post(f"{K}/my/withdraw").location == f"{K}/my/withdrawn"  # second tap
    row = seekers.get(conn, seeker_id)
    assert row["phone"] is None and row["name"] is None and row["status"] == "withdrawn"
    kinds = conn.execute("SELECT kind, granted, context FROM consents WHERE seeker_id = ? ORDER BY id",
                         (seeker_id,)).fetchall()
    assert [tuple(k) for k in kinds][-4:] == [("night_alerts", 1, "mypage"), ("personal_data", 0, "withdrawal"),
                                             ("sms_alerts", 0, "withdrawal"), ("night_alerts", 0, "withdrawal")]
    assert client.get(f"{K}/my").location == f"{K}/verify/phone"


def test_send_to_phone_needs_no_registration_and_records_that_message_consent(visitor, client, conn):
    opening = conn.execute("SELECT * FROM openings WHERE status = 'open' LIMIT 1").fetchone()
    first = client.get(f"{K}/openings/{opening['id']}/send")
    assert first.location == f"{K}/verify/phone"
    visitor.post(f"{K}/verify/phone", phone="010-5555-1234")
    assert visitor.post(f"{K}/verify/code", code=visitor.last_code()).location == f"{K}/openings/{opening['id']}/send"
    page = client.get(f"{K}/openings/{opening['id']}/send")
    assert "010-****-1234" in page.text and f"J{opening['id']}" in page.text
    visitor.post(f"{K}/openings/{opening['id']}/send")
    visitor.post(f"{K}/openings/{opening['id']}/send")  # double tap
    sent = conn.execute("SELECT * FROM sms_messages WHERE kind = 'transactional'").fetchall()
    assert len(sent) == 1 and opening["title"] in sent[0]["body"] and f"J{opening['id']}" in sent[0]["body"]
    assert sent[0]["opening_id"] == opening["id"]
    consent = conn.execute("SELECT * FROM consents WHERE kind = 'single_message'").fetchall()
    assert len(consent) == 1 and consent[0]["granted"] == 1 and consent[0]["seeker_id"] is None
    assert seekers.find_by_phone(conn, PHONE) is None


def test_ask_a_counselor_records_one_referral_request_for_the_kiosks_center(visitor, client, conn):
    visitor.register()
    opening_id, title = conn.execute("SELECT id, title FROM openings LIMIT 1").fetchone()
    confirm = client.get(f"{K}/openings/{opening_id}/ask")
    assert confirm.status_code == 200 and title in confirm.text
    visitor.post(f"{K}/openings/{opening_id}/ask")
    visitor.post(f"{K}/openings/{opening_id}/ask")
    rows = conn.execute("SELECT r.*, k.center_id AS kiosk_center FROM referral_requests r"
                        " JOIN kiosks k ON k.code = r.kiosk_code").fetchall()
    # a demo counselor of the kiosk's center is on shift on Monday 10:00, so it is routed at once
    assert len(rows) == 1 and rows[0]["status"] == "assigned"
    assert rows[0]["center_id"] == rows[0]["kiosk_center"] and rows[0]["opening_id"] == opening_id
    visitor.post(f"{K}/openings/{opening_id}/save")
    assert [r["id"] for r in seekers.saved_openings(conn, rows[0]["seeker_id"])] == [opening_id]


def test_ask_without_registration_offers_to_register(visitor, client):
    visitor.post(f"{K}/register")  # any start; then verify for "ask"
    response = client.get(f"{K}/openings/1/ask")
    assert response.location == f"{K}/verify/phone"
    visitor.post(f"{K}/verify/phone", phone="010-5555-1234")
    assert visitor.post(f"{K}/verify/code", code=visitor.last_code()).location == f"{K}/verify/not-registered"
    assert visitor.post(f"{K}/register/verified").location == f"{K}/register/consent/personal_data"


def test_registering_an_already_registered_number_goes_to_my_page(visitor, client, conn, clock):
    visitor.register()
    client.post(f"{K}/reset", data={"csrf_token": visitor.token})
    clock.advance(minutes=2)
    again = Visitor(client, conn)
    assert again.verify().location == f"{K}/my"
    assert "이미 등록된 번호" in client.get(f"{K}/my").text
    assert conn.execute("SELECT count(*) FROM seekers WHERE phone = ?", (PHONE,)).fetchone()[0] == 1


def test_saving_an_opening_asks_a_registered_seeker_for_the_code_first(visitor, client, conn, clock):
    visitor.register()
    client.post(f"{K}/reset", data={"csrf_token": visitor.token})
    clock.advance(minutes=2)
    again = Visitor(client, conn)
    opening_id = conn.execute("SELECT id FROM openings WHERE status = 'open' LIMIT 1").fetchone()[0]
    assert client.get(f"{K}/openings/{opening_id}/save").location == f"{K}/verify/phone"
    again.post(f"{K}/verify/phone", phone="010-5555-1234")
    assert again.post(f"{K}/verify/code", code=again.last_code()).location == f"{K}/openings/{opening_id}/save"
    again.post(f"{K}/openings/{opening_id}/save")
    seeker_id = seekers.find_by_phone(conn, PHONE)["id"]
    assert [r["id"] for r in seekers.saved_openings(conn, seeker_id)] == [opening_id]
    assert "일자리를 저장했습니다" in client.get(f"{K}/my").text


def test_my_page_lists_coming_appointments(visitor, client, conn, clock):
    from datetime import timedelta

    from kiosk.counseling import appointments

    visitor.register()
    seeker = seekers.find_by_phone(conn, PHONE)
    appointments.insert(conn, kind="counseling", center_id=seeker["center_id"], counselor_id=None,
                        seeker_id=seeker["id"], starts_at=clock.now() + timedelta(days=1, hours=5),
                        slot_start=None, status="booked", booked_via="kiosk", now=clock.now())
    page = client.get(f"{K}/my").text
    assert "다가오는 상담 일정" in page and "상담" in page and "수원역 일자리센터 상담부스" in page
    assert "오후 3:00" in page  # 24 Nov 06:00 UTC is 15:00 in Seoul


def test_registration_asks_when_alerts_come_and_saves_the_choice(visitor, client, conn):
    visitor.verify()
    visitor.post(f"{K}/register/consent/personal_data", answer="yes")
    page = client.get(f"{K}/register/alerts").text
    assert "맞춤 일자리 알림을 언제 받을까요?" in page
    assert re.search(r'value="morning" checked', page) and "저녁(오후 5:00~오후 9:00)" in page
    # a time not offered is refused and the question asked again
    assert visitor.post(f"{K}/register/alerts", sms_alerts="yes", night_alerts="no",
                        digest_time="midnight").location == f"{K}/register/alerts"
    visitor.post(f"{K}/register/alerts", sms_alerts="yes", night_alerts="no", digest_time="evening")
    visitor.post(f"{K}/register/step/occupation", value=["care"])
    visitor.post(f"{K}/register/step/region", value=["41110"])
    review = client.get(f"{K}/register/review").text
    assert "알림 받는 때" in review and "저녁(오후 5:00~오후 9:00)" in review
    visitor.post(f"{K}/register/confirm")
    assert seekers.find_by_phone(conn, PHONE)["digest_time"] == "evening"


def test_my_page_shows_and_changes_when_alerts_come(visitor, client, conn):
    visitor.register()
    my = client.get(f"{K}/my").text
    assert "알림 받는 때" in my and "아침(오전 9:00~오후 12:00)" in my  # the default until chosen
    edit = client.get(f"{K}/my/edit/digest_time").text
    assert 'value="midday"' in edit and "점심(오후 12:00~오후 5:00)" in edit
    assert visitor.post(f"{K}/my/edit/digest_time", value="midday").location == f"{K}/my"
    assert seekers.find_by_phone(conn, PHONE)["digest_time"] == "midday"
    assert "점심(오후 12:00~오후 5:00)" in client.get(f"{K}/my").text
    visitor.post(f"{K}/my/edit/digest_time", value="3am")  # refused: nothing changes
    assert seekers.find_by_phone(conn, PHONE)["digest_time"] == "midday"
