"""The job_runs table: one row per run of a timed job, its holder, outcome and counts.

The only module that writes it: the scheduler process records each run, the retention job
reads when it last succeeded and drops old rows, the console shows each job's newest runs.
"""

from __future__ import annotations

import json
from datetime import datetime

from kiosk.core.clock import iso, parse_iso
from kiosk.core.db import Connection, Row, transaction


def start(db: Connection, job_id: str, holder: str, now: datetime) -> int:
    """A new run's row; its id."""
    with transaction(db):
        return db.execute("INSERT INTO job_runs (job_id, holder, started_at) VALUES (?, ?, ?) RETURNING id",
                          (job_id, holder, iso(now))).fetchone()[0]


def finish(db: Connection, run_id: int, now: datetime, outcome: str, detail: dict) -> None:
    with transaction(db):
        db.execute("UPDATE job_runs SET finished_at = ?, outcome = ?, detail = ? WHERE id = ?",
                   (iso(now), outcome, json.dumps(detail, ensure_ascii=False, default=str), run_id))


def last_success(db: Connection, job_id: str) -> datetime | None:
    """When the job's latest successful run started (None: never)."""
    row = db.execute("SELECT max(started_at) FROM job_runs WHERE job_id = ? AND outcome = 'ok'", (job_id,)).fetchone()
    return parse_iso(row[0]) if row and row[0] else None


def newest(db: Connection, job_id: str, outcome: str | None = None) -> Row | None:
    """The job's newest run, or its newest with that outcome ('ok', 'error', 'running')."""
    if outcome is None:
        return db.execute("SELECT * FROM job_runs WHERE job_id = ? ORDER BY started_at DESC, id DESC LIMIT 1",
                          (job_id,)).fetchone()
    return db.execute("SELECT * FROM job_runs WHERE job_id = ? AND outcome = ? ORDER BY started_at DESC, id DESC"
                      " LIMIT 1", (job_id, outcome)).fetchone()


def purge_before(db: Connection, cutoff: datetime) -> None:
    """Drops the runs started before cutoff."""
    db.execute("DELETE FROM job_runs WHERE started_at < ?", (iso(cutoff),))
