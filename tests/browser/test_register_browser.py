"""What a person does with their finger: Chromium, 1080×1920 touch, every screen checked by axe."""

from __future__ import annotations

import re

import pytest
from axe_check import axe_violations
from counselor_sms_helpers import latest_code
from kiosk_taps import pass_phone_and_code, tap_keys

from kiosk.seekers import store as seekers

K = "/k/suwon-station"
PHONE = "+821077771234"


def accessible(page) -> None:
    assert axe_violations(page) == [], page.url


def verify_by_taps(page, conn, number: str = "01077771234") -> None:
    tap_keys(page, "phone", number)
    assert page.locator("#phone").input_value() == "010-7777-1234"
    accessible(page)
    page.get_by_role("button", name="인증번호 받기").tap()
    page.wait_for_url(re.compile(r"/verify/code$"))
    assert "010-****-1234" in page.content() and "7777" not in page.content()
    accessible(page)
    tap_keys(page, "code", latest_code(conn))
    page.get_by_role("button", name="확인", exact=True).tap()


def tap_choices(page, labels: list[str]) -> None:
    for label in labels:
        page.locator("label.choice", has_text=label).first.tap()


def next_screen(page) -> None:
    accessible(page)
    page.get_by_role("button", name="다음").tap()


def answer_step(page, name: str, labels: list[str]) -> None:
    """On the step screen `name`, tap these choices and go on."""
    page.wait_for_url(re.compile(rf"/step/{name}$"))
    tap_choices(page, labels)
    next_screen(page)


@pytest.fixture
def registered(conn, clock):
    """A seeker registered earlier (at another visit)."""
    from kiosk.core.db import transaction
    from kiosk.seekers import consents

    with transaction(conn):
        ids = [consents.record(conn, phone=PHONE, kind="personal_data", granted=True, now=clock.now(),
                               kiosk_code="suwon-station", secret="test-secret")]
        seeker_id, _ = seekers.register(
            conn, phone=PHONE, profile={"name": "박민수", "birth_year": 1990, "alert_frequency": "daily"},
            wanted={"region": ["41110"]}, alerts=True, night=False,
            kiosk={"code": "suwon-station", "center_id": 1}, consent_ids=ids, now=clock.now())
    return seeker_id


class Counted:
    """Counts what a person does: the screens they see and the taps besides the digits they type."""

    def __init__(self, page) -> None:
        self.page, self.taps, self.digits, self.screens = page, 0, 0, []
        page.on("response", self._screen)

    def _screen(self, response) -> None:
        request = response.request
        if request.is_navigation_request() and request.frame == self.page.main_frame and response.status == 200:
            self.screens.append(response.url)

    def tap(self, locator) -> None:
        locator.tap()
        self.taps += 1

    def digits_on(self, pad: str, digits: str) -> None:
        tap_keys(self.page, pad, digits)
        self.digits += len(digits)


# The measure of the old flow: 54 taps in about 3.7 minutes for a person.
SECONDS_PER_TAP = 3.7 * 60 / 54


