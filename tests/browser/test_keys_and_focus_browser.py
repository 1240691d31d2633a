"""The name keyboard's spacing and keys, arrows on keypads, focus after htmx updates, lang="ko".

A visitor with a kiosk keypad (arrows, Enter, Tab) or a screen reader, and one who taps."""

from __future__ import annotations

import re

import pytest

from tests.browser.test_register_browser import K, registered, verify_by_taps  # noqa: F401  (fixture)

FOCUSED = """() => { const e = document.activeElement;
    return {tag: e.tagName, text: (e.innerText || '').trim(), id: e.id,
            shown: e.getClientRects().length > 0, cls: e.className}; }"""


@pytest.fixture
def name_keyboard(page, conn, registered):  # noqa: F811
    """My page's name screen, with its Hangul keyboard."""
    page.goto(f"{K}/my")
    verify_by_taps(page, conn)
    page.wait_for_url(re.compile(r"/my$"))
    page.locator("#edit-name").tap()
    page.wait_for_url(re.compile(r"/my/edit/name$"))
    return page.locator(".hangul-keyboard")


def boxes(locator) -> list[dict]:
    return locator.evaluate_all("""es => es.filter(e => e.getClientRects().length).map(e => {
        const r = e.getBoundingClientRect(); return {x: r.x, y: r.y, w: r.width, h: r.height,
        text: e.innerText.trim()}; })""")


def test_the_name_keyboard_has_gaps_labels_a_clear_key_and_even_control_keys(page, name_keyboard):
    rows = [boxes(row.locator(".key")) for row in name_keyboard.locator(".kb-row").all() if row.is_visible()]
    assert len(rows) == 4
    for row in rows:
        assert all(key["w"] >= 64 and key["h"] >= 64 for key in row), row
        for left, right in zip(row, row[1:], strict=False):
            assert right["x"] - (left["x"] + left["w"]) >= 10
    for upper, lower in zip(rows, rows[1:], strict=False):
        assert lower[0]["y"] - (upper[0]["y"] + upper[0]["h"]) >= 10

    controls = rows[-1]
    assert len(controls) == 5  # shift, layout, space, delete, clear all: one size
    assert max(k["w"] for k in controls) - min(k["w"] for k in controls) <= 1
    assert max(k["h"] for k in controls) - min(k["h"] for k in controls) <= 1
    back = name_keyboard.get_by_role("button", name="지우기", exact=True)
    assert "지우기" in back.inner_text()  # a word beside ⌫, seen and read out

    field = page.locator("#answer")
    assert field.input_value() == "박민수"
    back.tap()
    assert field.input_value() == "박민ㅅ"
    name_keyboard.get_by_role("button", name="모두 지우기").tap()
    assert field.input_value() == ""
    name_keyboard.locator("[data-key='ㄱ']").tap()
    assert field.input_value() == "ㄱ"


def test_arrow_keys_move_between_keys_and_each_keyboard_is_one_tab_stop(page, name_keyboard):
    stops = name_keyboard.locator("button").evaluate_all(
        "es => es.filter(e => e.getClientRects().length && e.tabIndex >= 0).length")
    assert stops == 1
    name_keyboard.locator("[data-key='ㅂ']").focus()
    page.keyboard.press("ArrowRight")
    assert page.evaluate(FOCUSED)["text"] == "ㅈ"
    page.keyboard.press("ArrowDown")
    assert page.evaluate(FOCUSED)["text"] == "ㄴ"
    page.keyboard.press("Enter")
    assert page.locator("#answer").input_value() == "박민순"  # the key typed, as a tap would
    page.keyboard.press("Home")
    assert page.evaluate(FOCUSED)["text"] == "ㅂ"


