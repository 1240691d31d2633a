"""200% zoom and large text: nothing wider than the screen, nothing cut off at either side.

A 540×960 CSS-pixel viewport at device scale 2 is the 1080×1920 kiosk at 200% zoom; 큰 글씨 in
English, Vietnamese and Chinese at 1080×1920 are the widest texts the kiosk has. On each screen with keyboards, tiles
or 수정 buttons the page must not scroll sideways and every visible control must lie within
the screen."""

from __future__ import annotations

import re

import pytest
from support import ZONE

from kiosk.core.i18n import NATIVE_NAMES, translate
from tests.browser.test_register_browser import K, registered, verify_by_taps  # noqa: F401  (fixture)

OUTSIDE = """() => {
  const width = innerWidth;
  const outside = [...document.querySelectorAll('a, button, input:not([type=hidden]), select, summary, label')]
    .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
    .map(e => { const r = e.getBoundingClientRect();
                return {text: (e.innerText || e.name || '').trim().slice(0, 30), left: r.left, right: r.right}; })
    .filter(b => b.left < -0.5 || b.right > width + 0.5);
  return {scroll: document.documentElement.scrollWidth, width, outside};
}"""


@pytest.fixture(params=["zoom-200", "large-text-en", "large-text-vi", "large-text-zh"])
def mode(request):
    return request.param


@pytest.fixture
def screen(browser, live_server, mode):
    """The kiosk at 200% zoom (Korean), or at 1080×1920 to be switched to a language and 큰 글씨."""
    size, scale = ({"width": 540, "height": 960}, 2) if mode == "zoom-200" else ({"width": 1080, "height": 1920}, 1)
    context = browser.new_context(viewport=size, device_scale_factor=scale, has_touch=True, locale="ko-KR",
                                  timezone_id=ZONE, base_url=live_server)
    page = context.new_page()
    yield page
    context.close()


def language_of(mode: str) -> str:
    return mode.removeprefix("large-text-") if mode.startswith("large-text-") else "ko"


def prefer(page, mode: str) -> None:
    """For a large-text mode: its language and 큰 글씨, from the bar, as a visitor would."""
    if not mode.startswith("large-text-"):
        return
    language = language_of(mode)
    with page.expect_navigation():
        page.get_by_role("button", name=NATIVE_NAMES[language], exact=True).tap()
    with page.expect_navigation():
        page.get_by_role("button", name=translate("kiosk.nav.large_text", language)).tap()


def assert_text_doubled(page, mode: str) -> None:
    if mode.startswith("large-text-"):  # 28 px doubled: WCAG's "resize text" to 200%
        assert page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") == 56


def assert_fits(page, what: str) -> None:
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    found = page.evaluate(OUTSIDE)
    assert found["scroll"] <= found["width"], f"{what} scrolls sideways: {found}"
    assert found["outside"] == [], f"{what}: controls off the screen"


def test_the_list_and_its_search_keyboard_fit(screen, mode):
    screen.goto(f"{K}/openings")
    prefer(screen, mode)
    screen.locator("[data-keyboard-toggle]").tap()
    assert screen.locator("#search-keyboard").is_visible()
    assert_fits(screen, "the list with its keyboard")
    screen.locator("#search-keyboard [data-action='layout']").tap()  # the Latin layout too
    assert_fits(screen, "the Latin keyboard")
    assert_text_doubled(screen, mode)


def test_my_page_the_name_keyboard_and_the_tiles_fit(screen, mode, conn, registered):  # noqa: F811
    screen.goto(f"{K}/my")
    verify_by_taps(screen, conn)
    screen.wait_for_url(re.compile(r"/my$"))
    prefer(screen, mode)
    assert_fits(screen, "my page")
    edit = screen.locator("#edit-name")
    box = edit.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= screen.viewport_size["width"]
    for name in ("name", "occupation", "region"):
        screen.goto(f"{K}/my/edit/{name}")
        assert_fits(screen, name)
    columns = screen.evaluate("getComputedStyle(document.querySelector('.choices')).gridTemplateColumns")
    assert len(columns.split()) < 4  # the tiles wrap to fewer columns rather than spill
    assert_text_doubled(screen, mode)


def test_the_other_screens_fit(screen, mode, conn):
    opening_id = conn.execute("SELECT id FROM openings WHERE status = 'open' LIMIT 1").fetchone()[0]
    screen.goto(f"{K}/")
    prefer(screen, mode)
    for path in ("/", f"/openings/{opening_id}", "/openings/regions", "/register"):
        screen.goto(K + path)
        assert_fits(screen, path)
    screen.get_by_role("button", name=translate("register.start.go", language_of(mode))).tap()
    screen.wait_for_url(re.compile(r"/verify/phone$"))
    assert_fits(screen, "the phone keypad")