def test_registration_takes_few_screens_and_taps(page, conn):
    """By taps only, phone and code on the on-screen keypad: at most 8 screens and 30 taps
    besides the phone number and the code, and the start screen's promise holds."""
    page.goto(f"{K}/")
    did = Counted(page)
    did.tap(page.get_by_role("link", name=re.compile("구직 등록|등록")).first)
    page.wait_for_url(re.compile(r"/register$"))
    accessible(page)
    assert "다섯 화면, 약 2분" in page.locator("main").inner_text()
    did.tap(page.get_by_role("button", name="등록 시작하기"))
    page.wait_for_url(re.compile(r"/verify/phone$"))
    assert page.locator("progress").get_attribute("value") == "1"
    assert page.locator("progress").get_attribute("max") == "7"
    did.digits_on("phone", "01077771234")
    did.tap(page.get_by_role("button", name="인증번호 받기"))
    page.wait_for_url(re.compile(r"/verify/code$"))
    did.digits_on("code", latest_code(conn))
    did.tap(page.get_by_role("button", name="확인", exact=True))

    page.wait_for_url(re.compile(r"/consent/personal_data$"))
    accessible(page)
    assert "보유 기간" in page.content() and "동의하지 않을 권리" in page.content()
    did.tap(page.get_by_role("button", name="동의합니다"))
    page.wait_for_url(re.compile(r"/register/alerts$"))
    accessible(page)
    alerts, night = page.locator(".sms_alerts-question"), page.locator(".night_alerts-question")
    assert alerts.get_by_text("보유 기간").is_visible() and night.get_by_text("보유 기간").is_visible()
    did.tap(alerts.locator("label.choice", has_text="동의합니다"))
    did.tap(night.locator("label.choice", has_text="동의하지 않습니다"))
    did.tap(page.get_by_role("button", name="다음"))
    page.wait_for_url(re.compile(r"/step/occupation$"))
    accessible(page)
    for label in ["경비·청소", "사회복지·돌봄"]:
        did.tap(page.locator("label.choice", has_text=label).first)
    did.tap(page.get_by_role("button", name="다음"))
    page.wait_for_url(re.compile(r"/step/region$"))
    for label in ["수원시", "화성시"]:
        did.tap(page.locator("label.choice", has_text=label).first)
    did.tap(page.get_by_role("button", name="다음"))

    page.wait_for_url(re.compile(r"/register/review$"))
    accessible(page)
    review = page.locator("dl.review").inner_text()
    for shown in ("010-****-1234", "수원시, 화성시", "경비·청소", "하루에 한 번", "한국어"):
        assert shown in review, shown
    did.tap(page.get_by_role("button", name="등록하기"))
    page.wait_for_url(re.compile(r"/register/done$"))
    accessible(page)

    screens = [url for url in did.screens if not re.search(r"/verify/(phone|code)$", url)]
    assert len(screens) <= 8 and did.taps <= 30, (screens, did.taps)
    assert (len(screens), did.taps, did.digits) == (7, 15, 17)  # start … done; as measured
    assert (did.taps + did.digits) * SECONDS_PER_TAP <= 2.25 * 60  # "about 2 minutes"
    seeker = seekers.find_by_phone(conn, PHONE)
    assert (seeker["name"], seeker["birth_year"], seeker["alert_frequency"], seeker["language"]) == (
        None, None, "daily", "ko")
    assert seekers.prefs(conn, seeker["id"])["region"] == ["41110", "41590"]
    ledger = conn.execute("SELECT kind, granted FROM consents WHERE seeker_id = ? ORDER BY id",
                          (seeker["id"],)).fetchall()
    assert [tuple(r) for r in ledger] == [("personal_data", 1), ("sms_alerts", 1), ("night_alerts", 0)]
    welcome = conn.execute("SELECT body FROM sms_messages WHERE dedupe_key = ?",
                           (f"welcome:{seeker['id']}",)).fetchone()
    assert "중지" in welcome["body"]


def test_my_page_asks_what_registration_left_for_later(page, conn, registered):
    """"More about you": name by the on-screen keyboard, birth year, and the rest, on My page."""
    conn.execute("UPDATE seekers SET name = NULL, birth_year = NULL, age_band = NULL WHERE id = ?",
                 (registered,))
    page.goto(f"{K}/my")
    verify_by_taps(page, conn)
    page.wait_for_url(re.compile(r"/my$"))
    assert "반갑습니다." in page.content() and "None" not in page.locator("main").inner_text()
    page.get_by_role("link", name="더 알려 주기").tap()
    page.wait_for_url(re.compile(r"/my/edit/name\?more=1$"))
    accessible(page)
    for key in ["ㄱ", "ㅣ", "ㅁ"]:
        page.locator(f".kb-layout[data-layout='ko'] [data-key='{key}']").tap()
    assert page.locator("#answer").input_value() == "김"
    next_screen(page)
    page.wait_for_url(re.compile(r"/my/edit/birth_year\?more=1$"))
    tap_keys(page, "answer", "1958")
    next_screen(page)
    for name in ("employment_type", "min_wage", "program"):
        page.wait_for_url(re.compile(rf"/my/edit/{name}\?more=1$"))
        next_screen(page)  # keep what is chosen
    page.wait_for_url(re.compile(r"/my$"))
    assert "김님, 반갑습니다." in page.content()
    seeker = seekers.get(conn, registered)
    assert (seeker["name"], seeker["birth_year"], seeker["age_band"]) == ("김", 1958, "55")


