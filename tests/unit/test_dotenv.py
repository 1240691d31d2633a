"""`jobstop` reads .env from the working folder and `-e FILE`; settings already in the environment win."""

from __future__ import annotations

import subprocess
import tomllib

from process_helpers import JOBSTOP, ROOT, jobstop_environment


def database_named(tmp_path, *args: str, **settings: str) -> str:
    """The database file `jobstop init-db` created, given these arguments and environment."""
    done = subprocess.run([*JOBSTOP, *args, "init-db"], cwd=tmp_path, capture_output=True, text=True,
                          env=jobstop_environment(JOBSTOP_SECRET_KEY="test-secret", **settings), timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.split("Initialized ")[1].split(" (")[0].rsplit("/", 1)[1]


def test_dotenv_in_the_working_folder_is_read(tmp_path):
    (tmp_path / ".env").write_text(f"# copied from .env.example\nJOBSTOP_DATABASE={tmp_path}/from-dotenv.sqlite3\n")
    assert database_named(tmp_path) == "from-dotenv.sqlite3"


def test_a_file_given_with_e_wins_over_dotenv(tmp_path):
    (tmp_path / ".env").write_text(f"JOBSTOP_DATABASE={tmp_path}/from-dotenv.sqlite3\n")
    (tmp_path / "site.env").write_text(f"JOBSTOP_DATABASE={tmp_path}/from-file.sqlite3\n")
    assert database_named(tmp_path, "-e", "site.env") == "from-file.sqlite3"
    assert database_named(tmp_path, "--env-file", str(tmp_path / "site.env")) == "from-file.sqlite3"


def test_the_environment_wins_over_both(tmp_path):
    (tmp_path / ".env").write_text(f"JOBSTOP_DATABASE={tmp_path}/from-dotenv.sqlite3\n")
    (tmp_path / "site.env").write_text(f"JOBSTOP_DATABASE={tmp_path}/from-file.sqlite3\n")
    chosen = f"{tmp_path}/from-environment.sqlite3"
    assert database_named(tmp_path, "-e", "site.env", JOBSTOP_DATABASE=chosen) == "from-environment.sqlite3"


def test_env_example_lists_only_settings_jobstop_reads(tmp_path):
    """.env.example says "copy to .env": copied as it is, jobstop starts with it."""
    (tmp_path / ".env").write_text((ROOT / ".env.example").read_text().replace(
        "/var/lib/jobstop/jobstop.sqlite3", f"{tmp_path}/example.sqlite3"))
    assert database_named(tmp_path) == "example.sqlite3"


def test_version_is_the_installed_one(runner):
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    result = runner.invoke(args=["--version"])
    assert result.exit_code == 0 and result.output == f"jobstop {version}\n"
