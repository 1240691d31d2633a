"""The console's openings list over HTTP with many openings: answer time per request, p95.

Usage: python bench/console_openings.py [--openings N] [--requests R] [--rounds K]
Builds a temporary database of demo data with N openings (default 100,000) and one center staff
account, starts gunicorn (2 workers, as `jobstop serve` does) on 127.0.0.1, signs in through the
sign-in form, and asks for the list as a person does, one request at a time on a kept-alive
connection. Four kinds of request take turns, each round R of each, every one different from
the one before (sorts, filters, search words and pages vary): the full page, filtered by
occupation and region, a keyword search, and later pages as the htmx fragment. Per kind it
prints the median over the K rounds of each round's median and 95th percentile, and the CPU
time the workers spent per request (from /proc: steadier than answer times when other work
shares the cores).
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path

from _machine import reference

OCCUPATIONS = ("office", "security", "sales", "care", "food", "driving", "manufacturing", "it")
REGIONS = ("41110", "41130", "41280", "41460", "41190", "11140", "41590", "41170")
TERMS = ("경비", "요양", "사무", "운전", "조리", "생산", "판매", "청소", "물류", "간호")
TARGET_MS = 50.0
EMAIL = "bench-staff@jobstop.kr"
HX = {"HX-Request": "true", "HX-Target": "openings-results"}


def _cases() -> list[tuple[str, Iterator[tuple[str, dict[str, str]]]]]:
    """(label, endless requests of that kind, each a path and headers)."""
    def full() -> Iterator[tuple[str, dict[str, str]]]:
        for sort in itertools.cycle(("newest", "closing")):
            yield f"/console/openings?sort={sort}", {}

    def filtered() -> Iterator[tuple[str, dict[str, str]]]:
        for occupation, region in itertools.cycle(itertools.product(OCCUPATIONS, REGIONS)):
            yield f"/console/openings?occupation={occupation}&region={region}", HX

    def searched() -> Iterator[tuple[str, dict[str, str]]]:
        for term in itertools.cycle(TERMS):
            yield f"/console/openings?q={urllib.parse.quote(term)}", HX

    def paged() -> Iterator[tuple[str, dict[str, str]]]:
        for page in itertools.cycle(range(2, 51)):
            yield f"/console/openings?page={page}", HX

    return [("full page (sort newest/closing)", full()), ("filtered: occupation + region (htmx)", filtered()),
            ("search, 10 words (htmx)", searched()), ("pages 2-50 (htmx)", paged())]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build(path: str, count: int) -> tuple[str, str]:
    """The database, and a center staff account's email and password."""
    from kiosk.core import db
    from kiosk.core.clock import SystemClock
    from kiosk.demo import loader as demo
    from kiosk.places import centers
    from kiosk.staff import accounts

    db.init_db(path)
    conn = db.connect(path)
    now = SystemClock().now()
    demo.load(conn, now, "Asia/Seoul", count, secret="bench-secret")
    email, password = EMAIL, secrets.token_urlsafe(16)
    with db.transaction(conn):
        center = centers.by_name(conn, "수원시 일자리센터")["id"]
        accounts.add(conn, "벤치 직원", email, "staff", now, center_id=center, password=password)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return email, password


def kept_account(path: str) -> tuple[str, str]:
    """A database kept by an earlier run: a new password for its staff account."""
    from kiosk.core import db
    from kiosk.staff import accounts

    conn = db.connect(path)
    password = secrets.token_urlsafe(16)
    with db.transaction(conn):
        account = conn.execute("SELECT id FROM staff_accounts WHERE email = ?", (EMAIL,)).fetchone()
        accounts.set_password(conn, account["id"], password)
    conn.close()
    return EMAIL, password


def wait_until_up(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited; see its output above")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /healthz in time")


