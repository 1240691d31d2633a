"""A CSV file of openings uploaded in the staff console, imported in the background.

The upload's request only records the run and starts a thread, so no web worker waits
minutes for a large file. The thread checks every row with the importer's rules
(kiosk.openings.importer), then writes the good rows in transactions of CHUNK rows, each
committing the run's progress with its rows: any web process reads how far it is from
import_runs, and kiosks writing their sessions wait for one chunk at most, never for the
whole file. If the process ends part way, the chunks written stay and uploading the file
again is safe (source_ref is the key: what is already there is unchanged). The report is
the command's: every refused row with its line, column and reason.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from kiosk.core.clock import Clock, iso, parse_iso
from kiosk.core.db import Connection, Row, connect, is_busy, transaction
from kiosk.openings import importer
from kiosk.openings import store as openings

CHUNK = 500  # good rows per transaction: a fraction of a second of writing
STALLED_AFTER = timedelta(minutes=2)  # a running import that wrote nothing for this long stopped
BUSY_RETRIES = 3

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Run:
    """One upload: where its import is and, once done, what it found."""

    id: int
    staff_id: int
    file_name: str
    status: str  # checking, writing, done, failed
    rows_read: int
    rows_good: int
    rows_written: int
    rows_changed: int
    problems: list[importer.Problem]
    updated_at: datetime

    @property
    def running(self) -> bool:
        return self.status in ("checking", "writing")

    @property
    def percent(self) -> int:
        """How far the import is, 0 to 100: checking is the first tenth, writing the rest."""
        if not self.running:
            return 100
        if self.status == "checking" or not self.rows_good:
            return 0
        return 10 + 90 * self.rows_written // self.rows_good

    @property
    def rejected(self) -> int:
        return len({p.line for p in self.problems if p.line})

    @property
    def unchanged(self) -> int:
        return self.rows_read - self.rejected - self.rows_changed

    def stalled(self, now: datetime) -> bool:
        """Still marked running, but nothing happened for a while: its process has ended."""
        return self.running and now - self.updated_at > STALLED_AFTER


def _problems(text: str) -> list[importer.Problem]:
    return [importer.Problem(line, column, reason, params) for line, column, reason, params in json.loads(text)]


def _run(row: Row) -> Run:
    return Run(row["id"], row["staff_id"], row["file_name"], row["status"], row["rows_read"],
               row["rows_good"], row["rows_written"], row["rows_changed"], _problems(row["problems"]),
               parse_iso(row["updated_at"]))


def start(db: Connection, *, token: str, staff_id: int, file_name: str, now: datetime) -> tuple[int, bool]:
    """Records a new upload: (its id, created). The same form sent twice is the same run."""
    at = iso(now)
    with transaction(db):
        row = db.execute(
            "INSERT INTO import_runs (token, staff_id, file_name, started_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (token) DO NOTHING RETURNING id",
            (token, staff_id, file_name[:200], at, at)).fetchone()
        if row is not None:
            return row["id"], True
        return db.execute("SELECT id FROM import_runs WHERE token = ?", (token,)).fetchone()["id"], False


def get(db: Connection, run_id: int) -> Run | None:
    row = db.execute("SELECT * FROM import_runs WHERE id = ?", (run_id,)).fetchone()
    return _run(row) if row else None


def record_checked(db: Connection, run_id: int, result: importer.Result, good: int, now: datetime) -> None:
    """Every row is checked: the report is known, the good rows are next (or nothing is)."""
    problems = json.dumps([[p.line, p.column, p.reason, p.params] for p in result.problems], ensure_ascii=False)
    db.execute("UPDATE import_runs SET status = 'writing', rows_read = ?, rows_good = ?, problems = ?,"
               " updated_at = ? WHERE id = ?", (result.rows, good, problems, iso(now), run_id))


def record_written(db: Connection, run_id: int, written: int, changed: int, now: datetime) -> None:
    """Progress, in the transaction that wrote those rows."""
    db.execute("UPDATE import_runs SET rows_written = ?, rows_changed = ?, updated_at = ? WHERE id = ?",
               (written, changed, iso(now), run_id))


def finish(db: Connection, run_id: int, status: str, now: datetime) -> None:
    db.execute("UPDATE import_runs SET status = ?, updated_at = ?, finished_at = ? WHERE id = ?",
               (status, iso(now), iso(now), run_id))


def _write_chunk(db: Connection, run_id: int, rows: list[dict[str, Any]], done: tuple[int, int],
                 clock: Clock) -> int:
    """Writes one chunk with the run's progress; how many openings it added or changed."""
    for attempt in range(BUSY_RETRIES):
        try:
            with transaction(db):
                changed = len(openings.upsert_many(db, rows, clock.now()))
                record_written(db, run_id, done[0] + len(rows), done[1] + changed, clock.now())
            return changed
        except Exception as exc:
            if not is_busy(exc) or attempt == BUSY_RETRIES - 1:
                raise
            time.sleep(0.5)
    raise AssertionError("unreachable")


def import_file(db: Connection, run_id: int, data: bytes, clock: Clock) -> None:
    """The whole import of one upload: check, then write chunk by chunk, then done."""
    result, good = importer.check_file(data)
    with transaction(db):
        record_checked(db, run_id, result, len(good), clock.now())
    changed = 0
    for first in range(0, len(good), CHUNK):
        changed += _write_chunk(db, run_id, good[first:first + CHUNK], (first, changed), clock)
    with transaction(db):
        finish(db, run_id, "done", clock.now())


def run(target: str, run_id: int, data: bytes, clock: Clock) -> None:
    """import_file on a connection of its own; a failure is logged and marks the run failed."""
    db = connect(target)
    try:
        import_file(db, run_id, data, clock)
    except Exception:
        log.exception("import run %s failed", run_id)
        with transaction(db):
            finish(db, run_id, "failed", clock.now())
    finally:
        db.close()


def start_in_background(target: str, run_id: int, data: bytes, clock: Clock) -> threading.Thread:
    """Runs the import in a thread of this process; the upload's request returns at once."""
    thread = threading.Thread(target=run, args=(target, run_id, data, clock),
                              name=f"import-run-{run_id}", daemon=True)
    thread.start()
    return thread
