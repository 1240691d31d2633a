"""The console's openings: who may do what, the kiosk's filters paged, the form's reasons in
Korean with the typing kept, a double submit stored once, closing, and a CSV upload."""

from __future__ import annotations

import re
import time

from console_support import add_account, csrf_of, post, sign_in
from openings_csv import BAD, GOOD, HEADER

from kiosk.console.openings_upload import MAX_UPLOAD_BYTES
from kiosk.core.db import transaction
from kiosk.openings import uploads

BOUNDARY = "jobstop-test-boundary-7"
FORM = {"title": "아파트 경비원", "employer": "솔숲마을아파트 관리사무소", "occupation": "security",
        "region": "41110", "address": "경기도 수원시 팔달구 중앙로 1", "employment_type": "full_time",
        "wage_kind": "hourly", "wage_amount": "11,000", "work_hours": "09:00~18:00", "work_days": "월~금",
        "how_to_apply": "전화 후 방문", "contact_phone": "010-2222-3333", "posted_on": "2026-11-20",
        "deadline": "2026-12-20", "description": "순찰"}


def signed(app, role: str, **kwargs):
    client = app.test_client()
    sign_in(client, add_account(app, role, **kwargs))
    return client


def form_token(client) -> str:
    return re.search(r'name="token" value="([^"]+)"', client.get("/console/openings/new").get_data(as_text=True))[1]


def test_staff_and_admins_manage_openings_counselors_only_read_them(app):
    assert app.test_client().get("/console/openings").status_code == 303  # sign in first
    counselor = signed(app, "counselor")
    page = counselor.get("/console/openings")
    assert page.status_code == 200 and "/console/openings/new" not in page.get_data(as_text=True)
    assert "상담사는 공고를 볼 수만 있습니다" in page.get_data(as_text=True)
    for path in ("/console/openings/new", "/console/openings/1/edit", "/console/openings/upload"):
        assert counselor.get(path).status_code == 403
    assert post(counselor, "/console/openings/1/close").status_code == 403
    assert post(counselor, "/console/openings/new", {**FORM, "token": "counselor-token"}).status_code == 403
    for role in ("staff", "admin"):
        client = signed(app, role)
        assert client.get("/console/openings").status_code == 200
        assert client.get("/console/openings/new").status_code == 200
        assert client.get("/console/openings/1/edit").status_code == 200


def test_the_list_has_the_kiosks_search_and_filters_paged(app, conn):
    client = signed(app, "staff")
    everything = client.get("/console/openings").get_data(as_text=True)
    total = conn.execute("SELECT count(*) FROM openings WHERE status = 'open' AND (deadline IS NULL"
                         " OR deadline >= '2026-11-23')").fetchone()[0]
    assert f"모집 중인 공고 {total:,}건 (1/" in everything
    security = client.get("/console/openings?occupation=security&region=41110").get_data(as_text=True)
    shown = int(re.search(r"모집 중인 공고 ([\d,]+)건", security)[1].replace(",", ""))
    assert 0 < shown < total and "경비·청소" in security
    second = client.get("/console/openings?occupation=security&page=2").get_data(as_text=True)
    assert "(2/" in second and "?page=1&amp;occupation=security" in second
    searched = client.get("/console/openings?q=경비").get_data(as_text=True)
    assert int(re.search(r"모집 중인 공고 ([\d,]+)건", searched)[1].replace(",", "")) < total
    part = client.get("/console/openings?q=경비", headers={"HX-Request": "true", "HX-Target": "openings-results"})
    assert part.get_data(as_text=True).startswith('<section id="openings-results"')


def test_a_filter_that_is_not_known_is_named_with_its_reason_and_left_out(app):
    client = signed(app, "staff")
    answer = client.get("/console/openings?occupation=welding&region=41110")
    assert answer.status_code == 422
    text = answer.get_data(as_text=True)
    assert "직종: 알 수 없는 값이라 빼고 찾았습니다" in text
    assert 'aria-invalid="true" aria-describedby="occupation-error"' in text
    assert '<option value="41110" selected>' in text


