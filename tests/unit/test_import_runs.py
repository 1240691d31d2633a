"""An uploaded CSV file imported in the background: the command's report, progress written with
each chunk, a double submit one run, a run whose process ended seen as stopped."""

from __future__ import annotations

from datetime import timedelta

from openings_csv import BAD, GOOD, csv_bytes

from kiosk.core.db import transaction
from kiosk.openings import uploads


def test_the_same_upload_form_sent_twice_is_one_run(conn, clock):
    first = uploads.start(conn, token="t1", staff_id=7, file_name="a.csv", now=clock.now())
    again = uploads.start(conn, token="t1", staff_id=7, file_name="a.csv", now=clock.now())
    assert first == (first[0], True) and again == (first[0], False)
    run = uploads.get(conn, first[0])
    assert (run.status, run.percent, run.running) == ("checking", 0, True)


def test_good_rows_go_in_and_bad_rows_are_reported_like_the_command(conn, clock, database):
    run_id, _ = uploads.start(conn, token="t2", staff_id=7, file_name="a.csv", now=clock.now())
    uploads.run(database, run_id, csv_bytes(GOOD + BAD), clock)
    run = uploads.get(conn, run_id)
    assert (run.status, run.rows_read, run.rows_good, run.rows_written, run.rows_changed) == ("done", 6, 2, 2, 2)
    assert (run.rejected, run.unchanged, run.percent) == (4, 0, 100)
    assert run.problems[0].message("ko") == "4행 title: 값이 비어 있습니다"
    assert "7행 source_ref: 2행과 같은 source_ref입니다" in [p.message("ko") for p in run.problems]
    refs = {r[0] for r in conn.execute("SELECT source_ref FROM openings WHERE source_ref LIKE 'hrd-%'")}
    assert refs == {"hrd-001", "hrd-002"}
    # the same file again changes nothing
    again, _ = uploads.start(conn, token="t3", staff_id=7, file_name="a.csv", now=clock.now())
    uploads.run(database, again, csv_bytes(GOOD), clock)
    assert (uploads.get(conn, again).rows_changed, uploads.get(conn, again).unchanged) == (0, 2)


def test_a_file_refused_as_a_whole_is_done_with_its_reason(conn, clock, database):
    run_id, _ = uploads.start(conn, token="t4", staff_id=7, file_name="a.csv", now=clock.now())
    uploads.run(database, run_id, b"title,employer\n", clock)
    run = uploads.get(conn, run_id)
    assert run.status == "done" and [p.reason for p in run.problems] == ["missing_columns"]


def test_progress_is_committed_with_each_chunk(conn, clock, database, monkeypatch):
    monkeypatch.setattr(uploads, "CHUNK", 1)
    seen = []
    real = uploads.record_written

    def watch(db, run_id, written, changed, now):
        real(db, run_id, written, changed, now)
        seen.append(written)

    monkeypatch.setattr(uploads, "record_written", watch)
    run_id, _ = uploads.start(conn, token="t5", staff_id=7, file_name="a.csv", now=clock.now())
    uploads.run(database, run_id, csv_bytes(GOOD), clock)
    assert seen == [1, 2] and uploads.get(conn, run_id).rows_written == 2


def test_the_progress_bar_counts_checking_then_writing(conn, clock):
    run_id, _ = uploads.start(conn, token="t6", staff_id=7, file_name="a.csv", now=clock.now())
    with transaction(conn):
        uploads.record_checked(conn, run_id, uploads.importer.Result(rows=3000), 3000, clock.now())
        uploads.record_written(conn, run_id, 1000, 1000, clock.now())
    run = uploads.get(conn, run_id)
    assert (run.status, run.percent) == ("writing", 40)
    assert not run.stalled(clock.now() + timedelta(minutes=1))
    assert run.stalled(clock.now() + timedelta(minutes=3))


def test_a_failure_while_writing_marks_the_run_failed(conn, clock, database, monkeypatch, caplog):
    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(uploads.openings, "upsert_many", broken)
    run_id, _ = uploads.start(conn, token="t7", staff_id=7, file_name="a.csv", now=clock.now())
    uploads.run(database, run_id, csv_bytes(GOOD), clock)
    assert uploads.get(conn, run_id).status == "failed"
    assert "import run" in caplog.text