def test_returning_seeker_edits_preferences_and_pauses_alerts(page, conn, registered):
    page.goto(f"{K}/my")
    page.wait_for_url(re.compile(r"/verify/phone$"))
    verify_by_taps(page, conn)
    page.wait_for_url(re.compile(r"/my$"))
    accessible(page)
    assert "박민수" in page.content() and "010-****-1234" in page.content()
    assert page.locator("section[aria-labelledby='matches-title'] .opening-line").count() > 0
    page.locator("#edit-occupation").tap()
    page.wait_for_url(re.compile(r"/my/edit/occupation$"))
    accessible(page)
    tap_choices(page, ["IT·연구"])
    page.get_by_role("button", name="저장").tap()
    page.wait_for_url(re.compile(r"/my$"))
    assert "저장했습니다" in page.content()
    assert seekers.prefs(conn, registered)["occupation"] == ["it"]
    page.get_by_role("button", name="알림 잠시 멈추기").tap()
    page.get_by_role("button", name="알림 다시 받기").wait_for()
    assert seekers.get(conn, registered)["alerts_paused"] == 1
    page.get_by_role("button", name="알림 다시 받기").tap()
    page.get_by_role("button", name="알림 잠시 멈추기").wait_for()
    assert seekers.get(conn, registered)["alerts_paused"] == 0


def test_withdrawal_erases_the_person(page, conn, registered):
    page.goto(f"{K}/my")
    verify_by_taps(page, conn)
    page.wait_for_url(re.compile(r"/my$"))
    page.get_by_role("link", name="탈퇴하기").tap()
    page.wait_for_url(re.compile(r"/my/withdraw$"))
    accessible(page)
    page.get_by_role("button", name="탈퇴하기").tap()
    page.wait_for_url(re.compile(r"/my/withdrawn$"))
    accessible(page)
    row = seekers.get(conn, registered)
    assert (row["phone"], row["name"], row["birth_year"], row["status"]) == (None, None, None, "withdrawn")
    assert seekers.prefs(conn, registered)["region"] == []


def test_send_to_my_phone_without_registering(page, conn, caplog):
    opening = conn.execute("SELECT * FROM openings WHERE status = 'open' ORDER BY id LIMIT 1").fetchone()
    page.goto(f"{K}/openings/{opening['id']}/send")
    page.wait_for_url(re.compile(r"/verify/phone$"))
    verify_by_taps(page, conn)
    page.wait_for_url(re.compile(rf"/openings/{opening['id']}/send$"))
    accessible(page)
    page.get_by_role("button", name="문자 보내기").tap()
    page.wait_for_url(re.compile(rf"/openings/{opening['id']}/sent$"))
    accessible(page)
    body = conn.execute("SELECT body FROM sms_messages WHERE kind = 'transactional'").fetchone()["body"]
    assert opening["title"] in body and f"J{opening['id']}" in body
    assert "werkzeug" in caplog.text and "7777" not in caplog.text  # the request log has no number
    assert all("7777" not in url for url in page.evaluate("performance.getEntries().map(e => e.name)"))


def test_after_idle_reset_the_browser_holds_nothing_of_the_person(page, conn, registered, app):
    page.goto(f"{K}/my")
    verify_by_taps(page, conn)
    page.wait_for_url(re.compile(r"/my$"))
    app.config.update(IDLE_SECONDS=2, IDLE_COUNTDOWN_SECONDS=1)
    page.reload()  # the page now carries the short idle time; nobody touches the screen
    page.wait_for_url(re.compile(rf"{K}/$"), timeout=15_000)
    cookies = page.context.cookies()
    assert cookies == [] or all("7777" not in c["value"] for c in cookies)
    assert conn.execute("SELECT count(*) FROM web_sessions WHERE data LIKE '%seeker_id%'").fetchone()[0] == 0
    stored = page.evaluate("JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])")
    # htmx keeps only the current path (the home screen) in sessionStorage
    assert "7777" not in stored and "박민수" not in stored and "/my" not in stored and "/verify" not in stored
    page.go_back()
    page.wait_for_load_state()
    assert "010-****-1234" not in page.content() and "박민수" not in page.content()
    page.goto(f"{K}/my")
    page.wait_for_url(re.compile(r"/verify/phone$"))
    assert page.locator("#phone").input_value() == ""


def verify_again_in_english(page, conn, clock) -> None:
    clock.advance(minutes=2)  # past the wait between two codes to one number
    pass_phone_and_code(page, conn, "01077771234", send="Text me a code", confirm="Confirm")
    page.wait_for_url(re.compile(r"/openings/\d+/(ask|save)$"))


