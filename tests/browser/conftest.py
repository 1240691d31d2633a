"""Browser tests: Debian's Chromium through Playwright, each test marked `browser` by this folder.

Every page runs under JobStop's Content-Security-Policy, which allows no eval: wait_for_function
gets a function (`"() => ..."`, compiled once by devtools), never a bare expression, which
Playwright would eval again in the page at every poll and the policy refuse.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support import ZONE

CHROMIUM = "/usr/bin/chromium"
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (no browser download is possible here)."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--autoplay-policy=no-user-gesture-required"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A touch screen kiosk: 1080×1920 portrait, Korean, a fresh profile per test."""
    context = browser.new_context(viewport={"width": 1080, "height": 1920}, has_touch=True,
                                  locale="ko-KR", timezone_id=ZONE, base_url=live_server)
    page = context.new_page()
    yield page
    context.close()
