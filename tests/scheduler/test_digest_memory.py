"""Alerts and digests are composed with Python's cycle collector paused, and it runs again
afterwards: also when two jobs overlap, when one fails, and not when it was off before."""

from __future__ import annotations

import gc
import threading

import pytest
from scheduler_helpers import add_seeker, messages, opening, post, settle

from kiosk.alerts import composer, digests
from kiosk.core.memory import cycle_collector_paused
from scheduler import digest, match


@pytest.fixture(autouse=True)
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    gc.enable() if was else gc.disable()


def test_the_collector_waits_for_the_last_of_nested_or_overlapping_uses():
    outer, inner = cycle_collector_paused(), cycle_collector_paused()
    with outer:
        with inner:
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer use still runs
    assert gc.isenabled()

    started, finish = threading.Event(), threading.Event()

    @cycle_collector_paused()
    def long_job():
        started.set()
        finish.wait(5)

    job = threading.Thread(target=long_job)
    job.start()
    started.wait(5)
    with cycle_collector_paused():
        pass
    assert not gc.isenabled()  # the other thread's job is still running
    finish.set()
    job.join(5)
    assert gc.isenabled()


def test_a_failing_job_restores_the_collector_and_one_that_was_off_stays_off():
    with pytest.raises(RuntimeError), cycle_collector_paused():
        raise RuntimeError("the job failed")
    assert gc.isenabled()

    gc.disable()
    with cycle_collector_paused():
        pass
    assert not gc.isenabled()


def test_instant_alerts_and_digests_are_composed_with_the_collector_paused(app, conn, clock, monkeypatch):
    settle(app, clock)
    seen = []

    def watching(function):
        def watched(*args, **kwargs):
            seen.append((function.__name__, gc.isenabled()))
            return function(*args, **kwargs)
        return watched

    monkeypatch.setattr(composer, "instant_body", watching(composer.instant_body))
    monkeypatch.setattr(digests, "plan", watching(digests.plan))
    add_seeker(conn, "+821055550001", clock.now(), frequency="instant", occupations=["security"])
    add_seeker(conn, "+821055550002", clock.now(), occupations=["security"])
    post(conn, clock.now(), opening())
    clock.advance(minutes=1)
    match.run(app)
    clock.set("2026-11-24T00:00:00Z")  # Tuesday 09:00 in Seoul: the daily digest
    digest.run(app)

    assert ("instant_body", False) in seen and ("plan", False) in seen
    assert all(not enabled for _, enabled in seen)
    assert gc.isenabled()
    assert len(messages(conn, "+821055550001")) == 1 and len(messages(conn, "+821055550002")) == 1