def test_the_other_screens_of_the_flow_pass_axe(page, conn, clock):
    """Refusal, errors, not registered, ask a counselor and save — and an English screen."""
    opening_id = conn.execute("SELECT id FROM openings WHERE status = 'open' ORDER BY id LIMIT 1").fetchone()[0]
    page.goto(f"{K}/openings/{opening_id}/ask")
    page.wait_for_url(re.compile(r"/verify/phone$"))
    tap_keys(page, "phone", "0312283111")  # a landline
    page.get_by_role("button", name="인증번호 받기").tap()
    page.get_by_role("alert").wait_for()
    assert "휴대전화 번호만" in page.get_by_role("alert").inner_text()
    assert page.locator("#phone").input_value() == "031-228-3111"
    accessible(page)
    tap_keys(page, "phone", ["clear"])
    tap_keys(page, "phone", "01077771234")
    page.get_by_role("button", name="인증번호 받기").tap()
    page.wait_for_url(re.compile(r"/verify/code$"))
    tap_keys(page, "code", "000000" if latest_code(conn) != "000000" else "111111")
    page.get_by_role("button", name="확인", exact=True).tap()
    page.get_by_role("alert").wait_for()
    assert "4번 더" in page.get_by_role("alert").inner_text()
    accessible(page)
    tap_keys(page, "code", ["clear"])
    tap_keys(page, "code", latest_code(conn))
    page.get_by_role("button", name="확인", exact=True).tap()
    page.wait_for_url(re.compile(r"/verify/not-registered$"))
    accessible(page)
    page.get_by_role("button", name="구직 등록하기").tap()
    page.wait_for_url(re.compile(r"/consent/personal_data$"))
    page.get_by_role("button", name="동의하지 않습니다").tap()
    page.wait_for_url(re.compile(r"/register/refused$"))
    accessible(page)
    assert seekers.find_by_phone(conn, PHONE) is None

    page.get_by_role("link", name="안내를 다시 읽기").tap()
    page.get_by_role("button", name="동의합니다").tap()
    page.wait_for_url(re.compile(r"/register/alerts$"))
    page.get_by_role("button", name="English").tap()
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    assert "Consent to job alerts" in page.content()
    page.get_by_role("button", name="Next").tap()  # nothing chosen: each question needs an answer
    page.get_by_role("alert").wait_for()
    accessible(page)
    night = page.locator(".night_alerts-question")
    page.locator(".sms_alerts-question label.choice", has_text="I do not agree").tap()
    night.wait_for(state="hidden")  # without alerts the night question does not apply
    page.get_by_role("button", name="Next").tap()
    page.wait_for_url(re.compile(r"/step/occupation$"))
    page.get_by_role("button", name="Next").tap()  # no occupation chosen: any
    page.wait_for_url(re.compile(r"/step/region$"))
    page.get_by_role("button", name="Next").tap()
    page.wait_for_url(re.compile(r"/register/review$"))
    accessible(page)
    assert "How often" not in page.locator("dl.review").inner_text()
    page.locator("#edit-sms_alerts").tap()  # change one's mind from the review
    page.wait_for_url(re.compile(r"/register/alerts\?return=review$"))
    page.locator(".sms_alerts-question label.choice", has_text="I agree").first.tap()
    night.wait_for()
    night.locator("label.choice", has_text="I do not agree").tap()
    page.get_by_role("button", name="Save").tap()
    page.wait_for_url(re.compile(r"/register/review$"))
    review = page.locator("dl.review").inner_text()
    assert "English" in review and "Once a day" in review
    page.get_by_role("button", name="Register").tap()
    page.wait_for_url(re.compile(r"/register/done$"))
    seeker = seekers.find_by_phone(conn, PHONE)
    assert (seeker["language"], seeker["alerts_consent"], seeker["night_consent"]) == ("en", 1, 0)
    assert [r["kind"] for r in conn.execute("SELECT kind FROM consents WHERE seeker_id = ? ORDER BY id",
                                            (seeker["id"],))] == [
        "personal_data", "personal_data", "sms_alerts", "sms_alerts", "night_alerts"]
    welcome = conn.execute("SELECT body, language FROM sms_messages WHERE dedupe_key = ?",
                           (f"welcome:{seeker['id']}",)).fetchone()
    assert welcome["language"] == "en" and "STOP" in welcome["body"]

    # The done screen ended the personal part of the visit: asking needs the code again.
    page.goto(f"{K}/openings/{opening_id}/ask")
    verify_again_in_english(page, conn, clock)
    accessible(page)
    page.get_by_role("button", name="Ask for a counselor").tap()
    page.wait_for_url(re.compile(rf"/openings/{opening_id}/asked$"))
    accessible(page)
    page.goto(f"{K}/openings/{opening_id}/save")
    verify_again_in_english(page, conn, clock)
    accessible(page)
    page.get_by_role("button", name="Save").tap()
    page.wait_for_url(re.compile(r"/my$"))
    assert [r["id"] for r in seekers.saved_openings(conn, seeker["id"])] == [opening_id]
    page.goto(f"{K}/my/consent/sms_alerts")
    accessible(page)
