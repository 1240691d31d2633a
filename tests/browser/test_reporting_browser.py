"""성과 통계 in Chromium over the demo's history: every number on the dashboard equals the one
counted from the raw rows, axe finds nothing at 1366×768 and 1920×1080, and printing gives one
A4 page."""

from __future__ import annotations

import re
import threading
from datetime import date

import pytest
from axe_check import axe_violations
from console_pages import DESKTOP, LAPTOP, sign_in_page
from console_support import add_account
from stats_truth import truth
from support import SECRET, START, ZONE, make_app
from werkzeug.serving import make_server

from kiosk.core import db
from kiosk.core.clock import FrozenClock, parse_iso
from kiosk.core.i18n import translate
from kiosk.demo import history
from kiosk.demo import loader as demo

FIRST, LAST = date(2025, 11, 23), date(2026, 11, 22)
QUERY = f"from={FIRST.isoformat()}&to={LAST.isoformat()}"


@pytest.fixture(scope="module")
def reporting(tmp_path_factory):
    """The demo with its history, served on a loopback port; (base URL, app, database path)."""
    folder = tmp_path_factory.mktemp("reporting")
    path = str(folder / "history.sqlite3")
    db.init_db(path)
    conn = db.connect(path)
    demo.load(conn, parse_iso(START), ZONE, secret=SECRET)
    history.load(conn, parse_iso(START), ZONE)
    conn.close()
    app = make_app(path, FrozenClock(START), folder)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", app, path
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def office(browser, reporting):
    context = browser.new_context(viewport=LAPTOP, locale="ko-KR", timezone_id=ZONE)
    page = context.new_page()
    sign_in_page(page, reporting[0], add_account(reporting[1], "admin"))
    page.goto(f"{reporting[0]}/console/stats?{QUERY}")
    yield page
    context.close()


def whole(text: str) -> int:
    return int(text.replace(",", ""))


def table(page, name: str) -> dict[str, list[str]]:
    """{row heading: [cells]} of one chart's table, as the page shows it."""
    rows = page.locator(f'table[data-table="{name}"] tbody tr')
    return {rows.nth(n).locator("th").inner_text(): rows.nth(n).locator("td").all_inner_texts()
            for n in range(rows.count())}


def test_every_number_on_the_dashboard_is_the_one_counted_from_the_rows(office, reporting):
    conn = db.connect(reporting[2])
    counted = truth(conn, FIRST, LAST, ZONE)
    conn.close()
    figure = lambda name: office.locator(f'[data-figure="{name}"]').inner_text()  # noqa: E731
    assert whole(figure("registered")) == counted["registered"]
    assert whole(figure("hired")) == counted["hired"]
    assert f"취업률 {counted['rate'] * 100:.1f}%" in office.locator(".headline").inner_text()
    assert float(figure("per_day")) == counted["per_day"]
    assert float(figure("consultations")) == round(counted["consultations"] / counted["registered"], 2)
    assert float(figure("referrals")) == round(counted["referrals"] / counted["registered"], 2)
    assert figure("satisfied") == f"{counted['satisfied'] / counted['answers'] * 100:.1f}%"
    assert whole(figure("counselors")) == counted["counselors"]
    occupations = table(office, "occupation")
    assert len(occupations) == len(counted["hired_by_occupation"])
    for code, (count, share) in counted["hired_by_occupation"].items():
        assert occupations[translate(f"occupation.{code}")] == [f"{count:,}", f"{share * 100:.1f}%"], code
    ages = table(office, "age_band")
    assert {cells[0] for cells in ages.values()} == {f"{n:,}" for n, _ in counted["hired_by_age_band"].values()}
    regions = table(office, "region")
    assert sorted(whole(cells[0]) for cells in regions.values()) == sorted(
        n for n, _ in counted["hired_by_region"].values())
    places = table(office, "place")
    assert sorted((whole(c[0]), whole(c[1])) for c in places.values()) == sorted(counted["places"].values())
    weeks = table(office, "weeks")
    assert sum(whole(c[0]) for c in weeks.values()) == counted["registered"]
    assert sum(whole(c[1]) for c in weeks.values()) == counted["hired"]
    months = table(office, "satisfaction")
    assert sum(whole(c[0]) for c in months.values()) == counted["answers"]
    assert office.locator("figure.chart svg").count() == 6


def test_the_pickers_and_downloads_work_from_the_page(office, reporting):
    office.select_option("#center", label="수원역 일자리센터 상담부스")
    office.get_by_role("button", name="보기").click()
    office.wait_for_url(re.compile(r"center=\d+"))
    conn = db.connect(reporting[2])
    booth = conn.execute("SELECT id FROM centers WHERE kind = 'booth'").fetchone()[0]
    counted = truth(conn, FIRST, LAST, ZONE, center_id=booth)
    conn.close()
    assert whole(office.locator('[data-figure="registered"]').inner_text()) == counted["registered"]
    with office.expect_download() as download:
        office.get_by_role("link", name="엑셀(XLSX) 내려받기").click()
    assert download.value.suggested_filename.endswith(f"-center{booth}.xlsx")


@pytest.mark.parametrize("size", [LAPTOP, DESKTOP], ids=["1366x768", "1920x1080"])
def test_no_axe_violations(office, size):
    office.set_viewport_size(size)
    assert axe_violations(office) == []


def test_printing_gives_one_a4_page(office):
    pdf = office.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1
    office.emulate_media(media="print")
    assert not office.locator(".console-bar").is_visible() and not office.locator(".filters").is_visible()
    assert office.locator("figure.chart svg").nth(0).is_visible()  # the weekly chart; its long table stays on screen
    assert not office.locator('table[data-table="weeks"]').is_visible()
    assert office.locator('table[data-table="occupation"]').is_visible()
