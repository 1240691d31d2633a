"""The kiosk under its Content-Security-Policy in Chromium: searching, a filter tap and the start of
registration work, the layout's inline script runs with its nonce, and nothing is refused."""

from __future__ import annotations

import re

from test_kiosk_browser import search_by_taps, tap

KIOSK = "/k/suwon-station"
# Reported from inside every page, before any of its own scripts run.
LISTEN = """document.addEventListener("securitypolicyviolation", (event) =>
  window.reportViolation(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`));"""


def test_the_kiosk_works_under_its_csp_with_no_violations(page):
    violations, console, policies = [], [], []
    page.expose_binding("reportViolation", lambda _source, text: violations.append(text))
    page.add_init_script(LISTEN)
    page.on("console", lambda message: console.append(message.text) if message.type in ("error", "warning") else None)
    page.on("response", lambda response: policies.append(response.headers.get("content-security-policy", ""))
            if response.request.resource_type == "document" else None)

    page.goto(f"{KIOSK}/")
    assert page.evaluate("history.state && history.state.visit"), "the layout's inline script ran"
    tap(page, page.get_by_role("link", name=re.compile("일자리 찾기")))
    page.wait_for_url(re.compile(r"/openings$"))
    tap(page, page.locator("summary", has_text="직종"))
    tap(page, page.get_by_role("link", name="사회복지·돌봄", exact=True))  # htmx swaps the results
    page.wait_for_url(re.compile(r"occupation=care"))
    page.wait_for_function("() => document.querySelector('.active-filters') &&"
                           " document.querySelector('.active-filters').textContent.includes('사회복지·돌봄')")
    search_by_taps(page, "ㄱㅕㅇㅂㅣ")
    page.wait_for_url(re.compile(r"q=%EA%B2%BD%EB%B9%84"))
    assert "‘경비’ 검색 결과" in page.locator(".result-count").inner_text()

    page.goto(f"{KIOSK}/")
    tap(page, page.get_by_role("link", name=re.compile("구직 등록|등록")))
    page.wait_for_url(re.compile(r"/register$"))
    tap(page, page.get_by_role("button", name="등록 시작하기"))
    page.wait_for_url(re.compile(r"/verify/phone$"))
    page.locator("[data-keypad='phone'] [data-key='0']").tap()  # the keypad's own script answers
    page.wait_for_function("() => document.querySelector('#phone').value.replace(/\\D/g, '') === '0'")

    assert policies and all("frame-ancestors 'none'" in policy and "'nonce-" in policy for policy in policies)
    assert violations == []
    assert [text for text in console if "Content Security Policy" in text or "Refused to" in text] == []
