"""Pausing Python's cycle collector while a job builds millions of small objects.

A day's digests hold a list of opening ids for each of ~400,000 seekers. Each allocation
counts towards the collector's next pass, and every pass of the oldest generation walks all
of them again, although lists of ints and tuples of plain values never form a cycle: at
province scale that was a fifth of composing's CPU. Reference counting still frees
everything as usual; only the search for cycles waits until the last paused job ends.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_paused = 0  # jobs running with the collector paused (the scheduler runs jobs in threads)
_was_enabled = True  # whether it ran before the first of them began


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """`with cycle_collector_paused():` or `@cycle_collector_paused()`. Nested and concurrent
    uses count: the collector runs again once the last ends, if it ran before the first began."""
    global _paused, _was_enabled
    with _lock:
        if _paused == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _lock:
            _paused -= 1
            if _paused == 0 and _was_enabled:
                gc.enable()
