"""Kiosk pages over HTTP: requests/s of the search fragment and the list page against /healthz.

Usage: python bench/kiosk_http.py [--openings N] [--seconds S] [--rounds R] [--connections C]
Starts gunicorn (2 workers, as `jobstop serve` does, without its access log) on 127.0.0.1
with a temporary database of demo data, and drives it with wrk (bounded duration, loopback
only). The three URLs take turns for R rounds; the median of each is reported, and each
page's requests/s as a share of /healthz from the same run, and the CPU time the workers
spent per request (from /proc; steadier than requests/s when other work shares the cores).
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent

KIOSK = "/k/suwon-station"
CASES = [
    ("/healthz", "bare health route", {}),
    (f"{KIOSK}/openings?q=%EA%B2%BD%EB%B9%84", "search results fragment (q=경비, htmx)",
     {"HX-Request": "true", "HX-Target": "results-area"}),
    (f"{KIOSK}/openings", "full list page", {}),
]
TARGETS = {1: 0.50, 2: 0.33}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build(path: str, count: int) -> None:
    from kiosk.core import db
    from kiosk.core.clock import SystemClock
    from kiosk.demo import loader as demo

    db.init_db(path)
    conn = db.connect(path)
    demo.load(conn, SystemClock().now(), "Asia/Seoul", count, secret="bench-secret")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def wait_until_up(base: str, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited; see its output above")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /healthz in time")


def session_cookie(base: str) -> str:
    """A kiosk keeps its session cookie between screens; so does the load."""
    with urllib.request.urlopen(f"{base}{KIOSK}/") as response:
        for header in response.headers.get_all("Set-Cookie") or []:
            if header.startswith("session="):
                return header.split(";", 1)[0]
    raise SystemExit("the kiosk set no session cookie")


def workers_cpu(master: int) -> float:
    """Seconds of CPU (user + system) used so far by gunicorn's worker processes."""
    ticks = os.sysconf("SC_CLK_TCK")
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    total = 0
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def wrk(url: str, headers: dict[str, str], seconds: int, connections: int) -> tuple[float, str, int]:
    args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s", "--latency", url]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    out = subprocess.run(args, capture_output=True, text=True, timeout=seconds + 30, check=True).stdout
    if "Non-2xx" in out or "Socket errors" in out:
        raise SystemExit(f"errors while loading {url}:\n{out}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.MULTILINE).group(1)
    done = int(re.search(r"(\d+) requests in", out).group(1))
    return rate, p50, done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--openings", type=int, default=2400)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--hold-connection", action="store_true",
                        help="keep one more connection to the database open during the run, as a"
                             " long-lived process beside the web workers would")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "bench.sqlite3")
        build(path, args.openings)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = {**os.environ, "JOBSTOP_DATABASE": path, "JOBSTOP_SECRET_KEY": secrets.token_hex(16)}
        gunicorn = shutil.which("gunicorn") or os.path.join(os.path.dirname(sys.executable), "gunicorn")
        server = subprocess.Popen([gunicorn, "--workers", "2", "--bind", f"127.0.0.1:{port}",
                                   "kiosk.app:create_app()"], env=env, cwd=folder)
        held = sqlite3.connect(path) if args.hold_connection else None
        if held:
            held.execute("SELECT count(*) FROM kiosks").fetchone()
        try:
            wait_until_up(base, server)
            cookie = session_cookie(base)
            results: dict[int, list[tuple[float, str]]] = {i: [] for i in range(len(CASES))}
            cpu: dict[int, list[float]] = {i: [] for i in range(len(CASES))}
            for _ in range(args.rounds):
                for i, (url, _label, headers) in enumerate(CASES):
                    before = workers_cpu(server.pid)
                    rate, p50, done = wrk(base + url, {"Cookie": cookie, **headers},
                                          args.seconds, args.connections)
                    cpu[i].append((workers_cpu(server.pid) - before) / done * 1000)
                    results[i].append((rate, p50))
        finally:
            server.terminate()
            server.wait(timeout=30)
            if held:
                held.close()
    print(f"{args.openings:,} openings, gunicorn 2 workers, wrk -t2 -c{args.connections}, "
          f"{args.rounds} rounds of {args.seconds} s, median of rounds")
    print(f"{'route':<44} {'req/s':>8} {'p50':>8} {'share':>7} {'target':>7} {'CPU/req':>9}")
    health = statistics.median(r for r, _ in results[0])
    for i, (_url, label, _headers) in enumerate(CASES):
        rate = statistics.median(r for r, _ in results[i])
        p50 = sorted(results[i])[len(results[i]) // 2][1]
        target = f"≥{TARGETS[i]:.0%}" if i in TARGETS else ""
        print(f"{label:<44} {rate:8.0f} {p50:>8} {rate / health:7.0%} {target:>7}"
              f" {statistics.median(cpu[i]):6.2f} ms")


if __name__ == "__main__":
    main()
