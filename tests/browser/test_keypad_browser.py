"""A visitor with a kiosk keypad only (arrows, OK = Enter, back = Escape): no mouse, no touch.

Each run counts the key presses; docs/accessibility.md records the counts."""

from __future__ import annotations

import os
import re
import shutil
from urllib.parse import unquote

import pytest
from axe_check import axe_violations
from counselor_sms_helpers import latest_code

from kiosk.seekers import store as seekers
from tests.browser.test_kiosk_browser import assert_big_targets_with_gaps

K = "/k/suwon-station"
PHONE = "01077771234"
FOCUSED = """() => { const e = document.activeElement;
    return {tag: e.tagName, text: (e.innerText || e.value || '').replace(/\\s+/g, ' ').trim(), id: e.id,
            key: e.dataset ? (e.dataset.key || '') : '',
            label: e.labels && e.labels[0] ? e.labels[0].innerText : ''}; }"""
# Key presses besides the texted code's six digits, as measured (docs/accessibility.md).
# Registration: past the time of day on the alerts screen, the review's programs and time rows.
SEARCH_AND_SEND, REGISTRATION = 87, 95
MOST_FOR_CODE = 40
PAD = [["1", "2", "3"], ["4", "5", "6"], ["7", "8", "9"], ["clear", "0", "back"]]


class Keypad:
    """Presses keys as a kiosk keypad sends them, and counts every press."""

    def __init__(self, page) -> None:
        self.page, self.presses = page, 0

    def press(self, key: str, times: int = 1) -> None:
        for _ in range(times):
            self.page.keyboard.press(key)
            self.presses += 1

    def focused(self) -> dict:
        return self.page.evaluate(FOCUSED)

    def down_to(self, wanted, *, key: str = "ArrowDown", limit: int = 40) -> None:
        """Arrows until the focused control's words (or label) contain `wanted`, or it has that id."""
        for _ in range(limit):
            self.press(key)
            now = self.focused()
            if wanted in now["text"] or wanted in now["label"] or wanted == now["id"]:
                return
        raise AssertionError(f"{wanted!r} not reached with {key}; focus is on {self.focused()}")

    def choose(self, wanted: str, **kwargs) -> None:
        self.down_to(wanted, **kwargs)
        self.press("Enter")

    def pad_digits(self, digits: str) -> None:
        """From a key of the number pad, to each digit by arrows, then OK."""
        spot = {key: (row, col) for row, keys in enumerate(PAD) for col, key in enumerate(keys)}
        for digit in digits:
            (row, col), (to_row, to_col) = spot[self.focused()["key"]], spot[digit]
            self.press("ArrowDown" if to_row > row else "ArrowUp", abs(to_row - row))
            self.press("ArrowRight" if to_col > col else "ArrowLeft", abs(to_col - col))
            assert self.focused()["key"] == digit
            self.press("Enter")

    def walk_to(self, target) -> None:
        """In a keyboard or a grid of choices, to the target by arrows (to its row, then along), then OK."""
        for _ in range(30):
            if target.evaluate("e => e === document.activeElement"):
                self.press("Enter")
                return
            there = target.bounding_box()
            here = self.page.evaluate("(() => { const r = document.activeElement.getBoundingClientRect();"
                                      " return {x: r.x, y: r.y, height: r.height}; })()")
            if abs(there["y"] - here["y"]) > here["height"] / 2:
                self.press("ArrowDown" if there["y"] > here["y"] else "ArrowUp")
            else:
                self.press("ArrowRight" if there["x"] > here["x"] else "ArrowLeft")
        raise AssertionError(f"{target} not reached")

    def board_key(self, selector: str) -> None:
        self.walk_to(self.page.locator(f"#search-keyboard {selector}").locator("visible=true").first)

    def tick(self, label: str) -> None:
        """A choice tile on a step screen, reached by arrows from a choice of the same grid."""
        self.walk_to(self.page.locator("label.choice", has_text=label).first.locator("input"))


