"""The console's openings and seekers in Chromium at 1366×768, by the keyboard alone: a CSV upload
with bad lines (its progress bar, then its report), a seeker found with a reason (and the access
records it leaves), and axe (WCAG 2.2 AA) on the openings list, the opening form and a seeker's page."""

from __future__ import annotations

import re

from axe_check import axe_violations
from console_pages import sign_in_page
from console_support import add_account
from openings_csv import BAD, GOOD, HEADER


def tab_to(page, selector: str, presses: int = 80) -> None:
    """Presses Tab until the element matching selector has the focus, as a keyboard user would."""
    for _ in range(presses):
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def test_a_csv_upload_with_bad_lines_shows_its_progress_then_each_bad_line(page, live_server, app, conn, tmp_path):
    sign_in_page(page, live_server, add_account(app, "staff"))
    many = [GOOD[0].replace("hrd-001", f"bulk-{n}", 1) for n in range(5000)]  # a few seconds of writing
    path = tmp_path / "openings.csv"
    path.write_bytes((HEADER + "".join(GOOD + BAD + many)).encode("cp949"))
    page.goto(f"{live_server}/console/openings/upload")
    tab_to(page, "#file")
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(str(path))
    tab_to(page, "button[type=submit].primary")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/console/openings/uploads/\d+$"))
    assert page.locator("#import-progress").is_visible()  # while the rows are written
    page.wait_for_selector("#import-summary", timeout=60_000)
    assert page.locator("#import-progress").count() == 0
    summary = page.locator("#import-summary").inner_text()
    assert summary == "5006행 중 새로 추가·변경 5002건, 변경 없음 0건, 제외 4건"  # the command's words
    rows = [r.inner_text().split("\t") for r in page.locator("#import-problems tbody tr").all()]
    assert rows[0] == ["4", "title", "값이 비어 있습니다"]
    assert ["7", "source_ref", "2행과 같은 source_ref입니다"] in rows
    assert conn.execute("SELECT count(*) FROM openings WHERE source_ref LIKE 'bulk-%'").fetchone()[0] == 5000


def test_a_seeker_found_with_a_reason_leaves_access_records_and_the_pages_pass_axe(page, live_server, app, conn):
    account = add_account(app, "staff")  # the Suwon Station booth, where the demo's 김영희 registered
    sign_in_page(page, live_server, account)
    page.goto(f"{live_server}/console/seekers")
    tab_to(page, "#name")
    page.keyboard.type("김영희")
    tab_to(page, "#last_four")
    page.keyboard.type("1001")
    tab_to(page, "#reason")
    page.keyboard.type("본인 전화 문의")
    page.keyboard.press("Enter")
    page.wait_for_selector("#found-heading")
    assert page.locator("#found-heading").inner_text() == "찾은 구직자: 1명"
    tab_to(page, "td.actions button")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=구직자: 김영희")
    assert "010-****-1001" in page.content() and "010-0000-1001" not in page.content()
    assert axe_violations(page) == []
    kept = conn.execute("SELECT action, seeker_id, reason FROM access_records WHERE account_id = ?"
                        " AND action IN ('search', 'view') ORDER BY id", (account.id,)).fetchall()
    seeker_id = conn.execute("SELECT id FROM seekers WHERE phone = '+821000001001'").fetchone()[0]
    assert [tuple(r) for r in kept] == [("search", None, "본인 전화 문의"), ("view", seeker_id, "본인 전화 문의")]


def test_the_openings_list_and_the_opening_form_pass_axe_and_work_by_keyboard(page, live_server, app, conn):
    sign_in_page(page, live_server, add_account(app, "admin"))
    page.goto(f"{live_server}/console/openings")
    assert axe_violations(page) == []
    tab_to(page, "#occupation")
    page.keyboard.press("ArrowDown")  # the first occupation
    tab_to(page, ".filters button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*occupation=office.*"))
    assert "경영·사무" in page.locator("#openings-results tbody").inner_text()
    tab_to(page, "a[href='/console/openings/new']")
    page.keyboard.press("Enter")
    page.wait_for_selector("#title")
    assert axe_violations(page) == []
    tab_to(page, "#title")
    page.keyboard.type("주차 관리원")
    tab_to(page, "#wage_kind")
    page.keyboard.press("ArrowDown")  # 시급
    tab_to(page, "#wage_amount")
    page.keyboard.type("9000")
    tab_to(page, "form.stack button.primary")
    page.keyboard.press("Enter")
    page.wait_for_selector("#form-errors")
    assert page.locator("#wage_amount").input_value() == "9000"
    assert page.locator("#title").input_value() == "주차 관리원"
    assert "최저임금보다 적습니다" in page.locator("#wage_amount-error").inner_text()
    assert axe_violations(page) == []  # with every reason shown
