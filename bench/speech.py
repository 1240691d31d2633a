"""Voice guidance over HTTP: how soon a screen's spoken line is ready, first time and kept.

Usage: python bench/speech.py [--rounds R]
Starts gunicorn (2 workers, as `jobstop serve` does) on 127.0.0.1 with a temporary database of
demo data and its own speech folder, and asks for every screen's line in every language through
the real endpoint (/k/<kiosk>/speech/<lang>/normal/<screen>.wav) on one kept-alive connection:
first with the folder emptied (espeak-ng renders it), then again (the file on disk), R rounds.
It also times the focused control's words (POST …/speech) for a catalog word, kept on disk.
Targets: first ≤ 300 ms, kept ≤ 5 ms (medians).
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from _machine import reference
from kiosk_http import KIOSK, build, free_port, wait_until_up

from kiosk.core.i18n import LANGUAGES, catalog

TARGET_FIRST_MS, TARGET_KEPT_MS = 300.0, 5.0


def screens() -> list[str]:
    prefix = "voice.screen."
    return sorted(key[len(prefix):] for key in catalog("ko") if key.startswith(prefix))


def timed(conn: http.client.HTTPConnection, method: str, path: str, body: str | None = None,
          headers: dict[str, str] | None = None) -> tuple[float, bytes]:
    started = time.perf_counter()
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    if response.status != 200 or not data.startswith(b"RIFF"):
        raise SystemExit(f"{method} {path}: {response.status}")
    return elapsed, data


def session(conn: http.client.HTTPConnection) -> tuple[str, str]:
    """A kiosk session's cookie and form token, as the page's script has them."""
    conn.request("GET", f"{KIOSK}/")
    response = conn.getresponse()
    html = response.read().decode()
    cookie = next(h.split(";", 1)[0] for h in response.headers.get_all("Set-Cookie") if h.startswith("session="))
    return cookie, re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def empty(folder: Path) -> None:
    for path in folder.glob("*"):
        path.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if not shutil.which("espeak-ng"):
        raise SystemExit("espeak-ng is missing: apt-get install -y espeak-ng")
    first: list[float] = []
    kept: list[float] = []
    control_first: list[float] = []
    control_kept: list[float] = []
    seconds_of_audio: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "bench.sqlite3")
        speech = Path(folder) / "speech"
        build(path, 200)
        port = free_port()
        env = {**os.environ, "JOBSTOP_DATABASE": path, "JOBSTOP_SECRET_KEY": secrets.token_hex(16),
               "JOBSTOP_SPEECH_FOLDER": str(speech),  # and this checkout's code in the workers:
               "PYTHONPATH": os.pathsep.join(filter(None, [str(BENCH.parent), os.environ.get("PYTHONPATH")]))}
        gunicorn = shutil.which("gunicorn") or os.path.join(os.path.dirname(sys.executable), "gunicorn")
        server = subprocess.Popen([gunicorn, "--workers", "2", "--bind", f"127.0.0.1:{port}",
                                   "kiosk.app:create_app()"], env=env, cwd=folder)
        try:
            wait_until_up(f"http://127.0.0.1:{port}", server)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            cookie, token = session(conn)
            post = {"Cookie": cookie, "X-CSRF-Token": token, "Content-Type": "application/x-www-form-urlencoded"}
            word = urlencode({"text": catalog("ko")["register.next"]})
            for _ in range(args.rounds):
                speech.mkdir(exist_ok=True)
                empty(speech)
                for lang in LANGUAGES:
                    for name in screens():
                        url = f"{KIOSK}/speech/{lang}/normal/{name}.wav"
                        elapsed, data = timed(conn, "GET", url)
                        first.append(elapsed)
                        seconds_of_audio.append((len(data) - 44) / 2 / 22050)
                        kept.append(timed(conn, "GET", url)[0])
                control_first.append(timed(conn, "POST", f"{KIOSK}/speech", word, post)[0])
                control_kept.append(timed(conn, "POST", f"{KIOSK}/speech", word, post)[0])
            conn.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    report(args.rounds, first, kept, control_first, control_kept, seconds_of_audio)


def report(rounds: int, first: list[float], kept: list[float], control_first: list[float],
           control_kept: list[float], audio: list[float]) -> None:
    count = len(screens()) * len(LANGUAGES)
    print(f"{count} screen lines ({len(screens())} screens × {len(LANGUAGES)} languages), {rounds} rounds,"
          f" gunicorn 2 workers, one kept-alive connection; reference insert {reference():.1f} µs/row")
    print(f"audio per line: median {statistics.median(audio):.1f} s, longest {max(audio):.1f} s")
    print(f"{'request':<36} {'median':>9} {'p95':>9} {'max':>9} {'target':>8}")
    for label, values, target in [("screen line, first (espeak-ng)", first, TARGET_FIRST_MS),
                                  ("screen line, kept on disk", kept, TARGET_KEPT_MS),
                                  ("control words, first", control_first, TARGET_FIRST_MS),
                                  ("control words, kept on disk", control_kept, TARGET_KEPT_MS)]:
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
        print(f"{label:<36} {statistics.median(values):7.2f}ms {p95:7.2f}ms {max(values):7.2f}ms"
              f" {'≤' + format(target, 'g') + 'ms':>8}")


if __name__ == "__main__":
    main()