def phone_and_code(keys: Keypad, page, conn) -> int:
    """The phone screen and the code screen, every digit on the on-screen pad by arrows.

    Returns the presses the code's six digits and leaving the pad took: the code is random, so
    they vary (at most 6 × (5 arrows + OK) + 4 = 40)."""
    page.wait_for_url(re.compile(r"/verify/phone$"))
    keys.down_to("phone")  # the number box
    keys.press("ArrowDown")  # into the pad
    keys.pad_digits(PHONE)
    assert page.locator("#phone").input_value() == "010-7777-1234"
    keys.choose("인증번호 받기")
    page.wait_for_url(re.compile(r"/verify/code$"))
    keys.down_to("code")
    keys.press("ArrowDown")
    before = keys.presses
    keys.pad_digits(latest_code(conn))
    keys.down_to("확인")  # out of the pad: how far depends on the last digit's row
    code_presses = keys.presses - before
    keys.press("Enter")
    return code_presses


@pytest.mark.skipif(not shutil.which("espeak-ng") and not os.environ.get("CI"), reason="apt-get install -y espeak-ng")
def test_search_and_send_to_phone_by_keypad_with_voice_guidance(page, conn):
    spoken: list[tuple[str, str]] = []
    page.on("request", lambda r: spoken.append((r.url, r.post_data or "")) if "/speech" in r.url else None)
    page.goto(f"{K}/")
    keys = Keypad(page)
    keys.choose("소리 안내 켜기")
    page.wait_for_function("() => document.body?.dataset.voice === 'on'")  # body is null while the page reloads
    page.wait_for_function("() => document.body?.dataset.voiceSpoken")  # the home screen's line played
    assert axe_violations(page) == []
    assert_big_targets_with_gaps(page)  # the bar's voice controls too

    keys.choose("일자리 찾기")
    page.wait_for_url(re.compile(r"/openings$"))
    keys.choose("자판")  # opens the search keyboard, focus on its first key
    for jamo in ("ㄱ", "ㅕ", "ㅇ", "ㅂ", "ㅣ"):
        keys.board_key(f"[data-key='{jamo}']")
    assert page.locator("#q").input_value() == "경비"
    keys.board_key(".key-search")
    page.wait_for_url(re.compile(r"q=%EA%B2%BD%EB%B9%84"))
    page.wait_for_function("() => document.activeElement.classList.contains('result-count')")
    assert "검색 결과" in keys.focused()["text"]
    keys.press("ArrowDown")
    card = keys.focused()
    assert card["tag"] == "A" and "경비" in page.locator(".opening-card").first.inner_text()
    keys.press("Enter")
    page.wait_for_url(re.compile(r"/openings/\d+\?"))
    opening_id = int(re.search(r"/openings/(\d+)", page.url).group(1))
    keys.choose("내 휴대폰으로 받기")
    code = phone_and_code(keys, page, conn)
    page.wait_for_url(re.compile(rf"/openings/{opening_id}/send$"))
    keys.choose("문자 보내기")
    page.wait_for_url(re.compile(rf"/openings/{opening_id}/sent$"))
    body = conn.execute("SELECT body FROM sms_messages WHERE kind = 'transactional'").fetchone()["body"]
    assert f"J{opening_id}" in body
    assert code <= MOST_FOR_CODE and keys.presses <= SEARCH_AND_SEND + MOST_FOR_CODE, (code, keys.presses)
    assert keys.presses - code == SEARCH_AND_SEND

    screens = [unquote(url) for url, _ in spoken if url.endswith(".wav")]
    for name in ("home", "openings", "opening", "phone", "code", "send", "sent"):
        assert any(url.endswith(f"/speech/ko/normal/{name}.wav") for url in screens), name
    said = [unquote(data.replace("+", " ")) for url, data in spoken if not url.endswith(".wav")]
    assert any("일자리 찾기" in text for text in said) and any("문자 보내기" in text for text in said)
    assert any("검색 결과" in text for text in said)  # the result count htmx brought, read out
    opening = conn.execute("SELECT title, employer FROM openings WHERE id = ?", (opening_id,)).fetchone()
    assert any(opening["title"] in text for text in said)  # the opening's own words after its line
    assert any(opening["employer"] in text for text in said) and any("임금" in text for text in said)
    everything = " ".join(url for url, _ in spoken) + " ".join(said)
    assert "7777" not in everything and "1234" not in " ".join(url for url, _ in spoken)


