"""Daily and weekly digests: composed at the run, each due in the window its seeker chose.

The run reads the pairs of its batches (and what an earlier digest folded), ranks each
seeker's openings, plans the day (kiosk.alerts.schedule: the windows at the send rate, most
useful first) and writes the outbox in chunks of seekers, each digest with its send time.
Digests that do not fit are folded into the seeker's next one (kiosk.alerts.folds), and the
plan is recorded with the run, logged, and shown by `jobstop scheduler --list`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from kiosk.alerts import digest_runs, folds, recipients, schedule
from kiosk.alerts import pairs as matching
from kiosk.alerts.composer import CHUNK_SEEKERS, DIGEST_VALID_FOR, DigestComposer, Settings, ranked_chunks
from kiosk.core.db import Connection, Row, transaction
from kiosk.core.formatting import local
from kiosk.core.memory import cycle_collector_paused
from sms.outbound import outbox
from sms.outbound.messages import Rows

log = logging.getLogger(__name__)

Entry = tuple[tuple, list[int]]  # (seeker row, their openings best first)


@dataclass(frozen=True)
class DigestResult:
    kind: str
    slot: str
    ran: bool
    seekers: int = 0
    messages: int = 0
    folded: int = 0
    plan: tuple = ()
    day_plan: schedule.Plan | None = field(default=None, compare=False, repr=False)


def collect(reader: Connection, kind: str, first: int, last: int, now: datetime,
            settings: Settings) -> tuple[dict[int, Row], list[Entry], set[int]]:
    """The openings and every eligible seeker's digest of batches first..last, folds included,
    and the seekers an earlier digest folded openings for."""
    today = local(now, settings.zone).date().isoformat()
    openings = matching.batch_openings(reader, first, last)
    folded = folds.waiting(reader, kind)
    openings.update(folds.openings(reader, {i for ids in folded.values() for i in ids} - openings.keys()))
    daily = kind == "daily"
    pending = matching.pending_by_seeker(
        reader, openings, first=first, last=last, frequencies=("instant", "daily") if daily else ("weekly",),
        today=today, sent=recipients.instant_sent(reader, first, last) if daily else frozenset())
    for seeker_id, opening_ids in folded.items():
        live = [i for i in opening_ids if i in openings and matching.is_live(openings[i], today)]
        if live:
            pending[seeker_id] = list(dict.fromkeys([*live, *pending.get(seeker_id, [])]))
    entries = [entry for chunk in ranked_chunks(reader, openings, pending,
                                                seeker_frequencies=("instant", "daily", "weekly"))
               for entry in chunk]
    return openings, entries, set(folded)


def plan(entries: list[Entry], openings: dict[int, Row], starting: datetime, settings: Settings,
         day_plan: schedule.Plan | None = None) -> tuple[schedule.Plan, dict[int, datetime | None]]:
    """The day's plan and each seeker's send time (None: folded into their next digest).

    `day_plan`: the plan of a digest of another kind the same day, whose digests come first."""
    day_plan = day_plan or schedule.plan_for(local(starting, settings.zone).date(), settings.planning, starting)
    times = {seeker[0]: day_plan.place(seeker[6]) for seeker, _ in schedule.most_useful_first(entries, openings)}
    return day_plan, times


@cycle_collector_paused()
def forecast(reader: Connection, kind: str, now: datetime, settings: Settings,
             day_plan: schedule.Plan | None = None) -> schedule.Plan:
    """The plan the digest of this kind would make if it ran now (nothing is written)."""
    first = digest_runs.next_first_batch(reader, kind)
    openings, entries, _ = collect(reader, kind, first, matching.last_batch(reader), now, settings)
    return plan(entries, openings, now, settings, day_plan)[0]


@cycle_collector_paused()
def run_digest(db: Connection, reader: Connection, kind: str, slot: str, now: datetime, settings: Settings,
               guard: Callable[[Connection], None] | None = None,
               day_plan: schedule.Plan | None = None) -> DigestResult:
    """One digest (kind 'daily' or 'weekly') for a slot; a finished slot is never run again.

    `reader` streams the ranked pairs while `db` writes the outbox in chunks of seekers, so the
    web process is never locked out for long; a crash resumes the slot with the same batches
    and the same start (so the same plan), and the dedupe key keeps anyone from getting the
    same digest twice. `guard(db)` runs inside each chunk's transaction (the scheduler's lease
    check) and may raise to stop. `day_plan`: the plan of a digest run before it the same day
    (the weekly one on Mondays): this one's digests take the send times after its.
    """
    with transaction(db):  # the newest batch is read under the lock the run is written with
        run = digest_runs.start(db, kind, slot, matching.last_batch(db), now)
    if run is None:
        return DigestResult(kind, slot, ran=False)
    started = datetime.fromisoformat(run["started_at"])
    openings, entries, had_folds = collect(reader, kind, run["first_batch"], run["last_batch"], started, settings)
    folded_before = day_plan.folded if day_plan else 0
    day_plan, times = plan(entries, openings, started, settings, day_plan)
    report, folded = day_plan.report(), day_plan.folded - folded_before
    digest_runs.record_plan(db, kind, slot, report, folded)
    log.info("%s digest %s: %s", kind, slot, schedule.describe(report, settings.zone))
    if folded:
        log.warning("%s digest %s: %d digests do not fit the day at %g messages a second; they go into"
                    " each seeker's next digest", kind, slot, folded, day_plan.rate)
    composer = DigestComposer(kind, openings, digest_runs.days_covered(db, kind, slot))
    make = Rows("alert", now, now + DIGEST_VALID_FOR, settings.quiet_hours, settings.zone).row
    key_prefix, best, body = f"digest:{kind}:{slot}:", settings.digest_max, composer.body
    messages = 0
    for start in range(0, len(entries), CHUNK_SEEKERS):
        chunk = entries[start:start + CHUNK_SEEKERS]
        # one seeker's digest, their openings ranked best first: a row of the outbox
        rows = [make(phone, body(ranked[:best], len(ranked), language), f"{key_prefix}{seeker_id:09d}", at,
                     night_ok, language, seeker_id)
                for (seeker_id, phone, language, night_ok, _, _, _), ranked in chunk
                if (at := times[seeker_id]) is not None]
        with transaction(db):
            if guard is not None:
                guard(db)
            messages += outbox.enqueue_rows(db, rows, now=now)
            if had_folds:
                folds.sent(db, kind, [seeker[0] for seeker, _ in chunk
                                      if seeker[0] in had_folds and times[seeker[0]] is not None])
            folds.fold(db, kind, slot, [(seeker[0], ranked) for seeker, ranked in chunk if times[seeker[0]] is None])
    digest_runs.finish(db, kind, slot, now, seekers=len(entries), messages=messages)
    return DigestResult(kind, slot, ran=True, seekers=len(entries), messages=messages,
                        folded=folded, plan=tuple(report), day_plan=day_plan)

