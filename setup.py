"""The one build step pyproject.toml cannot say: the web files go inside the wheel.

A wheel installs packages only, so templates/, static/ and the htmx file npm installed are
copied into kiosk/bundled/ of the build (never of the checkout), where kiosk/http/assets.py
finds them: the installed server needs neither the checkout nor Node.js. An editable install
keeps serving the checkout's own folders.
"""

from __future__ import annotations

import runpy
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.errors import SetupError

ROOT = Path(__file__).resolve().parent
VENDOR: dict[str, str] = runpy.run_path(str(ROOT / "kiosk" / "http" / "assets.py"))["VENDOR"]


def bundle_web_files(target: Path) -> None:
    """templates/, static/ and each vendored browser library, copied under target."""
    sources = {name: ROOT / "node_modules" / path for name, path in VENDOR.items()}
    missing = [str(path) for path in sources.values() if not path.is_file()]
    if missing:
        raise SetupError(f"{', '.join(missing)} missing: run `npm ci` before building JobStop"
                         " (the wheel carries htmx, so the server needs no Node.js)")
    shutil.rmtree(target, ignore_errors=True)  # nothing left over from an earlier build
    for folder in ("templates", "static"):
        shutil.copytree(ROOT / folder, target / folder, ignore=shutil.ignore_patterns(".*"))
    (target / "vendor").mkdir()
    for name, source in sources.items():
        shutil.copyfile(source, target / "vendor" / name)


class BuildPyWithWebFiles(build_py):
    """build_py, then the web files into the package (not for an editable install)."""

    def run(self) -> None:
        super().run()
        if not self.editable_mode:
            bundle_web_files(Path(self.build_lib) / "kiosk" / "bundled")


setup(cmdclass={"build_py": BuildPyWithWebFiles})
