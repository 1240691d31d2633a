"""Where the app finds its templates, static files and browser libraries.

A checkout (or an editable install) has them at its top: templates/, static/ and the htmx
that npm installs into node_modules/. A wheel carries copies inside the package instead
(kiosk/bundled/, written by setup.py at build time), so an installed server needs neither
the checkout nor Node.js. This module imports nothing of ours: setup.py reads VENDOR from it.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
BUNDLED = PACKAGE / "bundled"
CHECKOUT = PACKAGE.parent

# The public name a page asks for at /vendor/<name> → the file inside node_modules.
VENDOR = {
    "htmx.min.js": "htmx.org/dist/htmx.min.js",
}


def _home() -> Path:
    """The installed package's copies when it has them, else the checkout's top."""
    return BUNDLED if BUNDLED.is_dir() else CHECKOUT


def templates() -> Path:
    return _home() / "templates"


def static() -> Path:
    return _home() / "static"


def vendor_file(name: str) -> Path:
    """The file served as /vendor/<name> (a name from VENDOR)."""
    if BUNDLED.is_dir():
        return BUNDLED / "vendor" / name
    return CHECKOUT / "node_modules" / VENDOR[name]
