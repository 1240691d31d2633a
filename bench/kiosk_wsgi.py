"""The kiosk mixes of bench/kiosk_http.py with the app called in this process, no server:
CPU per request of /healthz, the search fragment and the list page, the app's part alone.

Usage: python bench/kiosk_wsgi.py [--openings N] [--batches B] [--requests R] [--distinct D]
Builds the same demo database, kiosks' devices and distinct requests as kiosk_http.py
(production settings, each request with its kiosk's device and session cookies), warms the
app's kept parts with one batch, then times B batches of R requests drawn Zipf-like, the
session cookies taken afresh before each batch. Reported: the median and the spread of the
batches' process CPU (all threads: the usage writer too) per request. gunicorn's own work (its
writes, the access log) is not in it: kiosk_http.py measures the whole.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import tempfile
import time
from pathlib import Path

import kiosk_http  # bench/ is the script's folder: the same demo, requests and settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--openings", type=int, default=2400)
    parser.add_argument("--batches", type=int, default=7)
    parser.add_argument("--requests", type=int, default=1500)
    parser.add_argument("--distinct", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        run(args, Path(folder))


def run(args: argparse.Namespace, folder: Path) -> None:
    from werkzeug.test import EnvironBuilder

    secret = secrets.token_hex(16)
    path = str(folder / "bench.sqlite3")
    credentials = kiosk_http.build(path, args.openings, secret)
    terms, values = kiosk_http.vocabulary(path)
    rng = random.Random(2026)
    mixes = {kind: kiosk_http.distinct_requests(kind, args.distinct, terms, values, list(credentials), rng)
             for kind in kiosk_http.TARGETS}
    os.environ.update({"JOBSTOP_DATABASE": path, "JOBSTOP_SECRET_KEY": secret,
                       "TWILIO_ACCOUNT_SID": "AC" + "0" * 32, "TWILIO_AUTH_TOKEN": "bench",
                       "TWILIO_FROM_NUMBER": "+15005550006", "JOBSTOP_PUBLIC_URL": "https://jobstop.example",
                       "JOBSTOP_RATE_LIMIT_SEARCH": "10000000 per minute"})
    from kiosk.app import create_app
    from kiosk.http import usage

    app = create_app()
    client = app.test_client(use_cookies=False)

    def cookies() -> dict[str, str]:
        kept = {}
        for kiosk, credential in credentials.items():
            answer = client.get(f"/k/{kiosk}/", headers={"Cookie": f"jobstop_device={credential}"})
            session = [h.split(";", 1)[0] for h in answer.headers.getlist("Set-Cookie") if h.startswith("session=")]
            kept[kiosk] = f"jobstop_device={credential}; {session[0]}"
        return kept

    def batch(kind: str) -> list[dict]:
        if kind == "healthz":
            return [EnvironBuilder(path="/healthz").get_environ() for _ in range(args.requests)]
        sent, weights = cookies(), [1 / rank for rank in range(1, len(mixes[kind]) + 1)]
        environs = []
        for address, target in rng.choices(mixes[kind], weights, k=args.requests):
            headers = {"Cookie": sent[address.split("/")[2]]}
            if target:
                headers.update({"HX-Request": "true", "HX-Target": target})
            path, _, query = address.partition("?")
            environs.append(EnvironBuilder(path=path, query_string=query, headers=headers).get_environ())
        return environs

    def serve(environs: list[dict]) -> float:
        def start_response(status: str, _headers: list, _exc: object = None) -> None:
            if not status.startswith("200"):
                raise SystemExit(f"answered {status}")

        started = time.process_time()
        for environ in environs:
            body = app(environ, start_response)
            for _chunk in body:
                pass
            body.close()
        return (time.process_time() - started) / len(environs) * 1000

    print(f"machine: {os.cpu_count()} cores, load {' '.join(Path('/proc/loadavg').read_text().split()[:3])};"
          f" {args.openings:,} openings, {args.batches} batches of {args.requests} requests a mix, in process")
    figures = {}
    for kind in ("healthz", *kiosk_http.TARGETS):
        serve(batch(kind))  # warms the kept parts, as a server running for hours has them
        ms = [serve(batch(kind)) for _ in range(args.batches)]
        figures[kind] = statistics.median(ms)
        print(f"{kind:<9} CPU a request {figures[kind]:.3f} ms (batches {min(ms):.3f}–{max(ms):.3f})")
    usage.flush(app)  # the events still held, before the database goes
    for kind in kiosk_http.TARGETS:
        print(f"/healthz CPU ÷ {kind} CPU: {figures['healthz'] / figures[kind]:.0%}")


if __name__ == "__main__":
    main()
