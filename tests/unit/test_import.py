"""`jobstop import-openings FILE.csv`: good rows in, bad rows reported by line, no half-writes."""

from __future__ import annotations

import pytest
from openings_csv import BAD, GOOD, HEADER

from kiosk.core import db
from kiosk.core.clock import FrozenClock
from kiosk.openings import importer

RECORD = dict(zip(HEADER.strip().split(","), [
    "hrd-009", "조리원", "푸른급식", "food", "41110", "경기도 수원시 장안구 정조로 1", "full_time",
    "monthly", "2,200,000", "08:00~17:00", "월~금", "방문 접수", "2026-11-20", "", "", ""], strict=True))


def write(tmp_path, lines: list[str], encoding: str = "utf-8") -> str:
    path = tmp_path / "openings.csv"
    path.write_bytes((HEADER + "".join(lines)).encode(encoding))
    return str(path)


def imported(conn) -> dict[str, db.Row]:
    return {r["source_ref"]: r for r in conn.execute("SELECT * FROM openings WHERE source_ref LIKE 'hrd-%'")}


def test_good_rows_are_imported_and_found_by_search(runner, conn, tmp_path):
    result = runner.invoke(args=["import-openings", write(tmp_path, GOOD)])
    assert result.exit_code == 0, result.output
    assert "새로 추가·변경 2건" in result.output
    rows = imported(conn)
    assert rows["hrd-001"]["wage_amount"] == 2_400_000 and rows["hrd-001"]["deadline"] == "2026-12-20"
    assert (rows["hrd-002"]["occupation"], rows["hrd-002"]["region"],
            rows["hrd-002"]["employment_type"], rows["hrd-002"]["wage_kind"]) == (
        "care", "41460", "part_time", "hourly")
    assert rows["hrd-002"]["deadline"] is None
    found = {r[0] for r in conn.execute(
        "SELECT opening_id FROM opening_grams WHERE gram = '요양' AND region = '41460'")}
    assert rows["hrd-002"]["id"] in found


def test_bad_rows_are_reported_by_line_and_reason_and_good_rows_still_go_in(runner, conn, tmp_path):
    result = runner.invoke(args=["import-openings", write(tmp_path, GOOD + BAD)])
    assert result.exit_code == 1
    out = result.output
    assert "4행 title: 값이 비어 있습니다" in out
    assert "5행 occupation: 알 수 없는 값입니다: welding" in out
    assert "5행 wage_amount: 최저임금보다 적습니다" in out
    assert "6행 region: 알 수 없는 값입니다: 99999" in out
    assert "6행 posted_on: 날짜가 아닙니다" in out
    assert "6행 wage_amount: 최저임금보다 적습니다 (최소 2,156,880원)" in out
    assert "7행 source_ref: 2행과 같은 source_ref입니다" in out
    assert "제외 4건" in out
    assert set(imported(conn)) == {"hrd-001", "hrd-002"}
    assert imported(conn)["hrd-001"]["title"] == "아파트 경비원"


def test_reimport_updates_instead_of_duplicating(runner, conn, tmp_path):
    path = write(tmp_path, GOOD)
    runner.invoke(args=["import-openings", path])
    before = conn.execute("SELECT count(*) FROM openings").fetchone()[0]
    again = runner.invoke(args=["import-openings", path])
    assert "새로 추가·변경 0건, 변경 없음 2건" in again.output
    changed = write(tmp_path, [GOOD[0].replace("아파트 경비원", "아파트 야간 경비원"), GOOD[1]])
    third = runner.invoke(args=["import-openings", changed])
    assert "새로 추가·변경 1건" in third.output
    assert conn.execute("SELECT count(*) FROM openings").fetchone()[0] == before
    assert imported(conn)["hrd-001"]["title"] == "아파트 야간 경비원"


def refuse_the_second_row(conn) -> None:
    """A trigger, in the engine's own language, failing the insert of the file's second row."""
    if db.engine(conn) == "sqlite":
        conn.execute("CREATE TRIGGER refuse AFTER INSERT ON openings WHEN NEW.source_ref = 'hrd-002'"
                     " BEGIN SELECT RAISE(ABORT, 'disk full'); END")
        return
    conn.execute("CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                 " IF NEW.source_ref = 'hrd-002' THEN RAISE integrity_constraint_violation USING"
                 " MESSAGE = 'disk full'; END IF; RETURN NEW; END $$")
    conn.execute("CREATE TRIGGER refuse AFTER INSERT ON openings FOR EACH ROW EXECUTE FUNCTION refuse()")


