"""The public page a kiosk's QR code opens (/o/<id>?qr=1): its latency through gunicorn.

Usage: python bench/qr_page.py [--openings N] [--requests R] [--rounds K]
Starts gunicorn (2 workers, as `jobstop serve` does) on 127.0.0.1 with a temporary database
of demo data, then, one request at a time over one keep-alive connection, asks for R pages of
openings chosen at random (a fifth of them closed, whose page also looks up similar open
openings; every request counts a scan, a write), alternating each round with /healthz as the
baseline of the same moment. Reports the median over K rounds of each round's p50 and p95,
in milliseconds, and the machine's load average before and after.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TARGET_P95_MS = 20.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build(path: str, count: int) -> list[int]:
    from kiosk.core import db
    from kiosk.core.clock import SystemClock
    from kiosk.demo import loader as demo

    db.init_db(path)
    conn = db.connect(path)
    demo.load(conn, SystemClock().now(), "Asia/Seoul", count, secret="bench-secret")
    ids = [row[0] for row in conn.execute("SELECT id FROM openings ORDER BY id")]
    closed = random.Random(7).sample(ids, len(ids) // 5)
    conn.executemany("UPDATE openings SET status = 'closed' WHERE id = ?", [(i,) for i in closed])
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return ids


def wait_until_up(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited; see its output above")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /healthz in time")


def timings(port: int, paths: list[str]) -> list[float]:
    """Milliseconds per request, one after another on one connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    found = []
    for path in paths:
        start = time.perf_counter()
        connection.request("GET", path, headers={"Accept-Language": "ko-KR"})
        response = connection.getresponse()
        response.read()
        found.append((time.perf_counter() - start) * 1000)
        if response.status != 200:
            raise SystemExit(f"{path}: {response.status}")
    connection.close()
    return found


def p(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--openings", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="jobstop-qr-")
    try:
        path = os.path.join(folder, "bench.sqlite3")
        ids = build(path, args.openings)
        port = free_port()
        env = {**os.environ, "JOBSTOP_DATABASE": path, "JOBSTOP_SECRET_KEY": secrets.token_hex(16)}
        gunicorn = shutil.which("gunicorn") or os.path.join(os.path.dirname(sys.executable), "gunicorn")
        server = subprocess.Popen([gunicorn, "--workers", "2", "--bind", f"127.0.0.1:{port}",
                                   "kiosk.app:create_app()"], env=env, cwd=folder)
        try:
            wait_until_up(port, server)
            pick = random.Random(11)
            timings(port, [f"/o/{pick.choice(ids)}?qr=1" for _ in range(100)])  # warm both workers
            load_before = os.getloadavg()[0]
            pages, health = [], []
            for _ in range(args.rounds):
                page = timings(port, [f"/o/{pick.choice(ids)}?qr=1" for _ in range(args.requests)])
                base = timings(port, ["/healthz"] * args.requests)
                pages.append((p(page, 0.5), p(page, 0.95)))
                health.append((p(base, 0.5), p(base, 0.95)))
            load_after = os.getloadavg()[0]
        finally:
            server.terminate()
            server.wait(timeout=30)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    median = statistics.median
    page_p50, page_p95 = median(x[0] for x in pages), median(x[1] for x in pages)
    health_p50, health_p95 = median(x[0] for x in health), median(x[1] for x in health)
    print(f"{args.openings:,} openings (a fifth closed), gunicorn 2 workers, {args.rounds} rounds of"
          f" {args.requests} sequential requests, load average {load_before:.1f} → {load_after:.1f}")
    print(f"/o/<id>?qr=1   p50 {page_p50:.2f} ms  p95 {page_p95:.2f} ms  (target p95 ≤ {TARGET_P95_MS:.0f} ms:"
          f" {'met' if page_p95 <= TARGET_P95_MS else 'NOT met'})")
    print(f"/healthz       p50 {health_p50:.2f} ms  p95 {health_p95:.2f} ms")
    print("rounds (p50, p95):", ", ".join(f"({a:.1f}, {b:.1f})" for a, b in pages))


if __name__ == "__main__":
    main()