def test_bad_input_gets_each_reason_in_korean_and_keeps_what_was_typed(app, conn):
    client = signed(app, "staff")
    before = conn.execute("SELECT count(*) FROM openings").fetchone()[0]
    typed = {**FORM, "employer": "", "wage_amount": "9,000", "deadline": "2026-11-01", "contact_phone": "",
             "title": "주차 <관리> 원", "token": form_token(client)}
    answer = post(client, "/console/openings/new", typed)
    assert answer.status_code == 422
    text = answer.get_data(as_text=True)
    for reason in ("값이 비어 있습니다", "최저임금보다 적습니다 (최소 10,320원)", "마감일이 등록일보다 앞섭니다",
                   "지원할 휴대전화 번호를 적거나, 지원 방법에 지원 주소(https://...)를 적어 주세요"):
        assert reason in text
    assert 'value="9,000"' in text and 'value="2026-11-01"' in text and 'value="주차 &lt;관리&gt; 원"' in text
    assert '<option value="security" selected>' in text
    assert 'aria-describedby="wage_amount-hint wage_amount-error"' in text
    assert conn.execute("SELECT count(*) FROM openings").fetchone()[0] == before


def test_a_new_opening_sent_twice_is_stored_once_and_the_kiosk_finds_it(app, conn):
    client = signed(app, "staff")
    token = form_token(client)
    first = post(client, "/console/openings/new", {**FORM, "token": token})
    second = post(client, "/console/openings/new", {**FORM, "token": token})
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    rows = conn.execute("SELECT id, contact_phone, wage_amount FROM openings WHERE employer = ?",
                        (FORM["employer"],)).fetchall()
    assert len(rows) == 1 and (rows[0]["contact_phone"], rows[0]["wage_amount"]) == ("010-2222-3333", 11_000)
    assert "저장했습니다." in client.get(first.headers["Location"]).get_data(as_text=True)
    kiosk = app.test_client().get("/k/suwon-station/openings?q=솔숲마을").get_data(as_text=True)
    assert "아파트 경비원" in kiosk


def test_an_edit_is_saved_and_a_bad_edit_keeps_the_typing(app, conn):
    client = signed(app, "admin")
    opening_id = conn.execute("SELECT id FROM openings WHERE status = 'open' ORDER BY id LIMIT 1").fetchone()[0]
    refused = post(client, f"/console/openings/{opening_id}/edit", {**FORM, "wage_kind": "monthly",
                                                                   "wage_amount": "2,000,000"})
    assert refused.status_code == 422
    assert "최저임금보다 적습니다 (최소 2,156,880원)" in refused.get_data(as_text=True)
    assert 'value="2,000,000"' in refused.get_data(as_text=True)
    saved = post(client, f"/console/openings/{opening_id}/edit", {**FORM, "title": "야간 경비원"})
    assert saved.status_code == 303
    assert conn.execute("SELECT title FROM openings WHERE id = ?", (opening_id,)).fetchone()[0] == "야간 경비원"


def test_closing_an_opening_takes_it_off_the_list(app, conn):
    client = signed(app, "staff")
    row = conn.execute("SELECT id, title FROM openings WHERE status = 'open' ORDER BY posted_on DESC, id DESC"
                       " LIMIT 1").fetchone()
    assert f"/console/openings/{row['id']}/edit" in client.get("/console/openings").get_data(as_text=True)
    closed = post(client, f"/console/openings/{row['id']}/close", {"next": "/console/openings"})
    assert closed.status_code == 303 and closed.headers["Location"] == "/console/openings"
    assert conn.execute("SELECT status FROM openings WHERE id = ?", (row["id"],)).fetchone()[0] == "closed"
    assert f"/console/openings/{row['id']}/edit" not in client.get("/console/openings").get_data(as_text=True)
    assert "마감된 공고입니다" in client.get(f"/console/openings/{row['id']}/edit").get_data(as_text=True)


def upload(client, content: bytes, token: str = "upload-token-1", name: str = "openings.csv"):
    """The upload form posted as a browser sends it. The body is encoded here: the test client's
    own encoding spools a large file to a temporary file it never closes."""
    fields = {"csrf_token": csrf_of(client, "/console/openings/upload"), "token": token}
    body = b"".join(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                    for k, v in fields.items())
    body += (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
             "Content-Type: text/csv\r\n\r\n").encode() + content + f"\r\n--{BOUNDARY}--\r\n".encode()
    return client.post("/console/openings/upload", data=body,
                       content_type=f"multipart/form-data; boundary={BOUNDARY}")


