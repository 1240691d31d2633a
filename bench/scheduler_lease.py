"""How soon a standby scheduler takes over after the holder dies (kill -9), default settings.

Two `jobstop scheduler` processes on one database (SQLite file, or --postgres URL), every
lease setting at its default; once the first holds the lease and the second waits, the
holder gets SIGKILL, and the bench times until the standby holds the lease (polling the
lease row every 50 ms). Repeated --runs times; the median and every run are printed.

Usage: python bench/scheduler_lease.py [--runs 5] [--postgres URL]
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(1, str(ROOT))

from _machine import drop_postgres, fresh_postgres, load  # noqa: E402

from kiosk.core import db  # noqa: E402
from scheduler import lease  # noqa: E402


def spawn(target: str, folder: Path, name: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "JOBSTOP_DATABASE": target, "JOBSTOP_SECRET_KEY": "b" * 64,
           "JOBSTOP_DEVELOPMENT": "1"}
    with open(folder / f"{name}.log", "w") as log:
        return subprocess.Popen([sys.executable, "-c", "from kiosk.cli import main; main()", "scheduler"],
                                env=env, stdout=log, stderr=subprocess.STDOUT, cwd=folder)


def wait(predicate, seconds: float, step: float = 0.05) -> bool:  # noqa: ANN001
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


def one_run(target: str, folder: Path) -> float:
    conn = db.connect(target)
    holder = lambda: (lease.current(conn) or {"holder": ""})["holder"]  # noqa: E731
    first = spawn(target, folder, "first")
    second = None
    try:
        assert wait(lambda: holder().split(":")[1:2] == [str(first.pid)], 60), "the first never held the lease"
        second = spawn(target, folder, "second")
        time.sleep(5)  # the standby is up and waiting
        first.send_signal(signal.SIGKILL)
        killed = time.monotonic()
        first.wait(10)
        assert wait(lambda: holder().split(":")[1:2] == [str(second.pid)], 60), "no takeover"
        return time.monotonic() - killed
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                proc.wait(30)
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--postgres")
    args = parser.parse_args()
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            name = f"jobstop_bench_lease_{os.getpid()}"
            target = fresh_postgres(args.postgres, name) if args.postgres else str(Path(tmp) / f"lease{run}.sqlite3")
            db.init_db(target)
            took = one_run(target, Path(tmp))
            times.append(took)
            print(f"run {run + 1}: the standby took over {took:.2f} s after kill -9; load {load()}", flush=True)
            if args.postgres:
                db.close_pools()
                drop_postgres(args.postgres, name)
    print(f"takeover after kill -9, default lease: median {statistics.median(times):.2f} s"
          f" ({', '.join(f'{t:.2f}' for t in times)}); target 10 s")


if __name__ == "__main__":
    main()
