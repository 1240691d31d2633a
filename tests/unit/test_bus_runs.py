"""The job bus's runs: planned, listed, cancelled and imported with `jobstop bus`."""

from __future__ import annotations

from datetime import date

from kiosk.outreach import runs

HEADER = "day,starts,ends,place,address,region,center,counselors\n"
GOOD = ("2026-12-11,10:00,16:00,화성시청 앞 광장,경기도 화성시 남양읍 시청로 159,화성시,수원시 일자리센터,장서연\n"
        "2026. 12. 12.,9시,15:30,오산역 광장,경기도 오산시 역광장로 59,Osan-si,수원시 일자리센터,\n")
BAD = ("2026-12-13,16:00,10:00,평택역,경기도 평택시 평택로 51,평택시,수원시 일자리센터,\n"
       "2026-12-14,10:00,16:00,어딘가,주소,없는시,수원시 일자리센터,\n"
       "2026-12-15,10:00,16:00,안산역,경기도 안산시 단원구 중앙대로 462,안산시,경기 일자리버스,\n"
       "2026-12-16,10:00,16:00,시흥시청,경기도 시흥시 시청로 20,시흥시,수원시 일자리센터,없는사람\n"
       "2026-12-11,10:00,16:00,다른 곳,경기도 수원시,수원시,수원시 일자리센터,\n"
       "12월 17일,10:00,16:00,광명역,경기도 광명시,광명시,수원시 일자리센터,\n")


def write(tmp_path, text: str) -> str:
    path = tmp_path / "runs.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_season_is_imported_with_a_report_by_line(runner, conn, tmp_path):
    result = runner.invoke(args=["bus", "import", write(tmp_path, HEADER + GOOD + BAD)])
    assert result.exit_code == 1
    out = result.output
    assert "8행 중 새로 추가·변경 2건, 변경 없음 0건, 제외 6건" in out
    assert "4행 ends: 끝나는 시간이 시작 시간보다 늦어야 합니다" in out
    assert "5행 region: 알 수 없는 값입니다: 없는시" in out
    assert "6행 center: 협력 시·군 일자리센터가 아닙니다: 경기 일자리버스" in out
    assert "7행 counselors: 등록된 상담사가 아닙니다: 없는사람" in out
    assert "8행 day: 2행과 같은 버스, 같은 날입니다" in out
    assert "9행 day: 날짜가 아닙니다 (YYYY-MM-DD): 12월 17일" in out
    first = runs.on_day(conn, "jobbus-1", date(2026, 12, 11))
    assert (first["region"], first["starts"], first["ends"], first["center_name"]) == (
        "41590", "10:00", "16:00", "수원시 일자리센터")
    assert [c["name"] for c in runs.counselors_aboard(conn, first["id"])] == ["장서연"]
    second = runs.on_day(conn, "jobbus-1", date(2026, 12, 12))
    assert (second["region"], second["starts"], second["ends"]) == ("41370", "09:00", "15:30")


def test_importing_the_same_season_again_adds_nothing(runner, conn, tmp_path):
    path = write(tmp_path, HEADER + GOOD)
    assert runner.invoke(args=["bus", "import", path]).exit_code == 0
    again = runner.invoke(args=["bus", "import", path])
    assert again.exit_code == 0 and "새로 추가·변경 0건, 변경 없음 2건" in again.output
    assert conn.execute("SELECT count(*) FROM bus_runs WHERE day IN ('2026-12-11', '2026-12-12')").fetchone()[0] == 2


def test_a_dry_run_writes_nothing_and_english_reports(runner, conn, tmp_path):
    path = write(tmp_path, HEADER + BAD.splitlines(True)[0])
    result = runner.invoke(args=["bus", "import", "--dry-run", "--lang", "en", path])
    assert result.exit_code == 1
    assert result.output == ("line 2: ends: The end must be after the start\n"
                             "1 rows checked (nothing written): 1 rejected\n")
    assert runs.on_day(conn, "jobbus-1", date(2026, 12, 13)) is None


def test_add_list_and_cancel(runner, conn):
    added = runner.invoke(args=["bus", "add", "--day", "2026-12-11", "--hours", "10:00-16:00",
                                "--place", "봉담읍 행정복지센터 앞",
                                "--address", "경기도 화성시 남양읍 시청로 159", "--region", "화성시",
                                "--center", "수원시 일자리센터", "--counselor", "장서연"])
    assert added.exit_code == 0, added.output
    run_id = runs.on_day(conn, "jobbus-1", date(2026, 12, 11))["id"]
    listed = runner.invoke(args=["bus", "list"]).output
    assert f"{run_id}\t2026-12-11 10:00-16:00\t봉담읍 행정복지센터 앞 (화성시)\t수원시 일자리센터\t장서연" in listed
    twice = runner.invoke(args=["bus", "add", "--day", "2026-12-11", "--hours", "10:00-16:00", "--place", "다른 곳",
                                "--address", "주소", "--region", "수원시", "--center", "수원시 일자리센터"])
    assert twice.exit_code == 1 and "2026-12-11에는 이 버스의 다른 운행이 있습니다" in twice.output
    assert runner.invoke(args=["bus", "cancel", str(run_id)]).exit_code == 0
    assert "봉담읍" not in runner.invoke(args=["bus", "list"]).output
    assert "[취소됨]" in runner.invoke(args=["bus", "list", "--all"]).output
    assert runner.invoke(args=["bus", "cancel", str(run_id)]).exit_code == 1


def test_the_demo_plans_coming_runs_in_gyeonggi(conn):
    coming = runs.coming(conn, date(2026, 11, 23))
    assert len(coming) >= 4 and all(r["region"].startswith("41") for r in coming)
    assert all(runs.counselors_aboard(conn, r["id"]) for r in coming)


def test_a_past_day_and_another_centers_counselor_are_refused(runner, conn):
    """Today is Monday 23 November 2026 (the tests' clock); 김민지 works at the Suwon Station booth."""
    past = runner.invoke(args=["bus", "add", "--day", "2026-11-22", "--hours", "10:00-16:00", "--place", "수원역",
                               "--address", "경기도 수원시 팔달구 덕영대로 924", "--region", "수원시",
                               "--center", "수원시 일자리센터"])
    assert past.exit_code == 1 and "지난 날짜입니다: 2026-11-22" in past.output
    other = runner.invoke(args=["bus", "add", "--day", "2026-12-18", "--hours", "10:00-16:00", "--place", "야탑역",
                                "--address", "경기도 성남시 분당구 야탑로", "--region", "성남시",
                                "--center", "성남시 일자리센터", "--counselor", "김민지"])
    assert other.exit_code == 1 and "협력 센터의 상담사가 아닙니다: 김민지" in other.output
    assert runs.on_day(conn, "jobbus-1", date(2026, 12, 18)) is None
