"""Operations (admins): whether texts go out and the timed jobs run.

The outbox now (due, waiting for later, held for quiet hours, being sent) and what its
messages ended as over the last day; the scheduler's lease holder and each job's newest run;
the texts of the last week that never reached their number, with the cause in words. The
status part refreshes itself; the list of unreached texts is recorded as a view of seekers'
(masked) numbers when the page is opened. Staff and counselors have that list alone, for
their own center's seekers (/console/unreached).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, render_template, request

from kiosk.console import console
from kiosk.console.access import current_staff, note_access, signed_in, visible_centers
from kiosk.core.clock import iso, parse_iso
from kiosk.core.db import Connection, Row, transaction
from kiosk.core.phones import mask
from kiosk.http.db import get_db
from kiosk.http.now import app_now
from scheduler import lease, process, runs
from sms.outbound import overview

ENDED_OVER = timedelta(days=1)
UNREACHED_OVER = timedelta(days=7)
UNREACHED_SHOWN = 100
# Twilio's error codes a center meets, each with a cause in words (operations.cause.<code>).
KNOWN_CODES = frozenset({21211, 21408, 21610, 21612, 21614, 30003, 30004, 30005, 30006, 30007, 30008})


@dataclass(frozen=True)
class Job:
    id: str
    next_run: str | None         # stored instants, as staff_time reads them
    started: str | None          # its newest run: when it started,
    outcome: str | None          # 'running', 'ok' or 'error',
    seconds: float | None        # and how long it took (None while running)
    last_ok: str | None          # when its newest successful run started
    error_at: str | None         # its newest failed run, shown while newer than the last success,
    error: str | None            # and what failed (the exception's kind; the log has the rest)


@dataclass(frozen=True)
class Unreached:
    at: str
    kind: str
    status: str
    phone: str          # masked
    seeker_id: int | None
    cause: str          # a catalog key
    code: int | None
    attempts: int


def cause(row: Row) -> str:
    """The catalog key that says, in words, why this message did not reach its number."""
    if row["status"] == "expired":
        return "operations.cause.expired"
    if row["reason"] == "opted_out" or row["error_code"] == 21610:
        return "operations.cause.21610"
    if row["error_code"] in KNOWN_CODES:
        return f"operations.cause.{row['error_code']}"
    if row["error_code"] is not None:
        return "operations.cause.other_code"
    return "operations.cause.stopped" if row["stopped"] else "operations.cause.connection"


def _took(run: Row) -> float | None:
    if not run["finished_at"]:
        return None
    return (parse_iso(run["finished_at"]) - parse_iso(run["started_at"])).total_seconds()


def _failure(run: Row) -> str:
    """The kind of exception a failed run recorded (its repr's name), or what the runner said."""
    text = str(json.loads(run["detail"] or "{}").get("error", ""))
    return text.split("(", 1)[0] if "(" in text else text


def jobs(db: Connection) -> list[Job]:
    found = []
    for job in process.describe(current_app._get_current_object()):  # type: ignore[attr-defined]
        newest, ok, error = (runs.newest(db, job["id"], outcome) for outcome in (None, "ok", "error"))
        if error is not None and ok is not None and ok["started_at"] > error["started_at"]:
            error = None  # it failed once and has run well since
        found.append(Job(job["id"], iso(job["next_run"]) if job["next_run"] else None,
                         newest["started_at"] if newest else None, newest["outcome"] if newest else None,
                         _took(newest) if newest else None, ok["started_at"] if ok else None,
                         error["started_at"] if error else None, _failure(error) if error else None))
    return found


def scheduler_state(db: Connection, now: datetime) -> dict | None:
    row = lease.current(db)
    if row is None:
        return None
    age, stale = lease.silence(row, now, float(current_app.config["SCHEDULER_LEASE_SECONDS"]))
    return {"holder": row["holder"], "since": row["acquired_at"], "age": age, "stale": stale is not None}


def unreached(db: Connection, now: datetime, centers: list[int] | None = None) -> list[Unreached]:
    """The last week's texts that did not reach their number (to these centers' seekers; None: all),
    each viewing recorded as a view of seekers' masked numbers."""
    rows = [Unreached(row["updated_at"], row["kind"], row["status"], mask(row["to_number"]),
                      row["seeker_id"], cause(row), row["error_code"], row["attempts"])
            for row in overview.unreached(db, now - UNREACHED_OVER, UNREACHED_SHOWN, centers)]
    if rows:
        with transaction(db):
            note_access("view", f"texts that did not reach their number: {len(rows)}, masked")
    return rows


def status_part(db: Connection, now: datetime) -> dict:
    box = overview.outbox(db, now, now - ENDED_OVER)
    behind = (now - box.oldest_due).total_seconds() if box.oldest_due else None
    return {"now": iso(now), "outbox": box, "behind": behind, "ended": overview.ENDED,
            "scheduler": scheduler_state(db, now), "jobs": jobs(db)}


@console.get("/operations")
@signed_in("admin")
def operations() -> str:
    db, now = get_db(), app_now()
    if request.headers.get("HX-Request"):  # the status part refreshing itself
        return render_template("console/_operations_status.html", **status_part(db, now))
    return render_template("console/operations.html", unreached=unreached(db, now), shown=UNREACHED_SHOWN,
                           **status_part(db, now))


@console.get("/unreached")
@signed_in()
def unreached_texts() -> str:
    """The texts to their own center's seekers that did not arrive, for staff and counselors to
    follow up (a changed number, a phone switched off); an admin sees everyone's, as on the
    operations page."""
    db, staff = get_db(), current_staff()
    centers = None if staff.role == "admin" else visible_centers(db)
    return render_template("console/unreached.html", unreached=unreached(db, app_now(), centers),
                           shown=UNREACHED_SHOWN)
