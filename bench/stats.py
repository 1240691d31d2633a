"""The outcome dashboard at province scale: a year over every center, and one center.

Usage: python bench/stats.py [--scale N] [--keep PATH | --reuse PATH] [--runs N] [--requests N]
                             [--baseline DIR] [--postgres SERVER]
Builds the demo with its history multiplied by N (kiosk.demo.history: N = 1 is about 53,000
seekers over two years and two months, each with about 7 consultations, 3 referrals and a
satisfaction answer for 60%; N = 19 is a million seekers), or reuses a database --keep built: it
is migrated and the nightly job's take counts what it lacks (the first run after an upgrade).

Each run is a fresh process that signs in as an admin and asks for /console/stats through the
Flask test client (the whole answer: figures, six charts, the page) for the last year over every
center and for the Suwon Station booth, alternately, REQUESTS times each after a first request
of each (timed apart: nothing drawn or cached yet), and the same with the process's kept charts
emptied before each request ("charts drawn": as when the numbers changed since the last one).
--baseline DIR: a checkout of the code to compare with (another git worktree), run alternately
with this one on the same database, RUNS times each. Prints, per code and scope, the median over
the runs of each run's p50 and p95, the spread of the p50s, the processor time per request, and
the load average beside every run.
--postgres SERVER: the same on a copy of the database in PostgreSQL (after the SQLite runs;
--postgres-only: instead of them). --load-demo RUNS: instead, `jobstop load-demo` on a new
database (what `./dev start` runs), alternately with --baseline, wall and processor time.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
sys.path.insert(0, os.environ.get("JOBSTOP_BENCH_CODE") or str(HERE))
sys.path.insert(1, str(HERE / "bench"))

from _machine import copied_into_postgres, drop_postgres, load, reference  # noqa: E402

from kiosk.app import create_app  # noqa: E402
from kiosk.core import db  # noqa: E402
from kiosk.core.clock import FrozenClock, parse_iso  # noqa: E402

NOW = "2026-11-23T01:00:00Z"  # 10:00 in Seoul: the night's take is done, today has begun
NIGHT = "2026-11-22T15:10:00Z"  # the nightly job's time
ZONE = "Asia/Seoul"
PASSWORD = "bench password 1234"
YEAR = {"from": "2025-11-23", "to": "2026-11-22"}
BOOTH = "수원역 일자리센터 상담부스"


def build(path: str, scale: float) -> None:
    from kiosk.demo import history
    from kiosk.demo import loader as demo
    from kiosk.staff import accounts

    started = time.perf_counter()
    db.init_db(path)
    conn = db.connect(path)
    demo.load(conn, parse_iso(NOW), ZONE, openings_count=400, secret="bench")
    people = history.load(conn, parse_iso(NOW), ZONE, scale=scale)
    with db.transaction(conn):
        accounts.add(conn, "bench", "bench@jobstop.kr", "admin", parse_iso(NOW), password=PASSWORD)
    conn.close()
    print(f"built {people:,} seekers with their history in {time.perf_counter() - started:.0f} s")


def upgrade(path: str) -> None:
    """Migrations, then what the nightly job does on its first run after them."""
    from kiosk.stats import kept, snapshots

    conn = db.connect(path)
    done = db.migrate(conn)
    started, cpu = time.perf_counter(), time.process_time()
    days = snapshots.days_without_totals(conn)
    if days or kept.marks(conn)[1] is None:
        rows = snapshots.take_days(conn, days, ZONE, NIGHT)
        print(f"migrated {done or 'nothing'}; the take counted {len(days)} days again ({rows:,} rows) in"
              f" {time.perf_counter() - started:.0f} s ({time.process_time() - cpu:.0f} s of processor time)")
    counts = {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 - fixed names
              for table in ("seekers", "consultations", "placements", "satisfaction_answers", "stats_snapshots")}
    conn.close()
    size = f" · {os.path.getsize(path) / 2**20:,.0f} MiB" if os.path.exists(path) else ""
    print("rows:", ", ".join(f"{table} {n:,}" for table, n in counts.items()) + size)


def signed_in_client(app):  # noqa: ANN001, ANN201 - Flask's own types
    client = app.test_client()
    page = client.get("/console/sign-in").get_data(as_text=True)
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    answer = client.post("/console/sign-in", data={"csrf_token": token, "email": "bench@jobstop.kr",
                                                    "password": PASSWORD})
    assert answer.status_code == 303, answer.status_code
    return client


def forget_charts() -> None:
    """Empties the process's kept charts (a code without them has nothing to empty)."""
    from kiosk.console import stats_charts

    for kept in ("_bars", "_lines"):
        if hasattr(stats_charts, kept):
            getattr(stats_charts, kept).cache_clear()


