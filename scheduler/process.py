"""The scheduler process: APScheduler running every timed job, under the database lease.

`jobstop scheduler` runs the jobs in a process of its own; `jobstop start` (the demo) runs
them in a thread of the dev server. Either way the process first takes the lease
(scheduler.lease); while another holds it, it waits. The jobs keep no state: the in-memory
job store is rebuilt at every start from JOBS below.

APScheduler runs in its background thread, and the thread that called Runner.run() waits in
our own loop rather than inside BlockingScheduler's: APScheduler catches every exception
while it hands a job to its executor, so a KeyboardInterrupt (Ctrl-C, or SIGTERM made one)
arriving in that moment was swallowed and the process went on running after systemd's stop.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

from kiosk.core.db import OperationalError
from scheduler import (
    bus_notice,
    close_expired,
    digest,
    dispatch,
    lease,
    match,
    outcome_prompts,
    retention,
    runs,
    stats_snapshot,
)
from scheduler.jobs import QUIET_HEARTBEAT, LeaseLost, connection, now, under_lease

log = logging.getLogger("jobstop.scheduler")


@dataclass(frozen=True)
class Job:
    """A timed job: what runs, when, and how late a missed run may still start."""

    id: str
    run: Callable[[Flask], dict]
    trigger: Callable[[Flask], BaseTrigger]
    misfire_grace_time: int | None   # seconds a late run may start; None: however late
    # Also run once when the scheduler starts (catch up): always, or when this says so.
    at_start: bool | Callable[[Flask], bool] = False


def _every(key: str) -> Callable[[Flask], BaseTrigger]:
    return lambda app: IntervalTrigger(seconds=int(app.config[key]))


def _daily(hour: Callable[[Flask], int], minute: int = 0) -> Callable[[Flask], BaseTrigger]:
    return lambda app: CronTrigger(hour=hour(app), minute=minute, timezone=app.config["TIMEZONE"])


# coalesce=True everywhere: a backlog of missed runs is one run (each job does all that is
# due). Frequent jobs get a short grace (the next tick comes soon anyway); daily jobs may
# start however late, since each of them is idempotent and works out what is due itself.
JOBS: tuple[Job, ...] = (
    # The dispatcher's loop runs on under the lease; its ticks start it again if it ever ended.
    Job("dispatch", dispatch.run, _every("DISPATCH_EVERY_SECONDS"), 10, at_start=True),
    Job("match", match.run, _every("MATCH_EVERY_SECONDS"), 60),
    Job("outcome_prompts", outcome_prompts.run, _every("OUTCOME_PROMPT_EVERY_SECONDS"), 60, at_start=True),
    Job("digest", digest.run, _daily(lambda app: int(app.config["DIGEST_HOUR"])), None, at_start=True),
    Job("close_expired", close_expired.run, _daily(lambda app: 0, 1), None, at_start=True),
    Job("stats_snapshot", stats_snapshot.run, _daily(lambda app: 0, 10), None, at_start=True),
    Job("bus_notice", bus_notice.run, lambda app: CronTrigger(
        hour=f"{int(app.config['BUS_NOTICE_HOUR'])}-20", minute=0, timezone=app.config["TIMEZONE"]), None,
        at_start=True),
    Job("retention", retention.run, _daily(lambda app: int(app.config["RETENTION_HOUR"])), None,
        at_start=retention.overdue),
)
BY_ID = {job.id: job for job in JOBS}
RECORD_TRIES = 3
STANDBY_POLL_SECONDS = 1.0  # a standby takes over at most the lease + this after the last renewal


def record_start(app: Flask, holder: str, job_id: str) -> int:
    """The run's row in job_runs; a database still busy after the busy timeout is tried again."""
    tries = RECORD_TRIES
    while True:
        try:
            with connection(app) as db:
                return runs.start(db, job_id, holder, now(app))
        except OperationalError:
            tries -= 1
            if not tries:
                raise


