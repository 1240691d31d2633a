"""Send rates and CPU per message as deployed: `jobstop scheduler` as a process of its own.

rates: for each rate (default 10, 30 and 100 msg/s) a fresh outbox holds more than 60 s of
  messages; `jobstop scheduler` starts with the production settings a center would use for
  that rate (JOBSTOP_SMS_RATE_PER_SECOND alone: the senders follow from it) and Twilio
  pointed at a loopback peer that answers after 200 ms (tests/twilio_peer.py, in this
  process). The rate is what the peer received over the 60 s after the first message, with
  every 10 s window; CPU per message is the scheduler process's user + system time over
  those 60 s (/proc/<pid>/stat) divided by the messages.
sample: Twilio's appointment-reminder sample's sending path (bench/_reminder_sample.py: a
  Celery task per reminder, Redis as the broker, twilio's Client.messages.create) against the
  same peer: the worker's CPU (its processes, /proc) per message while it sends --sample N.
--runs N alternates them: scheduler at 100/s, then the sample, N times; medians at the end.
--baseline DIR also runs the scheduler of another checkout (the code before a change) at each
  rate, right before this one's, so the two are alternated in the same minutes.

Usage: python bench/sms_scheduler.py [--rates 10,30,100] [--seconds 60] [--runs 5]
       [--sample 1000] [--concurrency 20] [--only rates|sample] [--postgres URL]
       [--dispatchers 2] [--baseline DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[1:1] = [str(ROOT), str(ROOT / "tests")]

from _machine import drop_postgres, fresh_postgres, load  # noqa: E402
from twilio_peer import ACCOUNT_SID, AUTH_TOKEN, TwilioPeer  # noqa: E402

from kiosk.core import db  # noqa: E402
from kiosk.core.clock import SystemClock  # noqa: E402
from sms.outbound import outbox  # noqa: E402

BODY = "[잡스탑] 새 일자리: J{n} 수원시 경비원 시급 10,500원, 주 5일. 자세히: J{n} 답장"
TICKS = os.sysconf("SC_CLK_TCK")
POSTGRES: str | None = None


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far (its own threads; children it waited for are apart)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def family_cpu(pid: int) -> float:
    """CPU of a process and of its living children (a Celery worker's pool processes)."""
    total = cpu_seconds(pid)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid:
                total += (int(stat[11]) + int(stat[12])) / TICKS
    return total


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fresh_outbox(folder: Path, count: int, name: str) -> str:
    if POSTGRES:
        target = fresh_postgres(POSTGRES, f"jobstop_bench_sched_{os.getpid()}")
    else:
        target = str(folder / f"{name}.sqlite3")
    db.init_db(target)
    conn = db.connect(target)
    now = SystemClock().now() - timedelta(seconds=1)
    for first in range(0, count, 1000):
        with db.transaction(conn):
            outbox.enqueue_many(conn, ({"to": f"+8210{10_000_000 + n}", "body": BODY.format(n=n),
                                        "kind": "transactional", "dedupe_key": f"bench:{n}"}
                                       for n in range(first, min(count, first + 1000))), now=now)
    conn.close()
    return target


def scheduler_run(folder: Path, rate: float, seconds: int, dispatchers: int = 1, root: Path = ROOT) -> dict:
    """One scheduler process at `rate` for `seconds` against the peer; what it achieved. With two
    dispatchers: the scheduler and `jobstop sms dispatch` (as on a second machine), each at half
    the rate, on one outbox."""
    target = fresh_outbox(folder, int(rate * (seconds + 15)), f"rate{rate:g}")
    with TwilioPeer(delay=0.2) as peer:
        env = {**os.environ, "PYTHONPATH": str(root), "JOBSTOP_DATABASE": target,
               "JOBSTOP_SECRET_KEY": "b" * 64, "JOBSTOP_PUBLIC_URL": "https://jobstop.example.kr",
               "TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
               "TWILIO_FROM_NUMBER": "+15005550006", "TWILIO_API_BASE_URL": peer.base_url,
               "JOBSTOP_SMS_RATE_PER_SECOND": f"{rate / dispatchers:g}"}
        env.pop("JOBSTOP_DEVELOPMENT", None)
        log = open(folder / "scheduler.log", "w")  # noqa: SIM115 - the child writes it
        commands = [["scheduler"], ["sms", "dispatch"]][:dispatchers]
        children = [subprocess.Popen([sys.executable, "-c", "from kiosk.cli import main; main()", *command],
                                     env=env, stdout=log, stderr=subprocess.STDOUT, cwd=folder)
                    for command in commands]
        try:
            deadline = time.monotonic() + 60
            while not peer.received and time.monotonic() < deadline:
                time.sleep(0.01)
            if not peer.received:
                raise RuntimeError("the scheduler sent nothing: " + (folder / "scheduler.log").read_text()[-2000:])
            first, cpu_at = peer.received[0].at, sum(cpu_seconds(c.pid) for c in children)
            time.sleep(max(0.0, first + seconds - time.monotonic()))
            cpu = sum(cpu_seconds(c.pid) for c in children) - cpu_at
            received = list(peer.received)
            times = [r.at for r in received if r.at < first + seconds]
        finally:
            for each in children:
                each.send_signal(signal.SIGTERM)
            for each in children:
                each.wait(60)
            log.close()
        if dispatchers > 1:
            conn = db.connect(target)
            stored = conn.execute("SELECT count(*), count(DISTINCT twilio_sid) FROM sms_messages"
                                  " WHERE twilio_sid IS NOT NULL").fetchone()
            conn.close()
            bodies = [r.body for r in received]
            print(f"  two dispatchers: {len(received)} requests, {len(set(bodies))} distinct messages,"
                  f" {stored[1]} distinct SIDs stored", flush=True)
    if POSTGRES:
        db.close_pools()
        drop_postgres(POSTGRES, f"jobstop_bench_sched_{os.getpid()}")
    windows = [sum(1 for t in times if first + w <= t < first + w + 10) / 10 for w in range(0, seconds - 9, 10)]
    achieved = len(times) / seconds
    return {"rate": rate, "achieved": achieved, "windows": windows, "cpu_ms": cpu / len(times) * 1000,
            "messages": len(times), "load": load()}


def start_redis() -> tuple[subprocess.Popen, str]:
    """A redis-server of the bench's own on a free loopback port (kept for every run), its URL."""
    port = free_port()
    redis = subprocess.Popen(["redis-server", "--port", str(port), "--save", "", "--appendonly", "no",
                              "--bind", "127.0.0.1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return redis, f"redis://127.0.0.1:{port}/0"
        time.sleep(0.1)
    raise RuntimeError("redis-server did not start")


def sample_run(folder: Path, count: int, concurrency: int, broker: str) -> dict:
    """The reminder sample's worker sends `count` reminders queued at once; its CPU per message."""
    data = folder / "appointments.sqlite3"
    with sqlite3.connect(data) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS appointments (id INTEGER PRIMARY KEY, name TEXT,"
                     " phone_number TEXT, time TEXT)")
        conn.execute("DELETE FROM appointments")
        at = datetime.now(UTC) + timedelta(hours=1)
        conn.executemany("INSERT INTO appointments VALUES (?, ?, ?, ?)",
                         ((n, f"Seeker {n}", f"+8210{20_000_000 + n}", at.isoformat()) for n in range(count)))
    with TwilioPeer(delay=0.2) as peer:
        env = {**os.environ, "PYTHONPATH": f"{ROOT / 'bench'}:{ROOT}", "REMINDER_BROKER": broker,
               "REMINDER_DATABASE": str(data), "TWILIO_API_BASE_URL": peer.base_url}
        log = open(folder / "celery.log", "w")  # noqa: SIM115 - the child writes it
        worker = subprocess.Popen([shutil.which("celery") or str(Path(sys.executable).parent / "celery"),
                                   "-A", "_reminder_sample", "worker", "--loglevel", "INFO",
                                   "--concurrency", str(concurrency), "--pool", "prefork", "--without-gossip",
                                   "--without-mingle", "--without-heartbeat"],
                                  env=env, cwd=ROOT / "bench", stdout=log, stderr=subprocess.STDOUT)
        try:
            sys.path.insert(0, str(ROOT / "bench"))
            os.environ["REMINDER_BROKER"] = broker
            import _reminder_sample as sample

            sample.celery.conf.broker_url = broker
            time.sleep(8)  # the worker and its pool processes start
            cpu_at, started = family_cpu(worker.pid), time.monotonic()
            for n in range(count):
                sample.send_sms_reminder.delay(n)
            while len(peer.received) < count and time.monotonic() - started < count:
                time.sleep(0.05)
            cpu, wall = family_cpu(worker.pid) - cpu_at, time.monotonic() - started
            sent = len(peer.received)
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(60)
            log.close()
    return {"messages": sent, "cpu_ms": cpu / max(1, sent) * 1000, "rate": sent / wall, "load": load()}


def spread(values: list[float]) -> str:
    return f"median {statistics.median(values):.3f} (" + ", ".join(f"{v:.3f}" for v in values) + ")"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", default="10,30,100")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--sample", type=int, default=1000, help="reminders the sample's worker sends a run")
    parser.add_argument("--concurrency", type=int, default=20, help="the sample worker's processes")
    parser.add_argument("--only", choices=("rates", "sample"), action="append")
    parser.add_argument("--postgres", help="a postgresql:// server for the scheduler's database")
    parser.add_argument("--dispatchers", type=int, default=1, choices=(1, 2),
                        help="2: the scheduler and `jobstop sms dispatch`, each at half the rate")
    parser.add_argument("--baseline", type=Path, help="another checkout whose scheduler runs before this one's")
    args = parser.parse_args()
    global POSTGRES
    POSTGRES = args.postgres
    parts = set(args.only or ("rates", "sample"))
    model = subprocess.getoutput("grep -m1 'model name' /proc/cpuinfo").split(":")[-1].strip()
    print(f"machine: {os.cpu_count()} cores, {model}; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; load {load()};"
          f" database: {'PostgreSQL' if POSTGRES else 'SQLite'}", flush=True)
    rates = [float(r) for r in args.rates.split(",")]
    found: dict[str, list[dict]] = {}
    redis, broker = start_redis() if "sample" in parts else (None, "")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for run in range(args.runs):
                for rate, root, name in [(rate, root, name) for rate in (rates if "rates" in parts else [])
                                         for root, name in ([(args.baseline, "baseline ")] if args.baseline else [])
                                         + [(ROOT, "")]]:
                    got = scheduler_run(Path(tmp), rate, args.seconds, args.dispatchers, root)
                    found.setdefault(f"{name}scheduler {rate:g}/s", []).append(got)
                    print(f"run {run + 1}: {name}scheduler at {rate:g}/s: {got['achieved']:.2f}/s"
                          f" ({(got['achieved'] / rate - 1) * 100:+.2f}%), 10 s windows"
                          f" {min(got['windows']):.1f}-{max(got['windows']):.1f}; CPU {got['cpu_ms']:.3f} ms/message;"
                          f" load {got['load']}", flush=True)
                if "sample" in parts:
                    got = sample_run(Path(tmp), args.sample, args.concurrency, broker)
                    found.setdefault("sample", []).append(got)
                    print(f"run {run + 1}: reminder sample (Celery + Redis, {args.concurrency} processes):"
                          f" {got['messages']} messages at {got['rate']:.1f}/s; CPU {got['cpu_ms']:.3f} ms/message;"
                          f" load {got['load']}", flush=True)
    finally:
        if redis is not None:
            redis.terminate()
            redis.wait()
    for name, runs in found.items():
        line = f"{name}: CPU ms/message {spread([r['cpu_ms'] for r in runs])}"
        if "achieved" in runs[0]:
            line += f"; msg/s {spread([r['achieved'] for r in runs])}"
        print(line)
    if "sample" in found and "scheduler 100/s" in found:
        ratio = (statistics.median(r["cpu_ms"] for r in found["sample"])
                 / statistics.median(r["cpu_ms"] for r in found["scheduler 100/s"]))
        print(f"the sample's CPU per message / the scheduler's at 100/s: {ratio:.1f}x")


if __name__ == "__main__":
    main()