def test_a_failure_while_writing_leaves_nothing_half_written(app, conn, tmp_path):
    # A trigger that refuses the second row stands in for a disk or constraint failure mid-run.
    refuse_the_second_row(conn)
    with app.app_context():
        from kiosk.http.db import get_db

        with pytest.raises(db.IntegrityError):
            importer.import_csv(get_db(), (HEADER + "".join(GOOD)).encode(),
                                FrozenClock("2026-11-23T01:00:00Z").now())
    assert imported(conn) == {}
    assert conn.execute("SELECT count(*) FROM opening_search_text s LEFT JOIN openings o"
                        " ON o.id = s.opening_id WHERE o.id IS NULL").fetchone()[0] == 0


def test_cp949_files_from_spreadsheets_are_read(runner, conn, tmp_path):
    result = runner.invoke(args=["import-openings", write(tmp_path, GOOD, "cp949")])
    assert result.exit_code == 0 and imported(conn)["hrd-002"]["title"] == "방문요양보호사"


def test_missing_columns_reject_the_whole_file(runner, conn, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("source_ref,title\nx,y\n", encoding="utf-8")
    result = runner.invoke(args=["import-openings", str(path), "--lang", "en"])
    assert result.exit_code == 1 and "required columns are missing: employer" in result.output
    assert imported(conn) == {}


def test_dry_run_checks_without_writing(runner, conn, tmp_path):
    result = runner.invoke(args=["import-openings", "--dry-run", write(tmp_path, GOOD + BAD[:1])])
    assert result.exit_code == 1 and "저장하지 않음" in result.output and "4행 title" in result.output
    assert imported(conn) == {}


def test_multiline_fields_keep_line_numbers_right(runner, conn, tmp_path):
    multi = GOOD[1].replace('"어르신 댁 방문, 자격증 필요"', '"어르신 댁 방문\n자격증 필요"')
    result = runner.invoke(args=["import-openings", write(tmp_path, [multi, BAD[0]])])
    assert "4행 title" in result.output  # the record after a two-line field starts on line 4


@pytest.mark.parametrize(("written", "day"), [
    ("2026-11-20", "2026-11-20"), ("2026. 11. 20.", "2026-11-20"), ("2026.11.20", "2026-11-20"),
    ("2026/11/20", "2026-11-20"), ("2026. 1. 5.", "2026-01-05"), ("2026.11.20.", "2026-11-20"),
])
def test_korean_date_formats_are_read(written, day):
    row, problems = importer.check_row({**RECORD, "posted_on": written, "deadline": written}, 2)
    assert problems == [] and row["posted_on"] == row["deadline"] == day


@pytest.mark.parametrize("written", ["2026-11-20.", "2026.11/20", "20. 11. 2026", "2026. 13. 1.",
                                     "2026.11", "2026년", "2026-11-20x"])
def test_other_dates_are_reported(written):
    _row, problems = importer.check_row({**RECORD, "posted_on": written}, 2)
    assert [(p.column, p.reason) for p in problems] == [("posted_on", "not_a_date")]


def test_a_good_row_may_reuse_the_source_ref_of_a_rejected_one(runner, conn, tmp_path):
    rejected = GOOD[0].replace("아파트 경비원", "")  # same source_ref hrd-001, no title
    second_good = GOOD[0].replace("아파트 경비원", "아파트 야간 경비원")
    result = runner.invoke(args=["import-openings", write(tmp_path, [rejected, GOOD[0], second_good])])
    assert "2행 title: 값이 비어 있습니다" in result.output
    assert "3행 source_ref" not in result.output
    assert "4행 source_ref: 3행과 같은 source_ref입니다" in result.output
    assert imported(conn)["hrd-001"]["title"] == "아파트 경비원"
    assert "새로 추가·변경 1건" in result.output and "제외 2건" in result.output
