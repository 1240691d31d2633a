"""성과 통계 (/console/stats): who may see which center, bad pickers, the same figures as the
CSV and XLSX downloads and `jobstop stats`, htmx fragments and no-store."""

from __future__ import annotations

import csv
import io
import json
import re

from console_support import BOOTH, add_account, sign_in
from openpyxl import load_workbook

from kiosk.core import db
from kiosk.core.clock import parse_iso
from kiosk.counseling import records
from kiosk.places import centers
from kiosk.seekers import store as seekers

YEAR = {"from": "2025-11-24", "to": "2026-11-23"}


def some_figures(app) -> dict[str, int]:
    """A few registrations, hires and consultations at the booth and in Seongnam."""
    conn = db.connect(app.config["DATABASE"])
    try:
        booth, seongnam = centers.by_name(conn, BOOTH)["id"], centers.by_name(conn, "성남시 일자리센터")["id"]
        with db.transaction(conn):
            for n, (kiosk, center) in enumerate([("suwon-station", booth)] * 3 + [("seongnam-moran", seongnam)] * 2):
                at = parse_iso(f"2026-10-{n + 1:02d}T02:00:00Z")
                seeker_id, _ = seekers.register(conn, phone=f"+82104444{n:04d}", profile={"birth_year": 1960 + n},
                                                wanted={}, alerts=False, night=False,
                                                kiosk={"code": kiosk, "center_id": center}, consent_ids=[], now=at)
                if n % 2 == 0:
                    seekers.mark_employed(conn, seeker_id, occupation="security", employer="한빛", now=at)
                records.consultation(conn, seeker_id=seeker_id, center_id=center, counselor_id=None,
                                     topic="job_seeking", channel="phone", now=at)
    finally:
        conn.close()
    return {"booth": booth, "seongnam": seongnam}


def figure(page: str, name: str) -> str:
    return re.search(rf'data-figure="{name}">([^<]*)<', page)[1]


def test_an_admin_sees_every_center_and_each_one(app, client):
    ids = some_figures(app)
    sign_in(client, add_account(app, "admin"))
    answer = client.get("/console/stats", query_string=YEAR)
    page = answer.text
    assert answer.status_code == 200 and answer.headers["Cache-Control"].startswith("no-store")
    assert '<a href="/console/stats" aria-current="page">성과 통계</a>' in page
    assert figure(page, "registered") == "7" and figure(page, "hired") == "3"  # with the demo's two
    assert "전체 센터" in page and "성남시 일자리센터" in page
    one = client.get("/console/stats", query_string={**YEAR, "center": ids["seongnam"]}).text
    assert figure(one, "registered") == "3" and figure(one, "hired") == "1"
    for name in ("weeks", "occupation", "age_band", "place", "region", "satisfaction"):
        assert f'data-table="{name}"' in page and f'id="part-{name}"' in page
    assert page.count("<svg") == 6 and "<script" not in page.split("<main", 1)[1]


def test_staff_and_counselors_see_their_own_center_only(app, client):
    ids = some_figures(app)
    staff = app.test_client()
    sign_in(staff, add_account(app, "staff"))  # the booth's
    page = staff.get("/console/stats", query_string=YEAR).text
    assert figure(page, "registered") == "4" and "전체 센터" not in page and "성남시 일자리센터" not in page
    assert staff.get("/console/stats", query_string={**YEAR, "center": ids["seongnam"]}).status_code == 403
    assert staff.get("/console/stats.csv", query_string={**YEAR, "center": ids["seongnam"]}).status_code == 403
    counselor = app.test_client()
    sign_in(counselor, add_account(app, "counselor", center_id=ids["seongnam"]))
    assert figure(counselor.get("/console/stats", query_string=YEAR).text, "registered") == "3"
    assert counselor.get("/console/stats", query_string={**YEAR, "center": ids["booth"]}).status_code == 403
    nobody = client.get("/console/stats")
    assert nobody.status_code == 303 and "/console/sign-in" in nobody.headers["Location"]


def test_bad_days_are_refused_with_the_reason_and_what_was_typed(app, client):
    sign_in(client, add_account(app, "admin"))
    answer = client.get("/console/stats", query_string={"from": "2026-13-01", "to": "2026-11-23"})
    assert answer.status_code == 422
    assert "날짜를 2026-11-23처럼 적어 주세요." in answer.text and 'value="2026-13-01"' in answer.text
    backwards = client.get("/console/stats", query_string={"from": "2026-11-23", "to": "2026-01-01"})
    assert backwards.status_code == 422 and "종료일이 시작일보다 앞섭니다." in backwards.text
    assert client.get("/console/stats", query_string={"center": "999999"}).status_code == 404
    fragment = client.get("/console/stats", query_string=YEAR, headers={"HX-Request": "true"}).text
    assert fragment.startswith('<div id="stats">') or '<div id="stats">' in fragment[:400]
    assert "<html" not in fragment


def test_the_downloads_hold_the_same_figures_as_jobstop_stats(app, client, runner, tmp_path):
    some_figures(app)
    sign_in(client, add_account(app, "admin"))
    expected = json.loads(runner.invoke(args=["stats", "--from", YEAR["from"], "--to", YEAR["to"],
                                              "--format", "json"]).output)
    answer = client.get("/console/stats.csv", query_string=YEAR)
    assert answer.mimetype == "text/csv" and "attachment" in answer.headers["Content-Disposition"]
    rows = {(r["section"], r["key"], r["measure"]): r["value"]
            for r in csv.DictReader(io.StringIO(answer.text.lstrip("\ufeff")))}
    assert rows[("hired", "", "count")] == str(expected["hired"]["count"]) == "3"
    assert rows[("consultations.by_channel", "phone", "count")] == "5"
    workbook = client.get("/console/stats.xlsx", query_string=YEAR)
    assert workbook.mimetype.endswith("spreadsheetml.sheet")
    (tmp_path / "f.xlsx").write_bytes(workbook.data)
    sheet = {(r[0], r[1] or "", r[3]): r[4] for r in load_workbook(tmp_path / "f.xlsx").active.iter_rows(
        min_row=2, values_only=True)}
    assert sheet[("registered", "", "count")] == expected["registered"]["count"] == 7
    english = app.test_client()
    sign_in(english, add_account(app, "admin"))
    english.post("/console/language", data={"lang": "en", "csrf_token": re.search(
        r'name="csrf_token" value="([^"]+)"', english.get("/console/stats").text)[1]})
    assert "Registered seekers" in english.get("/console/stats", query_string=YEAR).text
    assert "hired.by_occupation,security,Security & cleaning,count,3" in english.get(
        "/console/stats.csv", query_string=YEAR).text
