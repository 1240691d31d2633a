"""Helpers for tests that run JobStop's real commands as processes: ports, waiting, a clean environment."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# This checkout's `jobstop` command, run by the tests' Python.
JOBSTOP = [sys.executable, "-c", "from kiosk.cli import main; main()"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def until(check: Callable[[], Any], seconds: float) -> Any:
    """check()'s first truthy answer within `seconds`, else None."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    return None


def get(url: str) -> tuple[int, dict[str, str], bytes] | None:
    """Status, headers and body of a GET (error statuses too); None while nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()
    except OSError:
        return None


def jobstop_environment(*, checkout: bool = True, **settings: str) -> dict[str, str]:
    """This environment without JobStop's, Twilio's or Flask's settings, plus `settings`.

    With checkout, PYTHONPATH puts this checkout first (the code the tests import); without,
    there is no PYTHONPATH at all (for an installed copy that must stand on its own).
    """
    kept = {key: value for key, value in os.environ.items()
            if not key.startswith(("JOBSTOP_", "TWILIO_", "FLASK_")) and key != "PYTHONPATH"}
    if checkout:
        kept["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return {**kept, **settings}


def start_scheduler(database: str, folder: Path, **settings: str) -> subprocess.Popen:
    """`jobstop scheduler` in development mode on database, its output in folder/scheduler.log."""
    env = jobstop_environment(JOBSTOP_DATABASE=database, JOBSTOP_SECRET_KEY="test-secret",
                              JOBSTOP_DEVELOPMENT="1", JOBSTOP_DISPATCH_EVERY_SECONDS="1", **settings)
    with open(folder / "scheduler.log", "w") as log:
        return subprocess.Popen([*JOBSTOP, "scheduler"], cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT)


def start_web_server(database: str, folder: Path, workers: int = 2, **settings: str) -> tuple[subprocess.Popen, str]:
    """`jobstop serve` (gunicorn) in development mode on a free port, in a process group of its
    own (kill_group ends it like a machine that dies); its output in folder/serve.log. The
    process and its base URL; wait_until_up before using it."""
    port = free_port()
    env = jobstop_environment(JOBSTOP_DATABASE=database, JOBSTOP_SECRET_KEY="test-secret",
                              JOBSTOP_DEVELOPMENT="1", **settings)
    with open(folder / "serve.log", "w") as log:
        server = subprocess.Popen([*JOBSTOP, "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
                                  cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    return server, f"http://127.0.0.1:{port}"


def wait_until_up(base_url: str, seconds: float = 60) -> bool:
    """True once /healthz answers 200."""
    return bool(until(lambda: (get(f"{base_url}/healthz") or (0,))[0] == 200, seconds))


def like_a_terminal() -> None:
    """Popen's preexec_fn for a command the test stops with Ctrl-C: SIGINT as a terminal has it.

    A suite started in the background by a non-interactive shell (`./dev test` runs each
    engine's suite so) ignores SIGINT, and a child inherits that; Python then installs no
    KeyboardInterrupt handler, and the command would never see the test's Ctrl-C."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def interrupt(process: subprocess.Popen, seconds: float = 30) -> None:
    """Ctrl-C, and the process's end within `seconds`; else it is killed (no process outlives
    its test) and the wait's TimeoutExpired raised."""
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=seconds)
        raise


def kill_group(process: subprocess.Popen) -> None:
    """kill -9 of the process and every process it started (gunicorn's workers): a machine that dies."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def stop_group(process: subprocess.Popen) -> None:
    """SIGTERM (a clean stop) to the process group, then kill -9 whatever is left after 30 s."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            kill_group(process)
