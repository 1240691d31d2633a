"""The install docs/deploy.md describes: `pip install .` builds a wheel that serves on its own.

The wheel is built from a copy of the checkout (an in-tree build would leave build/ in it),
installed into a fresh virtual environment outside the checkout, and run with no PYTHONPATH,
so nothing can come from the checkout or its node_modules.
"""

from __future__ import annotations

import json
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import psycopg
import pytest
from process_helpers import free_port, get, jobstop_environment, until
from support import POSTGRES, postgres_admin, postgres_url

from kiosk.core import db
from kiosk.http.assets import VENDOR

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "kiosk", "sms", "scheduler",
           "templates", "static")
HANGUL = re.compile("[가-힣]")


def copy_source(target: Path, *, with_node_modules: bool = True) -> Path:
    """What a build reads from the checkout, copied; node_modules with the vendored files only."""
    target.mkdir()
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__", "bundled"))
        else:
            shutil.copy2(source, target / name)
    for path in VENDOR.values() if with_node_modules else ():
        (target / "node_modules" / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / "node_modules" / path, target / "node_modules" / path)
    return target


def build_wheel(source: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(source)],
                          capture_output=True, text=True, env=jobstop_environment(checkout=False), timeout=300)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    built = build_wheel(copy_source(work / "source"), work / "dist")
    assert built.returncode == 0, built.stdout + built.stderr
    [found] = (work / "dist").glob("jobstop-*.whl")
    return found


@pytest.fixture(scope="module")
def venv_bin(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """bin/ of a fresh virtual environment (outside the checkout) with the wheel and its dependencies."""
    venv = tmp_path_factory.mktemp("venv") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    installed = subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", str(wheel)],
                               capture_output=True, text=True, env=jobstop_environment(checkout=False), timeout=600)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return venv / "bin"