def measure(path: str, requests: int) -> dict:
    """One run, in this process: {scope: [(wall ms, processor ms) per request]}, the first apart."""
    app = create_app({"DATABASE": path, "CLOCK": FrozenClock(NOW), "SECRET_KEY": "bench", "TIMEZONE": ZONE,
                      "PUBLIC_URL": "https://jobstop.example.kr", "RATELIMIT_ENABLED": False})
    client = signed_in_client(app)
    conn = db.connect(path)
    booth = conn.execute("SELECT id FROM centers WHERE name = ?", (BOOTH,)).fetchone()[0]
    conn.close()
    scopes = {"every center": YEAR, "one center": {**YEAR, "center": booth}}
    found: dict[str, list] = {}
    first: dict[str, list] = {}
    for drawn in (False, True):  # the charts kept, then none kept (as when the numbers changed since)
        for n in range(requests + 1):
            for scope, query in scopes.items():
                name = f"{scope}, charts drawn" if drawn else scope
                if drawn:
                    forget_charts()
                started, cpu = time.perf_counter(), time.process_time()
                answer = client.get("/console/stats", query_string=query)
                took = ((time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000)
                assert answer.status_code == 200 and b"<svg" in answer.data, answer.status_code
                (found.setdefault(name, []) if n else first.setdefault(name, [])).append(took)
    return {"runs": found, "first": first, "load": load()}


def child(code: Path, path: str, requests: int) -> dict:
    env = {**os.environ, "JOBSTOP_BENCH_CODE": str(code), "PYTHONPATH": str(code)}
    out = subprocess.run([sys.executable, __file__, "--measure", path, "--requests", str(requests)],
                         env=env, cwd=code, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def compare(path: str, codes: dict[str, Path], runs: int, requests: int) -> None:
    """Every code in turn, RUNS times (the order alternates), then the medians."""
    results: dict[str, list[dict]] = {name: [] for name in codes}
    for run in range(runs):
        order = list(codes) if run % 2 == 0 else list(codes)[::-1]
        for name in order:
            results[name].append(child(codes[name], path, requests))
            got = results[name][-1]
            print(f"  run {run + 1} {name}: " + "; ".join(
                f"{scope} p50 {statistics.median(w for w, _ in got['runs'][scope]):.0f} ms"
                for scope in got["runs"]) + f" (load {got['load']})", flush=True)
    for name, done in results.items():
        for scope in done[0]["runs"]:
            p50s = [statistics.median(w for w, _ in r["runs"][scope]) for r in done]
            p95s = [p95([w for w, _ in r["runs"][scope]]) for r in done]
            cpus = [statistics.median(c for _, c in r["runs"][scope]) for r in done]
            firsts = [r["first"][scope][0][0] for r in done]
            print(f"{name}, /console/stats, a year, {scope}: p50 median {statistics.median(p50s):.0f} ms"
                  f" (runs {min(p50s):.0f}–{max(p50s):.0f}), p95 median {statistics.median(p95s):.0f} ms,"
                  f" processor {statistics.median(cpus):.0f} ms a request,"
                  f" first request {statistics.median(firsts):.0f} ms")
        print(f"{name}: load averages " + " | ".join(r["load"] for r in done))


def load_demo(code: Path, folder: str) -> tuple[float, float]:
    """`jobstop load-demo` (with the history) on a new database, in a child process running code:
    (wall seconds, processor seconds of the child)."""
    path = os.path.join(folder, f"demo-{os.getpid()}.sqlite3")
    env = {**os.environ, "PYTHONPATH": str(code), "JOBSTOP_DATABASE": path, "JOBSTOP_SECRET_KEY": "bench"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "from kiosk.cli import main; main()", "load-demo"], env=env, cwd=code,
                   check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def compare_load_demo(codes: dict[str, Path], runs: int) -> None:
    found: dict[str, list[tuple[float, float, str]]] = {name: [] for name in codes}
    with tempfile.TemporaryDirectory() as folder:
        for run in range(runs):
            for name in list(codes) if run % 2 == 0 else list(codes)[::-1]:
                wall, cpu = load_demo(codes[name], folder)
                found[name].append((wall, cpu, load()))
                print(f"  run {run + 1} {name}: {wall:.1f} s, processor {cpu:.1f} s (load {load()})", flush=True)
    for name, done in found.items():
        walls, cpus = [w for w, _, _ in done], [c for _, c, _ in done]
        print(f"{name}, jobstop load-demo: median {statistics.median(walls):.1f} s"
              f" (runs {min(walls):.1f}–{max(walls):.1f}), processor {statistics.median(cpus):.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=19.0)
    parser.add_argument("--keep", help="build the database at this path and keep it")
    parser.add_argument("--reuse", help="a database --keep built (migrated, then counted by the take)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--baseline", help="a checkout of the code to compare with, run alternately")
    parser.add_argument("--postgres", help="a postgresql:// server: the same on a copy of the database")
    parser.add_argument("--postgres-only", action="store_true", help="skip the SQLite runs")
    parser.add_argument("--load-demo", type=int, metavar="RUNS",
                        help="instead: time `jobstop load-demo` on a new database RUNS times per code")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # one run, in a child process
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.requests)))
        return
    codes = {"this code": HERE, **({"baseline": Path(args.baseline).resolve()} if args.baseline else {})}
    if args.load_demo:
        compare_load_demo(codes, args.load_demo)
        return
    path = args.reuse or args.keep or "/tmp/jobstop-bench-stats.sqlite3"
    if not args.reuse:
        build(path, args.scale)
    upgrade(path)
    print(f"nproc {os.cpu_count()} · reference insert {reference():.1f} µs/row · load {load()}")
    if not args.postgres_only:
        print(f"== SQLite ({args.runs} runs of {args.requests} requests a scope)")
        compare(path, codes, args.runs, args.requests)
    if args.postgres:
        name = f"jobstop_bench_stats_{os.getpid()}"
        url, seconds = copied_into_postgres(path, args.postgres, name)
        print(f"== PostgreSQL (copied in {seconds:.0f} s)")
        try:
            compare(url, codes, args.runs, args.requests)
        finally:
            drop_postgres(args.postgres, name)
    if not (args.keep or args.reuse):
        os.remove(path)


if __name__ == "__main__":
    main()
