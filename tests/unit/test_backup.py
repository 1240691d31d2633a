"""`jobstop backup PATH`: a consistent copy while the web and the scheduler write, and it restores."""

from __future__ import annotations

import shutil
import signal
import subprocess
import threading
from pathlib import Path

import pytest
from process_helpers import JOBSTOP, jobstop_environment, start_scheduler, until

from kiosk.core import db
from kiosk.core.clock import SystemClock
from scheduler import lease
from sms.outbound import outbox


def jobstop(tmp_path: Path, database: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = jobstop_environment(JOBSTOP_DATABASE=database, JOBSTOP_SECRET_KEY="test-secret")
    return subprocess.run([*JOBSTOP, *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)


class Visitors(threading.Thread):
    """The web's share of the writing: a code texted to a new number, one commit at a time."""

    def __init__(self, database: str) -> None:
        super().__init__(daemon=True)
        self.database, self.stopping, self.committed = database, threading.Event(), 0

    def run(self) -> None:
        conn, clock = db.connect(self.database), SystemClock()
        while not self.stopping.is_set():
            with db.transaction(conn):
                outbox.enqueue(conn, to=f"+8210{self.committed:08d}", body=f"[잡스탑] 인증번호 {self.committed:06d}",
                               kind="otp", dedupe_key=f"backup-test:{self.committed}", now=clock.now())
            self.committed += 1
            self.stopping.wait(0.005)  # a busy kiosk network, not a bulk load
        conn.close()


def message_ids(conn) -> set[int]:
    return {row[0] for row in conn.execute("SELECT id FROM sms_messages")}


@pytest.mark.slow
@pytest.mark.sqlite_only
def test_a_sqlite_backup_taken_while_the_web_and_the_scheduler_write_restores_whole(tmp_path, database, conn):
    scheduler = start_scheduler(database, tmp_path, JOBSTOP_SMS_RATE_PER_SECOND="0")
    visitors = Visitors(database)
    try:
        assert until(lambda: lease.current(conn), 30), (tmp_path / "scheduler.log").read_text()
        visitors.start()
        assert until(lambda: conn.execute("SELECT count(*) FROM sms_messages WHERE status = 'delivered'")
                     .fetchone()[0] > 0, 30), "the scheduler is sending what the web queued"
        before = message_ids(conn)  # every row committed before the backup began
        backed_up = jobstop(tmp_path, database, "backup", str(tmp_path / "nightly.sqlite3"))
        after = visitors.committed
        assert until(lambda: visitors.committed > after + 20, 30), "the web kept writing after the backup"
    finally:
        visitors.stopping.set()
        scheduler.send_signal(signal.SIGTERM)
        scheduler.wait(timeout=60)
        visitors.join(timeout=10)
    assert backed_up.returncode == 0, backed_up.stderr
    assert backed_up.stdout.startswith(f"Backed up {database} to {tmp_path / 'nightly.sqlite3'} (")
    assert "integrity check ok" in backed_up.stdout
    assert not list(tmp_path.glob("nightly.sqlite3-*")) and not list(tmp_path.glob(".nightly*"))

    restored = restore(tmp_path, tmp_path / "nightly.sqlite3")
    copy = db.connect(restored)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        kept = message_ids(copy)
        assert before <= kept, f"{len(before - kept)} rows committed before the backup are missing"
        assert kept < message_ids(conn), "rows written after the backup are not in it"
        assert copy.execute("SELECT count(*) FROM openings").fetchone()[0] > 0
    finally:
        copy.close()


def restore(tmp_path: Path, backup: Path) -> str:
    """docs/deploy.md's restore: the copy in the database's place, then `jobstop migrate`."""
    target = tmp_path / "restored" / "jobstop.sqlite3"
    target.parent.mkdir()
    shutil.copyfile(backup, target)
    migrated = jobstop(tmp_path, str(target), "migrate")
    assert migrated.returncode == 0 and migrated.stdout.strip() == "Already up to date.", migrated.stderr
    return str(target)


@pytest.mark.sqlite_only
def test_a_sqlite_backup_to_a_folder_gets_a_dated_file_and_a_missing_database_is_said(tmp_path, database):
    folder = tmp_path / "backups"
    folder.mkdir()
    assert jobstop(tmp_path, database, "backup", str(folder)).returncode == 0
    [made] = folder.iterdir()
    assert made.name.startswith("jobstop-20") and made.suffix == ".sqlite3"
    missing = jobstop(tmp_path, str(tmp_path / "nowhere.sqlite3"), "backup", str(folder))
    assert missing.returncode != 0
    assert missing.stderr.strip() == f"Error: there is no database at {tmp_path / 'nowhere.sqlite3'} (JOBSTOP_DATABASE)"
    assert not (tmp_path / "nowhere.sqlite3").exists()


@pytest.mark.postgresql_only
def test_a_postgresql_install_is_pointed_to_pg_dump(tmp_path, database):
    result = jobstop(tmp_path, database, "backup", str(tmp_path / "copy"))
    assert result.returncode == 1 and "pg_dump" in result.stderr and not (tmp_path / "copy").exists()
