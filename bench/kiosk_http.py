"""Kiosk pages over HTTP under varied traffic: requests/s and CPU per request of the search
fragment and the list page against /healthz, served as deployed.

Usage: python bench/kiosk_http.py [--openings N] [--seconds S] [--rounds R] [--connections C]
       [--distinct D] [--workers W] [--keep-serving S]
Builds a temporary database of demo data (the kiosks, 2,400 openings) and enrols one device
per kiosk. Starts `jobstop serve` on 127.0.0.1 as docs/deploy.md does (gunicorn, two workers
per core, production settings, its access log sent nowhere), and drives it with wrk (bounded
duration, loopback only) in three mixes that take turns for R rounds:
- /healthz, the bare route;
- search results fragments (htmx, HX-Target: results-area, what the search box swaps in): D
  distinct requests, terms drawn from the demo's openings (titles, occupation names, employers,
  their two-character pieces), some with a filter, at every kiosk;
- full list pages: D distinct requests, filter sets over region, occupation, type and minimum
  wage (and the sort), pages 1-n, at every kiosk.
Each mix repeats its distinct requests as kiosks would: a Zipf draw (a few are asked for all
the time, most now and then), each request with its kiosk's device and session cookies (taken
afresh before each run: a kiosk's browser takes the renewed session cookie every 5 s).
A first round warms each worker's kept parts (as a server running for hours has them) and is
reported apart. Reported: the median of the other rounds, each page's requests/s as a share of /healthz from the
same round, and the server's CPU (gunicorn's processes, from /proc) per request served.
--keep-serving S: after the rounds, the server keeps running S seconds under the page mixes
(to look at a worker with a profiler, e.g. py-spy).
"""

from __future__ import annotations

import argparse
import os
import random
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
import urllib.request
from pathlib import Path