def record_end(app: Flask, run_id: int, outcome: str, detail: dict) -> None:
    with connection(app) as db:
        runs.finish(db, run_id, now(app), outcome, detail)


def run_job(runner: Runner, job_id: str) -> dict | None:
    """What APScheduler calls: the job, only while this process holds the lease."""
    if runner.stopping.is_set() or runner.lost_lease.is_set():
        return None
    if not runner.renew():
        runner.lost()
        return None
    try:
        run_id = record_start(runner.app, runner.holder, job_id)
    except OperationalError as exc:  # still busy: the job's next tick (or next start) runs it
        log.warning("job %s not started: %s", job_id, exc)
        return None
    with runner.job_running(), under_lease(runner.holder, runner.ending):
        try:
            result = BY_ID[job_id].run(runner.app)
        except LeaseLost:
            log.warning("job %s stopped: the lease was lost", job_id)
            record_end(runner.app, run_id, "error", {"error": "lease lost"})
            runner.lost()
            return None
        except Exception as exc:  # the scheduler keeps going; the run says what failed
            log.exception("job %s failed", job_id)
            record_end(runner.app, run_id, "error", {"error": repr(exc)})
            return None
    record_end(runner.app, run_id, "ok", result)
    return result


def heartbeat(runner: Runner) -> None:
    """Renews the lease between jobs; once it is really lost this scheduler stops."""
    if not runner.stopping.is_set() and not runner.renew():
        runner.lost()


