"""What the benchmarks print about the machine they ran on."""

from __future__ import annotations

import sqlite3
import time


def reference() -> float:
    """A trivial in-memory SQLite insert, µs per row: how fast and how busy this machine is now.

    Measured at 3.9–4.8 µs/row on this 2-core machine when idle, up to 15 under other work.
    """
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT UNIQUE)")
    started = time.perf_counter()
    with conn:
        conn.executemany("INSERT INTO t (a, b) VALUES (?, ?)", ((f"a{i}", f"b{i}") for i in range(100_000)))
    conn.close()
    return (time.perf_counter() - started) / 100_000 * 1e6