TARGETS = {"fragment": 0.50, "page": 0.33}
DRAWS = 20_000  # requests in a mix's sequence (wrk's threads go round it from different places)
LUA = """
local lines, requests, counter = {}, {}, 0
setup = function(thread) counter = counter + 1; thread:set("start", counter * 7919) end
init = function(args)
  for line in io.lines(args[1]) do
    local path, cookie, target = line:match("([^\\t]*)\\t([^\\t]*)\\t?(.*)")
    local headers = {["Cookie"] = cookie}
    if target ~= "" then headers["HX-Request"] = "true"; headers["HX-Target"] = target end
    requests[#requests + 1] = wrk.format("GET", path, headers)
  end
  at = start % #requests
end
request = function() at = at % #requests + 1; return requests[at] end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build(path: str, count: int, secret: str) -> dict[str, str]:
    """The demo database; returns each kiosk's device credential (a kiosk PC's cookie)."""
    from itsdangerous import URLSafeSerializer

    from kiosk.core import db
    from kiosk.core.clock import SystemClock
    from kiosk.demo import loader as demo
    from kiosk.places import devices

    now = SystemClock().now()
    db.init_db(path)
    conn = db.connect(path)
    demo.load(conn, now, "Asia/Seoul", count, secret=secret)
    signer = URLSafeSerializer(secret, salt="jobstop.kiosk-device")  # as kiosk.http.clients signs
    credentials = {}
    for code, *_rest in demo.KIOSKS:
        device = devices.redeem(conn, devices.make_code(conn, code, now, secret).code, now, secret)
        credentials[code] = signer.dumps([device["id"], device["kiosk_code"]])
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return credentials


def vocabulary(path: str) -> tuple[list[str], dict[str, list[str]]]:
    """Search terms from the openings themselves, and the values each filter takes."""
    from kiosk.core import db
    from kiosk.core.i18n import translate
    from kiosk.openings import store

    conn = db.connect(path)
    rows = conn.execute("SELECT title, employer, occupation, region, employment_type FROM openings"
                        " WHERE status = 'open'").fetchall()
    conn.close()
    words: set[str] = set()
    for row in rows:
        for text in (row["title"], row["employer"]):
            for word in text.split():
                words.add(word)
                words.update(word[i:i + 2] for i in range(len(word) - 1))  # 2-character terms
        words.add(translate(f"occupation.{row['occupation']}", "ko"))
    values = {"region": sorted({r["region"] for r in rows}), "occupation": list(store.OCCUPATIONS),
              "employment_type": list(store.EMPLOYMENT_TYPES), "min_wage": [str(w) for w in store.WAGE_BANDS]}
    return sorted(w for w in words if len(w) >= 2), values


def distinct_requests(kind: str, count: int, terms: list[str], values: dict[str, list[str]],
                      kiosks: list[str], rng: random.Random) -> list[tuple[str, str]]:
    """count distinct (path, htmx target) of one mix, most popular first."""
    seen: dict[str, str] = {}
    while len(seen) < count:
        kiosk = rng.choice(kiosks)
        args: dict[str, str] = {}
        for name in rng.sample(list(values), rng.choice((0, 1, 1, 1, 2, 2, 3))):
            args[name] = rng.choice(values[name])
        if kind == "fragment":
            args = dict(list(args.items())[:1]) if rng.random() < 0.25 else {}
            args["q"] = rng.choice(terms)
            target = "results-area"
        else:
            if rng.random() < 0.2:
                args["sort"] = "closing"
            page = rng.choices((1, 2, 3, 4, 5), (80, 12, 5, 2, 1))[0]  # past 1: back from a detail
            if page > 1:
                args["page"] = str(page)
            target = ""
        seen.setdefault(f"/k/{kiosk}/openings?{urllib.parse.urlencode(args)}".rstrip("?"), target)
    return list(seen.items())


def sequence(distinct: list[tuple[str, str]], cookies: dict[str, str], rng: random.Random,
             file: Path) -> None:
    """DRAWS requests drawn Zipf-like (the n-th most popular asked for 1/n as often as the first)."""
    weights = [1 / rank for rank in range(1, len(distinct) + 1)]
    with file.open("w") as out:
        for path, target in rng.choices(distinct, weights, k=DRAWS):
            out.write(f"{path}\t{cookies[path.split('/')[2]]}\t{target}\n")


def wait_until_up(base: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("jobstop serve exited; see its output above")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("jobstop serve did not answer /healthz in time")


def kiosk_cookies(base: str, credentials: dict[str, str]) -> dict[str, str]:
    """Each kiosk PC's Cookie header: its device credential and the session its home screen gave."""
    cookies = {}
    for kiosk, credential in credentials.items():
        device = f"jobstop_device={credential}"
        request = urllib.request.Request(f"{base}/k/{kiosk}/", headers={"Cookie": device})
        with urllib.request.urlopen(request) as response:
            sent = [h.split(";", 1)[0] for h in response.headers.get_all("Set-Cookie") or []
                    if h.startswith("session=")]
        if not sent:
            raise SystemExit(f"the kiosk {kiosk} set no session cookie")
        cookies[kiosk] = f"{device}; {sent[0]}"
    return cookies


def server_cpu(master: int) -> float:
    """Seconds of CPU (user + system) used so far by gunicorn's master and workers."""
    ticks = os.sysconf("SC_CLK_TCK")
    pids = [str(master), *Path(f"/proc/{master}/task/{master}/children").read_text().split()]
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def wrk(url: str, seconds: int, connections: int, script: Path | None, requests: Path | None,
        headers: dict[str, str]) -> tuple[float, int]:
    args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s"]
    if script:
        args += ["-s", str(script)]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    args.append(url)
    if requests:
        args += ["--", str(requests)]
    out = subprocess.run(args, capture_output=True, text=True, timeout=seconds + 30, check=True).stdout
    if "Non-2xx" in out or "Socket errors" in out:
        raise SystemExit(f"errors while loading {url}:\n{out}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return rate, int(re.search(r"(\d+) requests in", out).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--openings", type=int, default=2400)
    parser.add_argument("--seconds", type=int, default=4,
                        help="each run's length; a kiosk's session cookie is renewed every 5 s, and"
                             " each run starts with fresh ones (wrk sends the same cookie throughout)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--distinct", type=int, default=300, help="distinct requests in each mix")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--keep-serving", type=int, default=0)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    with tempfile.TemporaryDirectory() as folder:
        run(args, Path(folder))