def sign_in(conn: http.client.HTTPConnection, email: str, password: str) -> str:
    """The console's session cookie after signing in through the form."""
    conn.request("GET", "/console/sign-in")
    answer = conn.getresponse()
    page = answer.read().decode()
    cookie = answer.getheader("Set-Cookie", "").split(";", 1)[0]
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    body = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password})
    conn.request("POST", "/console/sign-in", body=body, headers={
        "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
    answer = conn.getresponse()
    answer.read()
    if answer.status != 303:
        raise SystemExit(f"signing in failed: {answer.status}")
    return (answer.getheader("Set-Cookie") or cookie).split(";", 1)[0]


def timed(conn: http.client.HTTPConnection, cookie: str, requests: Iterator[tuple[str, dict[str, str]]],
          count: int, check: Callable[[str], None]) -> list[float]:
    """Milliseconds for each of `count` requests, from sending to the last byte read."""
    spent = []
    for _ in range(count):
        path, headers = next(requests)
        started = time.perf_counter()
        conn.request("GET", path, headers={"Cookie": cookie, **headers})
        answer = conn.getresponse()
        body = answer.read()
        spent.append((time.perf_counter() - started) * 1000)
        if answer.status != 200:
            raise SystemExit(f"{path}: {answer.status}")
        check(body.decode())
    return spent


def workers_cpu(master: int) -> float:
    """Seconds of CPU (user + system) used so far by gunicorn's worker processes."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split():
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--openings", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200, help="requests of each kind per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--keep", metavar="PATH", help="keep the built database here, or use the one"
                        " kept there by an earlier run (building 100,000 openings takes minutes)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.keep or os.path.join(folder, "bench.sqlite3")
        started = time.monotonic()
        email, password = kept_account(path) if args.keep and os.path.exists(path) else build(path, args.openings)
        print(f"database ready in {time.monotonic() - started:.0f} s")
        port = free_port()
        env = {**os.environ, "JOBSTOP_DATABASE": path, "JOBSTOP_SECRET_KEY": secrets.token_hex(16)}
        gunicorn = shutil.which("gunicorn") or os.path.join(os.path.dirname(sys.executable), "gunicorn")
        server = subprocess.Popen([gunicorn, "--workers", "2", "--bind", f"127.0.0.1:{port}",
                                   "kiosk.app:create_app()"], env=env, cwd=folder)
        try:
            wait_until_up(port, server)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            cookie = sign_in(conn, email, password)
            cases = _cases()

            def listed(body: str) -> None:
                if "openings-results" not in body:
                    raise SystemExit("an answer without the list")

            for _label, requests in cases:  # warm both workers' caches of templates and catalogs
                timed(conn, cookie, requests, 20, listed)
            medians: dict[str, list[float]] = {label: [] for label, _ in cases}
            tails: dict[str, list[float]] = {label: [] for label, _ in cases}
            cpu: dict[str, float] = {label: 0.0 for label, _ in cases}
            for _ in range(args.rounds):
                for label, requests in cases:  # the kinds take turns within every round
                    before = workers_cpu(server.pid)
                    spent = timed(conn, cookie, requests, args.requests, listed)
                    cpu[label] += workers_cpu(server.pid) - before
                    medians[label].append(statistics.median(spent))
                    tails[label].append(p95(spent))
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"{args.openings:,} openings, gunicorn 2 workers, one client on a kept-alive connection, "
          f"{args.rounds} rounds x {args.requests} requests of each kind; reference insert {reference():.1f} µs/row")
    print(f"{'request':<40} {'median':>8} {'p95':>8} {'p95 of each round':>32} {'target':>8} {'CPU/req':>8}")
    for label, _ in cases:
        runs = " ".join(f"{v:.1f}" for v in tails[label])
        per_request = cpu[label] / (args.rounds * args.requests) * 1000
        print(f"{label:<40} {statistics.median(medians[label]):6.1f}ms {statistics.median(tails[label]):6.1f}ms"
              f" {runs:>32} {'≤' + str(int(TARGET_MS)) + ' ms':>8} {per_request:6.1f}ms")


if __name__ == "__main__":
    main()
