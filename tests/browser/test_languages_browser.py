"""Every language on the 1080×1920 kiosk: the bar's five language buttons fit beside the others,
nothing scrolls sideways, and Korean job data on a page in another language says lang="ko"."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from axe_check import axe_violations

from kiosk.core.i18n import HTML_LANG, LANGUAGES, NATIVE_NAMES, translate
from tests.browser.test_kiosk_browser import KIOSK, assert_big_targets_with_gaps

# Every text node with Hangul in it, and the lang its element says (the nearest [lang]).
UNMARKED_KOREAN = """(root) => {
  const walker = document.createTreeWalker(document.querySelector(root), NodeFilter.SHOW_TEXT);
  const found = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!/[가-힣]/.test(node.textContent)) continue;
    const marked = node.parentElement.closest('[lang]');
    if (!marked || !marked.lang.startsWith('ko')) found.push(node.textContent.trim().slice(0, 40));
  }
  return found;
}"""
SIDEWAYS = "document.documentElement.scrollWidth - innerWidth"


def choose(page, language: str) -> None:
    """The visitor taps the language's button in the bar."""
    with page.expect_navigation():
        page.get_by_role("button", name=NATIVE_NAMES[language], exact=True).tap()
    assert page.evaluate("document.documentElement.lang") == HTML_LANG[language]


def shoot(page, name: str) -> None:
    """Screenshots for a person to look at, when JOBSTOP_SCREENSHOTS names a folder."""
    if folder := os.environ.get("JOBSTOP_SCREENSHOTS"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_the_bar_offers_every_language_in_its_own_name(page):
    page.goto(f"{KIOSK}/")
    buttons = page.locator(".prefs button[name=lang]")
    assert buttons.all_inner_texts() == [NATIVE_NAMES[code] for code in LANGUAGES]
    assert [buttons.nth(i).get_attribute("lang") for i in range(len(LANGUAGES))] == [HTML_LANG[c] for c in LANGUAGES]
    assert page.locator(".prefs button[aria-pressed=true][name=lang]").inner_text() == "한국어"


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "ko"])
def test_each_language_fits_the_screens_and_marks_korean_job_data(page, conn, language):
    opening_id = conn.execute("SELECT id FROM openings WHERE status = 'open' LIMIT 1").fetchone()[0]
    page.goto(f"{KIOSK}/")
    choose(page, language)
    assert page.locator("h1").inner_text() == translate("kiosk.home.welcome", language)
    assert page.locator(".prefs button[aria-pressed=true][name=lang]").inner_text() == NATIVE_NAMES[language]
    assert_big_targets_with_gaps(page)  # the language buttons too: 64 px and 10 px apart
    shoot(page, f"{language}-home")
    for path, root in (("/openings", "#results"), (f"/openings/{opening_id}", "#opening"),
                       ("/openings/regions", "main"), ("/register", "main")):
        page.goto(KIOSK + path)
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        assert page.evaluate(SIDEWAYS) <= 0, f"{path} scrolls sideways in {language}"
        if language not in ("ko", "ko-easy") and root != "main":
            assert page.evaluate(UNMARKED_KOREAN, root) == [], f"{path}: Korean without lang=ko"
        assert axe_violations(page) == []
        shoot(page, f"{language}{path.replace('/', '-')}")
    page.goto(f"{KIOSK}/openings/{opening_id}")
    assert page.locator("#opening h1").get_attribute("lang") == "ko"