def test_registration_by_keypad(page, conn):
    page.goto(f"{K}/")
    keys = Keypad(page)
    keys.choose("구직 등록하기")
    page.wait_for_url(re.compile(r"/register$"))
    keys.choose("등록 시작하기")
    code = phone_and_code(keys, page, conn)
    page.wait_for_url(re.compile(r"/consent/personal_data$"))
    keys.choose("동의합니다")
    page.wait_for_url(re.compile(r"/register/alerts$"))
    keys.choose("동의합니다")  # job alerts: yes
    page.locator(".night_alerts-question").wait_for()
    keys.press("ArrowDown")  # down a row: the night question, shown now
    keys.choose("동의하지 않습니다", key="ArrowRight")
    assert page.locator(".night_alerts-question input[value=no]").is_checked()
    keys.choose("다음")
    page.wait_for_url(re.compile(r"/step/occupation$"))
    keys.press("ArrowDown")  # the first choice
    keys.tick("경비·청소")
    keys.choose("다음")
    page.wait_for_url(re.compile(r"/step/region$"))
    keys.press("ArrowDown")
    keys.tick("수원시")
    keys.choose("다음")
    page.wait_for_url(re.compile(r"/register/review$"))
    keys.choose("등록하기")
    page.wait_for_url(re.compile(r"/register/done$"))
    seeker = seekers.find_by_phone(conn, "+821077771234")
    assert seekers.prefs(conn, seeker["id"])["occupation"] == ["security"]
    assert seekers.prefs(conn, seeker["id"])["region"] == ["41110"]
    assert (seeker["alerts_consent"], seeker["night_consent"]) == (1, 0)
    assert code <= MOST_FOR_CODE and keys.presses <= REGISTRATION + MOST_FOR_CODE, (code, keys.presses)
    assert keys.presses - code == REGISTRATION


def test_the_back_key_goes_back_and_closes_the_keyboard_first(page):
    page.goto(f"{K}/openings")
    keys = Keypad(page)
    keys.choose("자판")
    assert page.locator("#search-keyboard").is_visible()
    keys.press("Escape")
    assert page.locator("#search-keyboard").is_hidden() and keys.focused()["id"] == "q"
    page.goto(f"{K}/register")
    keys.press("Backspace")  # outside a text box: back
    page.wait_for_url(re.compile(rf"{K}/$"))


@pytest.mark.skipif(not shutil.which("espeak-ng") and not os.environ.get("CI"), reason="apt-get install -y espeak-ng")
def test_with_voice_on_the_idle_dialog_says_why_it_opened(page, app):
    page.goto(f"{K}/")
    Keypad(page).choose("소리 안내 켜기")
    page.wait_for_function("() => document.body?.dataset.voice === 'on'")  # body is null while the page reloads
    app.config.update(IDLE_SECONDS=2, IDLE_COUNTDOWN_SECONDS=20)
    page.reload()  # the short idle time; nobody touches anything from now on
    with page.expect_request(lambda r: r.url.endswith("/speech") and r.method == "POST", timeout=15_000) as asked:
        page.locator("#idle-dialog").wait_for(state="visible", timeout=15_000)
    said = unquote(asked.value.post_data.replace("+", " "))
    assert "계속 사용하시나요?" in said and "초 뒤에 처음 화면으로" in said and "계속 사용하기" in said
