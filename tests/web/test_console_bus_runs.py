"""The console's job bus pages: the coming and past runs, planning one with a form, cancelling
one (asked once more), importing a season, and who may do what."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from console_support import add_account, post, sign_in
from counselor_sms_helpers import register_seeker

from kiosk.core.db import transaction
from kiosk.outreach import runs
from kiosk.places import centers
from kiosk.seekers import store as seekers

TODAY = date(2026, 11, 23)  # the tests' clock: Monday 10:00 in Seoul


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def center(conn, name: str) -> int:
    return centers.by_name(conn, name)["id"]


def counselors_of(conn, center_id: int) -> list:
    return conn.execute("SELECT id, name FROM counselors WHERE center_id = ? ORDER BY id", (center_id,)).fetchall()


def as_role(app, client, role: str, **where):
    account = add_account(app, role, **where)
    sign_in(client, account)
    return account


@pytest.fixture
def suwon(conn) -> int:
    return center(conn, "수원시 일자리센터")


def form(conn, suwon: int, **changes) -> dict:
    """A good run of 수원시 일자리센터 on Tuesday 1 December in 화성시, with its first counselor aboard."""
    return {"day": "2026-12-01", "starts": "10:00", "ends": "16:00", "place": "봉담읍 행정복지센터 앞",
            "address": "경기도 화성시 봉담읍 동화길 60", "region": "41590", "center": str(suwon),
            "counselors": [str(counselors_of(conn, suwon)[0]["id"])], **changes}


def test_who_sees_which_runs_and_who_may_change_them(app, client, conn):
    assert client.get("/console/bus-runs").status_code == 303  # not signed in: to the sign-in page
    as_role(app, client, "admin")
    page = client.get("/console/bus-runs")
    assert page.headers["Cache-Control"] == "no-store"
    listed = text(page)
    for stop in ("용인공용버스터미널 앞", "야탑역 광장", "백석역 메가박스 앞", "부천역 북부광장", "화성시청 앞 광장"):
        assert stop in listed
    assert "11월 25일(수) 오전 10:00~오후 4:00" in listed and "용인시 일자리센터" in listed

    seongnam = center(conn, "성남시 일자리센터")
    yongin_run = runs.on_day(conn, "jobbus-1", date(2026, 11, 25))
    staff = app.test_client()
    as_role(app, staff, "staff", center_id=seongnam)
    theirs = text(staff.get("/console/bus-runs"))
    assert "야탑역 광장" in theirs and "용인공용버스터미널" not in theirs and "화성시청" not in theirs
    assert staff.get(f"/console/bus-runs/{yongin_run['id']}/cancel").status_code == 403
    assert post(staff, f"/console/bus-runs/{yongin_run['id']}/cancel").status_code == 403
    assert runs.get(conn, yongin_run["id"])["status"] == "planned"

    yongin = center(conn, "용인시 일자리센터")
    reader = app.test_client()
    account = as_role(app, reader, "counselor", center_id=yongin)
    with transaction(conn):
        runs.add(conn, runs.Plan(bus="jobbus-1", day=date(2026, 12, 3), starts="10:00", ends="15:00",
                                 place="기흥역 광장", address="경기도 용인시 기흥구 기흥역로 9", region="41460",
                                 center_id=yongin, counselor_ids=(account.counselor_id,)),
                 app.extensions["clock"].now())
    aboard = reader.get("/console/bus-runs")
    assert aboard.status_code == 200 and "기흥역 광장" in text(aboard) and "야탑역" not in text(aboard)
    html = aboard.get_data(as_text=True)
    assert "/cancel" not in html and "/console/bus-runs/new" not in html
    assert reader.get("/console/bus-runs/new").status_code == 403
    assert post(reader, "/console/bus-runs", form(conn, yongin)).status_code == 403
    assert reader.get("/console/bus-runs/import").status_code == 403


def test_a_run_is_planned_from_the_form_once_even_if_sent_twice(app, client, conn, suwon):
    account = as_role(app, client, "staff", center_id=suwon)
    blank = client.get("/console/bus-runs/new").get_data(as_text=True)
    mine = [c["name"] for c in counselors_of(conn, suwon)]
    assert all(name in blank for name in mine)
    assert "김민지" not in blank  # the booth's counselor is not this center's
    answer = post(client, "/console/bus-runs", form(conn, suwon))
    assert answer.status_code == 303
    again = post(client, "/console/bus-runs", form(conn, suwon))
    assert again.status_code == 303
    planned = conn.execute("SELECT * FROM bus_runs WHERE day = '2026-12-01' AND status = 'planned'").fetchall()
    assert len(planned) == 1
    run = runs.get(conn, planned[0]["id"])
    assert (run["place"], run["region"], run["center_id"], run["starts"]) == ("봉담읍 행정복지센터 앞", "41590", suwon,
                                                                            "10:00")
    assert [c["name"] for c in runs.counselors_aboard(conn, run["id"])] == [mine[0]]
    listed = text(client.get(answer.location))
    assert "운행을 등록했습니다" in listed and "12월 1일(화) 오전 10:00~오후 4:00" in listed
    records = [tuple(r) for r in conn.execute("SELECT action, what FROM access_records WHERE account_id = ?",
                                              (account.id,))]
    assert ("change", f"bus run {run['id']} planned") in records


@pytest.mark.parametrize(("changes", "field", "says"), [
    ({"starts": "16:00", "ends": "10:00"}, "ends", "끝나는 시간이 시작 시간보다 늦어야 합니다"),
    ({"day": "2026-11-20"}, "day", "지난 날짜입니다: 2026-11-20"),
    ({"day": "12월 1일"}, "day", "날짜가 아닙니다"),
    ({"region": "11110"}, "region", "알 수 없는 값입니다: 11110"),  # 서울 종로구: not one of Gyeonggi's 31
    ({"starts": "아침"}, "starts", "시간이 아닙니다 (HH:MM): 아침"),
    ({"day": "2026-11-25"}, "day", "2026-11-25에는 이 버스의 다른 운행이 있습니다"),  # the demo's run at 용인
    ({"place": ""}, "place", "값이 비어 있습니다"),
])
def test_bad_input_is_refused_in_korean_and_what_was_typed_is_kept(app, client, conn, suwon, changes, field, says):
    as_role(app, client, "admin")
    before = conn.execute("SELECT count(*) FROM bus_runs").fetchone()[0]
    answer = post(client, "/console/bus-runs", form(conn, suwon, **changes))
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    reason = re.search(rf'<p class="error-message" id="{field}-error">([^<]+)</p>', html)
    assert reason and says in reason[1], html
    assert f'aria-describedby="{field}-error"' in html or f'{field}-error"' in html
    kept = form(conn, suwon, **changes)
    for name in ("day", "starts", "ends", "place", "address"):
        assert f'value="{kept[name]}"' in html
    assert f'value="{kept["counselors"][0]}" checked' in html
    assert conn.execute("SELECT count(*) FROM bus_runs").fetchone()[0] == before


def test_a_counselor_of_another_center_is_refused_by_name(app, client, conn, suwon):
    as_role(app, client, "admin")
    other = counselors_of(conn, center(conn, "성남시 일자리센터"))[0]
    answer = post(client, "/console/bus-runs", form(conn, suwon, counselors=[str(other["id"])]))
    assert answer.status_code == 422
    assert f"협력 센터의 상담사가 아닙니다: {other['name']}" in text(answer)


def test_staff_cannot_plan_another_centers_run(app, client, conn, suwon):
    as_role(app, client, "staff", center_id=center(conn, "성남시 일자리센터"))
    answer = post(client, "/console/bus-runs", form(conn, suwon, counselors=[]))
    assert answer.status_code == 422 and "협력 시·군 일자리센터가 아닙니다" in text(answer)
    assert runs.on_day(conn, "jobbus-1", date(2026, 12, 1)) is None


def test_in_english_the_reasons_are_english(app, client, conn, suwon):
    as_role(app, client, "admin")
    post(client, "/console/language", {"lang": "en", "next": "/console/bus-runs/new"})
    answer = post(client, "/console/bus-runs", form(conn, suwon, starts="16:00", ends="10:00"))
    assert answer.status_code == 422 and "The end must be after the start" in text(answer)
    assert "Plan a run" in text(answer) and "Hwaseong" in text(answer)


def test_choosing_the_center_lists_its_counselors_with_or_without_htmx(app, client, conn, suwon):
    as_role(app, client, "admin")
    seongnam = center(conn, "성남시 일자리센터")
    plain = client.get(f"/console/bus-runs/new?center={seongnam}&place=야탑역&day=2026-12-03").get_data(as_text=True)
    names = [c["name"] for c in counselors_of(conn, seongnam)]
    assert all(name in plain for name in names) and 'value="야탑역"' in plain
    assert counselors_of(conn, suwon)[0]["name"] not in plain
    part = client.get(f"/console/bus-runs/new?center={suwon}",
                      headers={"HX-Request": "true", "HX-Target": "counselor-choices"}).get_data(as_text=True)
    assert part.lstrip().startswith("<fieldset") and "<html" not in part
    assert counselors_of(conn, suwon)[0]["name"] in part and names[0] not in part


def test_a_coming_run_is_cancelled_after_a_confirmation(app, client, conn):
    account = as_role(app, client, "admin")
    run = runs.on_day(conn, "jobbus-1", date(2026, 11, 26))  # 야탑역, Thursday
    asked = client.get(f"/console/bus-runs/{run['id']}/cancel")
    assert asked.status_code == 200 and "운행을 취소할까요?" in text(asked)
    assert "전날 안내 문자는 아직 나가지 않았습니다" in text(asked)
    assert runs.get(conn, run["id"])["status"] == "planned"  # asking changes nothing
    answer = post(client, f"/console/bus-runs/{run['id']}/cancel")
    assert answer.status_code == 303 and runs.get(conn, run["id"])["status"] == "cancelled"
    listed = text(client.get(answer.location))
    assert "운행을 취소했습니다" in listed and "야탑역" not in listed
    assert client.get(f"/console/bus-runs/{run['id']}/cancel").status_code == 303  # nothing left to cancel
    records = [r[0] for r in conn.execute("SELECT what FROM access_records WHERE account_id = ?", (account.id,))]
    assert f"bus run {run['id']} cancelled, 0 told, 0 notices withdrawn" in records


def test_a_run_that_is_over_cannot_be_cancelled(app, client, conn, clock):
    run = runs.on_day(conn, "jobbus-1", date(2026, 11, 25))
    clock.advance(days=2, hours=7)  # Wednesday 17:00: the run at 용인 is over
    as_role(app, client, "admin")
    answer = post(client, f"/console/bus-runs/{run['id']}/cancel")
    assert answer.status_code == 409 and f"이미 끝난 운행은 취소할 수 없습니다: {run['id']}" in text(answer)
    assert runs.get(conn, run["id"])["status"] == "planned"


HEADER = "day,starts,ends,place,address,region,center,counselors\n"


def upload(client, data: str, name: str = "season.csv"):
    return post(client, "/console/bus-runs/import", {"file": (io.BytesIO(data.encode()), name)},
                content_type="multipart/form-data")


def test_a_season_is_imported_with_a_report_by_line_and_twice_is_once(app, client, conn, suwon):
    as_role(app, client, "staff", center_id=suwon)
    first = counselors_of(conn, suwon)[0]["name"]
    season = (HEADER
              + f"2026-12-08,10:00,16:00,오산역 광장,경기도 오산시 역광장로 59,오산시,수원시 일자리센터,{first}\n"
              "2026-12-09,16:00,10:00,평택역,경기도 평택시 평택로 51,평택시,수원시 일자리센터,\n"
              "2026-12-10,10:00,16:00,야탑역,경기도 성남시 분당구,성남시,성남시 일자리센터,\n")
    answer = upload(client, season)
    assert answer.status_code == 200
    report = text(answer)
    assert "3행 중 새로 추가·변경 1건, 변경 없음 0건, 제외 2건" in report
    assert "3 ends 끝나는 시간이 시작 시간보다 늦어야 합니다" in report
    assert "4 center 다른 센터의 운행은 등록할 수 없습니다: 성남시 일자리센터" in report
    assert runs.on_day(conn, "jobbus-1", date(2026, 12, 8))["place"] == "오산역 광장"
    again = text(upload(client, season))
    assert "새로 추가·변경 0건, 변경 없음 1건" in again
    assert conn.execute("SELECT count(*) FROM bus_runs WHERE day = '2026-12-08'").fetchone()[0] == 1


def test_an_empty_or_missing_file_is_refused(app, client):
    as_role(app, client, "admin")
    assert upload(client, "").status_code == 422
    missing = post(client, "/console/bus-runs/import", {}, content_type="multipart/form-data")
    assert missing.status_code == 422 and "올릴 파일을 고르세요" in text(missing)
    columns = upload(client, "day,place\n2026-12-08,오산역\n")
    assert columns.status_code == 422 and "starts" in text(columns)


def test_past_runs_show_what_was_done_aboard(app, client, conn, clock):
    run = runs.on_day(conn, "jobbus-1", date(2026, 11, 25))
    clock.advance(days=2, hours=2)  # Wednesday 12:00, at 용인
    aboard = register_seeker(conn, "+821055550201", clock.now(), kiosk="jobbus-1", center=run["center_id"])
    register_seeker(conn, "+821055550202", clock.now(), kiosk="jobbus-1", center=run["center_id"])
    clock.advance(days=3)  # Saturday: the first has found work since
    with transaction(conn):
        seekers.mark_employed(conn, aboard, occupation="security", employer="새솔아파트", now=clock.now())
    as_role(app, client, "admin")
    html = client.get("/console/bus-runs").get_data(as_text=True)
    past = html.split('id="past-runs"', 1)[1].split("</table>", 1)[0]
    row = next(r for r in past.split("<tr")[1:] if "용인공용버스터미널" in r)
    assert re.findall(r"<td>(\d+)</td>", row) == ["2", "0", "1"]  # registrations, referral requests, hires