def test_the_wheel_carries_templates_static_files_htmx_migrations_and_translations(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("templates", "static"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file():
                assert f"kiosk/bundled/{folder}/{path.relative_to(ROOT / folder)}" in names
    assert {f"kiosk/bundled/vendor/{name}" for name in VENDOR} <= names
    for folder in ("migrations", "translations"):
        for path in (ROOT / "kiosk" / "core" / folder).rglob("*"):
            if path.suffix in (".sql", ".pot", ".po"):
                assert f"kiosk/core/{path.relative_to(ROOT / 'kiosk' / 'core')}" in names
    assert not any(name.startswith(("templates/", "static/", "node_modules/")) for name in names)


def test_a_build_without_node_modules_says_to_run_npm_ci(tmp_path):
    built = build_wheel(copy_source(tmp_path / "source", with_node_modules=False), tmp_path / "dist")
    assert built.returncode != 0
    assert "run `npm ci` before building JobStop" in built.stdout + built.stderr
    assert not list(tmp_path.rglob("*.whl"))


def run_installed(venv_bin: Path, cwd: Path, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(venv_bin / "jobstop"), *args], cwd=cwd, capture_output=True, text=True,
                          env=jobstop_environment(checkout=False, **settings), timeout=300)


def test_the_installed_package_is_the_wheel_not_the_checkout(venv_bin, tmp_path):
    found = subprocess.run([str(venv_bin / "python"), "-c", "import kiosk; print(kiosk.__file__)"], cwd=tmp_path,
                           capture_output=True, text=True, env=jobstop_environment(checkout=False), check=True).stdout
    assert Path(found.strip()).is_relative_to(venv_bin.parent)


def test_the_installed_server_serves_kiosk_pages_htmx_css_and_error_pages(venv_bin, tmp_path):
    settings = {"JOBSTOP_DATABASE": str(tmp_path / "jobstop.sqlite3"), "JOBSTOP_SECRET_KEY": "wheel-test",
                "JOBSTOP_DEVELOPMENT": "1"}
    for command in (["init-db"], ["load-demo", "--openings", "60", "--no-history"]):
        done = run_installed(venv_bin, tmp_path, *command, **settings)
        assert done.returncode == 0, done.stdout + done.stderr
    port = free_port()
    command = [str(venv_bin / "jobstop"), "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
    with open(tmp_path / "serve.log", "w") as log:
        server = subprocess.Popen(command, cwd=tmp_path, env=jobstop_environment(checkout=False, **settings),
                                  stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        assert until(lambda: get(f"{base}/healthz"), 30), (tmp_path / "serve.log").read_text()
        status, headers, body = get(f"{base}/k/suwon-station/")
        assert status == 200 and HANGUL.search(body.decode())
        status, headers, body = get(f"{base}/vendor/htmx.min.js")
        assert status == 200 and b"htmx" in body and len(body) > 10_000
        css = re.search(r'href="(/static/[^"]+\.css)"', get(f"{base}/")[2].decode())[1]
        status, headers, body = get(base + css)
        assert status == 200 and headers["Content-Type"].startswith("text/css") and body
        status, headers, body = get(f"{base}/no-such-page")
        assert status == 404 and "찾으시는 화면이 없습니다" in body.decode()
        status, headers, body = get(f"{base}/k/suwon-station/no-such-screen")
        assert status == 404 and HANGUL.search(body.decode())
        assert_console_and_public_pages(base, tmp_path / "jobstop.sqlite3")
        assert_ready_once_the_scheduler_runs(venv_bin, tmp_path, base, settings)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    assert "Traceback" not in (tmp_path / "serve.log").read_text()


def assert_console_and_public_pages(base: str, database: Path) -> None:
    """The console's sign-in with its own stylesheet, an opening's QR code and the phone page it
    opens, and the bus schedule: templates, styles and segno from the installed package."""
    status, headers, body = get(f"{base}/console/sign-in")
    assert status == 200 and "잡스탑 관리" in body.decode() and headers["Cache-Control"] == "no-store"
    css = re.search(r'href="(/static/[^"]*console[^"]*\.css)"', body.decode())[1]
    assert get(base + css)[0] == 200
    with sqlite3.connect(database) as conn:
        opening_id = conn.execute("SELECT min(id) FROM openings WHERE status = 'open'").fetchone()[0]
    status, headers, body = get(f"{base}/k/suwon-station/openings/{opening_id}")
    assert status == 200 and f"/o/{opening_id}" in body.decode() and "<svg" in body.decode()
    status, headers, body = get(f"{base}/o/{opening_id}")
    assert status == 200 and HANGUL.search(body.decode()) and "Set-Cookie" not in headers
    status, headers, body = get(f"{base}/bus")
    assert status == 200 and HANGUL.search(body.decode())


def readiness(base: str) -> tuple[int, dict]:
    status, headers, body = get(f"{base}/readyz")
    return status, json.loads(body)


def assert_ready_once_the_scheduler_runs(venv_bin: Path, tmp_path: Path, base: str, settings: dict) -> None:
    assert readiness(base) == (503, {"ready": False, "problems": ["no scheduler holds the lease"], "scheduler": None})
    with open(tmp_path / "scheduler.log", "w") as log:
        scheduler = subprocess.Popen([str(venv_bin / "jobstop"), "scheduler"], cwd=tmp_path,
                                     env=jobstop_environment(checkout=False, **settings), stdout=log,
                                     stderr=subprocess.STDOUT)
    try:
        assert until(lambda: readiness(base)[0] == 200, 30), (tmp_path / "scheduler.log").read_text()
    finally:
        scheduler.send_signal(signal.SIGTERM)
        assert scheduler.wait(timeout=30) == 0


def test_the_installed_command_knows_its_version(venv_bin, tmp_path):
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert run_installed(venv_bin, tmp_path, "--version").stdout == f"jobstop {version}\n"


def test_the_installed_command_backs_up_and_moves_to_postgresql(venv_bin, tmp_path):
    """`jobstop backup` and `jobstop move-to-postgres` from the wheel: the migrations (dialect
    files too) and the PostgreSQL side come from the installed package, not the checkout."""
    source = str(tmp_path / "jobstop.sqlite3")
    settings = {"JOBSTOP_DATABASE": source, "JOBSTOP_SECRET_KEY": "wheel-test"}
    for command in (["init-db"], ["load-demo", "--openings", "60", "--no-history"]):
        done = run_installed(venv_bin, tmp_path, *command, **settings)
        assert done.returncode == 0, done.stdout + done.stderr
    backed_up = run_installed(venv_bin, tmp_path, "backup", str(tmp_path / "copy.sqlite3"), **settings)
    assert backed_up.returncode == 0 and "integrity check ok" in backed_up.stdout, backed_up.stderr
    copy = sqlite3.connect(tmp_path / "copy.sqlite3")
    try:
        assert copy.execute("SELECT count(*) FROM openings").fetchone()[0] >= 60
        newest = max(number for number, _name, _sql in db.migration_files())
        assert copy.execute("SELECT max(version) FROM schema_migrations").fetchone()[0] == newest
    finally:
        copy.close()
    if not POSTGRES:
        return
    name = "jobstop_wheel_move"
    with postgres_admin() as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
    try:
        moved = run_installed(venv_bin, tmp_path, "move-to-postgres", "--to", postgres_url(name), **settings)
        assert moved.returncode == 0 and "checksum match" in moved.stdout, moved.stderr
        with psycopg.connect(postgres_url(name)) as target:
            assert target.execute("SELECT count(*) FROM openings").fetchone()[0] >= 60
        refused = run_installed(venv_bin, tmp_path, "backup", str(tmp_path / "pg-copy"),
                                **{**settings, "JOBSTOP_DATABASE": postgres_url(name)})
        assert refused.returncode == 1 and "pg_dump" in refused.stderr
    finally:
        with postgres_admin() as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