def test_arrow_keys_on_the_phone_keypad(page):
    page.goto(f"{K}/register")
    page.get_by_role("button", name="등록 시작하기").tap()
    page.wait_for_url(re.compile(r"/verify/phone$"))
    pad = page.locator("[data-keypad='phone']")
    assert pad.locator("button").evaluate_all("es => es.filter(e => e.tabIndex >= 0).length") == 1
    pad.locator("[data-key='1']").focus()
    for key, expected in [("ArrowRight", "2"), ("ArrowDown", "5"), ("ArrowDown", "8"), ("ArrowLeft", "7")]:
        page.keyboard.press(key)
        assert page.evaluate(FOCUSED)["text"] == expected
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")
    assert page.locator("#phone").input_value() == "74"


def test_focusing_the_search_box_leaves_the_keyboard_closed_until_tapped(page):
    page.goto(f"{K}/openings")
    page.locator("#q").focus()
    board = page.locator("#search-keyboard")
    page.wait_for_timeout(500)  # a keyboard opened a moment after focus would show by now
    assert board.is_hidden()
    page.keyboard.press("Tab")
    assert "자판" in page.evaluate(FOCUSED)["text"]
    page.locator("#q").tap()  # a finger on the box opens it
    assert board.is_visible()
    assert board.locator("button").evaluate_all(
        "es => es.filter(e => e.getClientRects().length && e.tabIndex >= 0).length") == 1


def test_focus_stays_with_the_visitor_after_search_quick_term_and_filter(page):
    page.goto(f"{K}/openings")
    page.locator("#q").tap()
    board = page.locator("#search-keyboard")
    for key in ("ㄱ", "ㅕ", "ㅇ", "ㅂ", "ㅣ"):
        board.locator(f".kb-layout[data-layout='ko'] [data-key='{key}']").tap()
    board.locator("button[type=submit]").tap()
    page.wait_for_url(re.compile(r"q="))
    page.wait_for_function("() => document.activeElement !== document.body")
    focused = page.evaluate(FOCUSED)
    assert focused["shown"] and "검색 결과" in focused["text"]  # the result count, read out

    quick = page.get_by_role("navigation", name="자주 찾는 일").get_by_role("link", name="요양보호사")
    quick.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=%EC%9A%94%EC%96%91"))
    page.wait_for_function("() => document.activeElement !== document.body")
    focused = page.evaluate(FOCUSED)
    assert focused["tag"] == "A" and focused["text"] == "요양보호사" and focused["shown"]

    sort = page.get_by_role("navigation", name="정렬").get_by_role("link").last
    label = sort.inner_text().strip()
    sort.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"sort="))
    page.wait_for_function("() => document.activeElement !== document.body")
    focused = page.evaluate(FOCUSED)
    assert focused["text"] == label and focused["shown"]


def test_korean_job_data_is_marked_korean_on_english_screens(page, conn):
    page.goto(f"{K}/openings")
    with page.expect_navigation():
        page.get_by_role("button", name="English").tap()
    assert page.evaluate("document.documentElement.lang") == "en"
    card = page.locator(".opening-card").first
    assert card.locator(".title").get_attribute("lang") == "ko"
    employer = conn.execute("SELECT employer FROM openings WHERE status = 'open' LIMIT 1").fetchone()[0]
    assert employer
    assert page.locator(".opening-card [lang='ko']").count() >= 2 * page.locator(".opening-card").count()
    card.tap()
    page.wait_for_url(re.compile(r"/openings/\d+"))
    assert page.locator("h1").get_attribute("lang") == "ko"
    assert page.locator(".employer strong").get_attribute("lang") == "ko"
    assert page.locator("html").get_attribute("lang") == "en"


def test_after_more_focus_goes_to_the_first_new_card(page):
    page.goto(f"{K}/openings")
    shown = page.locator("#results > li").count()
    more = page.locator("#more a")
    more.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => document.querySelectorAll('#results > li').length > {shown}")
    page.wait_for_function("() => document.activeElement !== document.body")
    assert page.evaluate(f"document.activeElement === document.querySelectorAll('#results > li')[{shown}]"
                         ".querySelector('a')")
