"""Long commands tell how they go on stderr: import-openings every few thousand rows, load-demo what it loads."""

from __future__ import annotations

import csv
import io

from test_import import HEADER, RECORD

from kiosk.openings.importer import PROGRESS_EVERY


def many_openings(tmp_path, count: int) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, HEADER.strip().split(","))
    writer.writeheader()
    writer.writerows({**RECORD, "source_ref": f"many-{n}", "title": f"조리원 {n}"} for n in range(count))
    path = tmp_path / "many.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return str(path)


def test_import_openings_reports_every_few_thousand_rows_then_the_summary(runner, conn, tmp_path):
    count = 2 * PROGRESS_EVERY + 500
    result = runner.invoke(args=["import-openings", many_openings(tmp_path, count), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"{count} rows checked: {count} to write",
        *(f"written: {done} of {count}" for done in (PROGRESS_EVERY, 2 * PROGRESS_EVERY, count))]
    assert result.stdout == f"{count} rows: {count} added or changed, 0 unchanged, 0 rejected\n"
    assert conn.execute("SELECT count(*) FROM openings WHERE source_ref LIKE 'many-%'").fetchone()[0] == count


def test_import_openings_progress_is_in_the_reports_language(runner, tmp_path):
    result = runner.invoke(args=["import-openings", "--dry-run", many_openings(tmp_path, 3)])
    assert result.stderr == "3행 검사 완료: 저장할 행 3개\n"  # a dry run writes nothing, so says nothing more


def test_load_demo_says_what_it_is_loading(runner):
    result = runner.invoke(args=["load-demo", "--openings", "30"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == ["Loading demo 8 centers and 8 kiosks...", "Loading demo 30 openings...",
                                          "Loading demo seekers...", "Loading demo counseling...",
                                          "Loading demo staff..."]
    assert result.stdout == "Demo data loaded.\n"