class Runner:
    """One scheduler process (or demo thread): waits for the lease, runs the jobs, repeats."""

    def __init__(self, app: Flask, *, holder: str | None = None) -> None:
        self.app = app
        self.holder = holder or lease.new_holder()
        self.lease_seconds = float(app.config["SCHEDULER_LEASE_SECONDS"])
        self.stopping = threading.Event()
        self.lost_lease = threading.Event()
        self.scheduler: BaseScheduler | None = None
        self.thread: threading.Thread | None = None  # the demo's thread
        self.held_until: datetime | None = None  # when the lease last renewed expires
        self._jobs = threading.Condition()
        self._running = 0

    def ending(self) -> bool:
        """True once this process stops or no longer holds the lease: jobs that run on end."""
        return self.stopping.is_set() or self.lost_lease.is_set()

    def renew(self) -> bool:
        """Renews the lease: True while this process holds it.

        A busy database ('database is locked') is not a lost lease: the next tick tries again,
        and only once the last renewal has expired does this process give up.
        """
        at = now(self.app)
        try:
            with connection(self.app) as db:
                held = lease.acquire(db, self.holder, at, self.lease_seconds)
        except OperationalError as exc:
            log.warning("lease renewal failed (trying again): %s", exc)
            return self.held_until is not None and at < self.held_until
        self.held_until = at + timedelta(seconds=self.lease_seconds) if held else None
        return held

    @contextmanager
    def job_running(self) -> Iterator[None]:
        """Counts a running job, so a scheduler that lost its lease waits for it before waiting again."""
        with self._jobs:
            self._running += 1
        try:
            yield
        finally:
            with self._jobs:
                self._running -= 1
                self._jobs.notify_all()

    def wait_for_jobs(self) -> None:
        """Blocks until no job of this process runs (long jobs stop at their next lease check)."""
        with self._jobs:
            self._jobs.wait_for(lambda: self._running == 0)

    def build(self) -> BaseScheduler:
        """A scheduler with every job (and the lease heartbeat) added, not started."""
        zone = self.app.config["TIMEZONE"]
        scheduler = BackgroundScheduler(timezone=zone)
        logging.getLogger("apscheduler.executors.default").addFilter(QUIET_HEARTBEAT)
        start = now(self.app)
        for job in JOBS:
            catch_up = job.at_start(self.app) if callable(job.at_start) else job.at_start
            scheduler.add_job(run_job, job.trigger(self.app), args=(self, job.id), id=job.id, name=job.id,
                              replace_existing=True, coalesce=True, max_instances=1,
                              misfire_grace_time=job.misfire_grace_time,
                              **({"next_run_time": start} if catch_up else {}))
        scheduler.add_job(heartbeat, IntervalTrigger(seconds=max(1.0, self.lease_seconds / 3)), args=(self,),
                          id="lease", name="lease", replace_existing=True, coalesce=True, max_instances=1,
                          misfire_grace_time=None)
        return scheduler

    def wait_for_lease(self) -> bool:
        """Blocks until this process holds the lease (True) or is asked to stop (False)."""
        poll = max(0.5, min(STANDBY_POLL_SECONDS, self.lease_seconds / 3))
        while not self.stopping.is_set():
            try:
                with connection(self.app) as db:
                    if lease.acquire(db, self.holder, now(self.app), self.lease_seconds):
                        self.held_until = now(self.app) + timedelta(seconds=self.lease_seconds)
                        self.lost_lease.clear()
                        log.info("scheduler %s holds the lease", self.holder)
                        return True
            except OperationalError as exc:  # busy past the timeout: try again next poll
                log.warning("lease check failed: %s", exc)
            self.stopping.wait(poll)
        return False

    def lost(self) -> None:
        """No new job starts; run() waits for the running ones, then waits for the lease again."""
        log.warning("scheduler %s lost the lease; standing by", self.holder)
        self.lost_lease.set()
        self.held_until = None
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)  # called from a job's thread: it cannot wait for itself

    def run(self) -> None:
        """Until stopped: take the lease, run the jobs until it is lost, wait for it again.

        stop() ends it from another thread; in the main thread a KeyboardInterrupt does (Ctrl-C,
        or SIGTERM once `stop_on_sigterm` made it one). Either way the running jobs finish and
        the lease is given up, so a standby or the next start takes it at once.
        """
        try:
            while self.wait_for_lease():
                self.scheduler = self.build()
                self.scheduler.start()
                while not (self.stopping.is_set() or self.lost_lease.wait(0.5)):
                    pass
                self.shut_down()
                self.wait_for_jobs()
        finally:
            self.stopping.set()
            try:
                self.shut_down()
                self.wait_for_jobs()
            finally:  # a second Ctrl-C or SIGTERM while jobs finish still gives the lease up
                with connection(self.app) as db:
                    lease.release(db, self.holder)

    def shut_down(self) -> None:
        """Stops APScheduler (if it runs), waiting for the jobs it is running."""
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=True)

    def stop(self) -> None:
        """Stops the demo's thread; the lease is given up by the time it returns."""
        self.stopping.set()
        if self.thread is not None:
            self.thread.join(timeout=self.lease_seconds)


def stop_on_sigterm() -> None:
    """SIGTERM (systemd's stop) raises KeyboardInterrupt in the main thread, as Ctrl-C does.

    Python's default for SIGTERM ends the process at once, skipping every `finally`; a handler
    that only raises keeps the clean-up in ordinary code instead of in the handler, which could
    interrupt the main thread while it holds a lock the clean-up needs.
    """
    signal.signal(signal.SIGTERM, signal.default_int_handler)


def start_in_background(app: Flask) -> Runner:
    """The demo: the same jobs in a daemon thread of the dev server, under the same lease."""
    runner = Runner(app)
    runner.thread = threading.Thread(target=runner.run, name="jobstop-scheduler", daemon=True)
    runner.thread.start()
    return runner


def describe(app: Flask) -> list[dict]:
    """Each job with its trigger, its next run and its misfire rules."""
    at = now(app)
    rows = []
    for job in JOBS:
        trigger = job.trigger(app)
        upcoming = trigger.get_next_fire_time(None, at.astimezone(trigger.timezone))
        rows.append({"id": job.id, "trigger": str(trigger), "next_run": upcoming.astimezone(at.tzinfo) if upcoming
                     else None, "misfire_grace_time": job.misfire_grace_time,
                     "at_start": "when overdue" if callable(job.at_start) else "always" if job.at_start else None})
    return rows