def finished(client, location: str) -> str:
    """The run's page once its import is done, polled as htmx does."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        answer = client.get(location, headers={"HX-Request": "true"})
        if answer.status_code == 286:
            return answer.get_data(as_text=True)
        assert answer.status_code == 200 and 'hx-trigger="every 1s"' in answer.get_data(as_text=True)
        time.sleep(0.05)
    raise AssertionError("the import did not finish")


def test_a_csv_upload_imports_good_lines_and_reports_each_bad_line(app, conn):
    client = signed(app, "staff")
    answer = upload(client, (HEADER + "".join(GOOD + BAD)).encode())
    assert answer.status_code == 303
    report = finished(client, answer.headers["Location"])
    assert "6행 중 새로 추가·변경 2건, 변경 없음 0건, 제외 4건" in report
    assert "<tr><td>4</td><td>title</td><td>값이 비어 있습니다</td></tr>" in report
    assert "<td>5</td><td>wage_amount</td><td>최저임금보다 적습니다 (최소 10,320원)</td>" in report
    assert "<td>7</td><td>source_ref</td><td>2행과 같은 source_ref입니다</td>" in report
    assert 'hx-trigger' not in report
    refs = {r[0] for r in conn.execute("SELECT source_ref FROM openings WHERE source_ref LIKE 'hrd-%'")}
    assert refs == {"hrd-001", "hrd-002"}
    page = client.get(answer.headers["Location"]).get_data(as_text=True)  # the page itself, without htmx
    assert "<title>CSV 올리기 결과" in page and "6행 중 새로 추가·변경 2건" in page


def test_the_same_upload_sent_twice_is_one_run_and_a_missing_file_is_said(app, conn):
    client = signed(app, "staff")
    first = upload(client, (HEADER + "".join(GOOD)).encode(), token="upload-twice-1")
    again = upload(client, (HEADER + "".join(GOOD)).encode(), token="upload-twice-1")
    assert first.headers["Location"] == again.headers["Location"]
    finished(client, first.headers["Location"])
    assert conn.execute("SELECT count(*) FROM import_runs").fetchone()[0] == 1
    missing = client.post("/console/openings/upload", data={
        "csrf_token": csrf_of(client, "/console/openings/upload"), "token": "upload-none-1"})
    assert missing.status_code == 422 and "올릴 파일을 고르세요" in missing.get_data(as_text=True)
    empty = upload(client, b"", token="upload-empty-1")
    assert empty.status_code == 422 and "파일이 비어 있습니다" in empty.get_data(as_text=True)


def test_a_running_upload_shows_its_progress_and_only_its_uploader_and_admins_see_it(app, conn, clock):
    staff = signed(app, "staff")
    owner = conn.execute("SELECT max(id) FROM staff_accounts").fetchone()[0]
    run_id, _ = uploads.start(conn, token="progress-run-1", staff_id=owner, file_name="big.csv", now=clock.now())
    with transaction(conn):
        uploads.record_checked(conn, run_id, uploads.importer.Result(rows=3000), 3000, clock.now())
        uploads.record_written(conn, run_id, 1500, 1500, clock.now())
    running = staff.get(f"/console/openings/uploads/{run_id}", headers={"HX-Request": "true"})
    text = running.get_data(as_text=True)
    assert running.status_code == 200 and '<progress id="import-progress" max="100" value="55">' in text
    assert "저장 중: 1,500 / 3,000행" in text and 'hx-trigger="every 1s"' in text
    assert signed(app, "staff").get(f"/console/openings/uploads/{run_id}").status_code == 403
    assert signed(app, "admin").get(f"/console/openings/uploads/{run_id}").status_code == 200
    clock.advance(minutes=3)  # its process ended: nothing moved for minutes
    stalled = staff.get(f"/console/openings/uploads/{run_id}", headers={"HX-Request": "true"})
    assert stalled.status_code == 286
    assert "가져오기가 중간에 멈췄습니다 (1,500/3,000행 저장)" in stalled.get_data(as_text=True)


def test_a_file_over_the_limit_is_refused_with_its_reason_and_a_huge_body_gets_413(app):
    client = signed(app, "staff")
    over = upload(client, b"x" * (MAX_UPLOAD_BYTES + 1), token="upload-big-1")
    assert over.status_code == 422 and "파일이 20MB보다 큽니다. 나누어 올려 주세요" in over.get_data(as_text=True)
    huge = upload(client, b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1), token="upload-huge-1")
    assert huge.status_code == 413