def run(args: argparse.Namespace, folder: Path) -> None:
    secret = secrets.token_hex(16)
    path = str(folder / "bench.sqlite3")
    credentials = build(path, args.openings, secret)
    terms, values = vocabulary(path)
    rng = random.Random(2026)
    mixes = {kind: distinct_requests(kind, args.distinct, terms, values, list(credentials), rng)
             for kind in TARGETS}
    script = folder / "mix.lua"
    script.write_text(LUA)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "JOBSTOP_DATABASE": path, "JOBSTOP_SECRET_KEY": secret,
           "TWILIO_ACCOUNT_SID": "AC" + "0" * 32, "TWILIO_AUTH_TOKEN": "bench",
           "TWILIO_FROM_NUMBER": "+15005550006", "JOBSTOP_PUBLIC_URL": "https://jobstop.example",
           # Kiosks come from many addresses; here all from one, so its limit is raised (still counted).
           "JOBSTOP_RATE_LIMIT_SEARCH": "10000000 per minute"}
    jobstop = shutil.which("jobstop") or os.path.join(os.path.dirname(sys.executable), "jobstop")
    server = subprocess.Popen([jobstop, "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers)],
                              env=env, cwd=folder, stdout=subprocess.DEVNULL)
    rates: dict[str, list[float]] = {"healthz": [], **{kind: [] for kind in TARGETS}}
    cpu: dict[str, list[float]] = {kind: [] for kind in rates}
    first: dict[str, tuple[float, float]] = {}
    try:
        wait_until_up(base, server)
        files = {kind: folder / f"{kind}.txt" for kind in mixes}
        orders = {kind: rng.random() for kind in mixes}  # each run of a mix draws the same requests
        for n in range(args.rounds + 1):  # the first round warms the workers' kept parts; not counted
            for kind in rates:
                if kind in mixes:  # a kiosk's browser takes the session cookie each answer renews
                    sequence(mixes[kind], kiosk_cookies(base, credentials), random.Random(orders[kind]), files[kind])
                before = server_cpu(server.pid)
                if kind == "healthz":
                    rate, done = wrk(f"{base}/healthz", args.seconds, args.connections, None, None, {})
                else:
                    rate, done = wrk(base, args.seconds, args.connections, script, files[kind], {})
                measured = rate, (server_cpu(server.pid) - before) / done * 1000
                if n == 0:
                    first[kind] = measured
                    continue
                rates[kind].append(measured[0])
                cpu[kind].append(measured[1])
        if args.keep_serving:
            for kind in mixes:
                sequence(mixes[kind], kiosk_cookies(base, credentials), random.Random(orders[kind]), files[kind])
            print(f"serving: gunicorn {server.pid}, workers"
                  f" {Path(f'/proc/{server.pid}/task/{server.pid}/children').read_text().strip()}", flush=True)
            for kind in TARGETS:
                wrk(base, args.keep_serving // 2, args.connections, script, files[kind], {})
    finally:
        server.terminate()
        server.wait(timeout=60)
    report(args, rates, cpu, first)


def report(args: argparse.Namespace, rates: dict[str, list[float]], cpu: dict[str, list[float]],
           first: dict[str, tuple[float, float]]) -> None:
    print(f"machine: {os.cpu_count()} cores, load {' '.join(Path('/proc/loadavg').read_text().split()[:3])};"
          f" {args.openings:,} openings, jobstop serve --workers {args.workers}, wrk -t2 -c{args.connections},"
          f" {args.rounds} rounds of {args.seconds} s, {args.distinct} distinct requests a mix, median of rounds")
    labels = {"healthz": "/healthz", "fragment": "search fragment (varied terms)",
              "page": "list page (varied filters, pages)"}
    print(f"{'route':<36} {'req/s':>8} {'share':>7} {'target':>7} {'CPU/req':>9}  rounds (req/s; CPU ms)")
    health = statistics.median(rates["healthz"])
    for kind, label in labels.items():
        rate = statistics.median(rates[kind])
        target = f"≥{TARGETS[kind]:.0%}" if kind in TARGETS else ""
        rounds = ", ".join(f"{r:.0f}" for r in rates[kind]) + "; " + ", ".join(f"{c:.2f}" for c in cpu[kind])
        print(f"{label:<36} {rate:8.0f} {rate / health:7.0%} {target:>7} {statistics.median(cpu[kind]):6.2f} ms"
              f"  {rounds}")
    print("first round after the start (each worker renders what it has not kept yet; not counted): "
          + ", ".join(f"{kind} {rate:.0f} req/s, {ms:.2f} ms CPU" for kind, (rate, ms) in first.items()))


if __name__ == "__main__":
    main()
