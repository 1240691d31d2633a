"""The layout's rules: import-linter's contracts, imports at the top, a foundation without Flask, short modules.

The contracts themselves (layers, no cycles, ...) are in pyproject.toml under [tool.importlinter].
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

from kiosk.core.config import DEFAULTS

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("kiosk", "sms", "scheduler")
FOUNDATION = ("kiosk/core", "sms/outbound")
WEB_LIBRARIES = ("flask", "werkzeug", "jinja2")
MAX_LINES = 300

# (module, our module it imports inside a function or class) -> why it cannot be imported at
# the top. Empty: each such import so far hid an upward dependency, and the code moved instead.
INNER_IMPORTS_ALLOWED: dict[tuple[str, str], str] = {}


def python_files(*folders: str) -> list[Path]:
    return sorted(path for folder in folders for path in (ROOT / folder).rglob("*.py"))


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def run(*command: str) -> subprocess.CompletedProcess[str]:
    """A command in a fresh process at the checkout's root, importing this checkout first."""
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": path})


def test_import_contracts_are_kept():
    linter = Path(sys.executable).with_name("lint-imports")
    assert linter.exists(), "import-linter is missing: pip install -e '.[test]'"
    result = run(str(linter), "pyproject.toml", "--no-cache", "--no-logo")
    assert result.returncode == 0, result.stdout + result.stderr


def children(package: str) -> set[str]:
    """The modules and packages directly inside a package."""
    return {f"{package}.{child.stem}" for child in (ROOT / package).iterdir()
            if (child.suffix == ".py" and child.stem != "__init__") or (child / "__init__.py").exists()}


def test_every_part_has_a_layer():
    """A module or package new under kiosk/ or sms/ is placed in the layers, or nothing would check it."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    [layers] = [c["layers"] for c in config["tool"]["importlinter"]["contracts"] if c["id"] == "layers"]
    placed = {name.strip() for layer in layers for name in layer.split("|")}
    assert (children("kiosk") | children("sms") | {"scheduler"}) - placed == set()


def inner_imports(source: str) -> set[tuple[int, str]]:
    """(line, module) of each import of our own modules inside a function or class body."""
    found = set()
    for scope in ast.walk(ast.parse(source)):
        if not isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            continue
        for node in ast.walk(scope):
            if isinstance(node, ast.Import):
                found |= {(node.lineno, a.name) for a in node.names if a.name.split(".")[0] in PACKAGES}
            elif isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").split(".")[0] in PACKAGES):
                found.add((node.lineno, "." * node.level + (node.module or "")))
    return found


def test_inner_imports_are_found():
    source = ("import kiosk.core.db\n\ndef f():\n    import sms.outbound.outbox\n    import json\n"
              "    class C:\n        from scheduler import jobs\n    return lambda: __import__('os')\n\n"
              "class D:\n    def g(self):\n        from . import sibling\n")
    assert inner_imports(source) == {(4, "sms.outbound.outbox"), (7, "scheduler"), (12, ".")}


def test_own_modules_are_imported_at_the_top():
    found = [f"{module_name(path)}:{line} imports {imported}"
             for path in python_files(*PACKAGES)
             for line, imported in sorted(inner_imports(path.read_text(encoding="utf-8")))
             if (module_name(path), imported) not in INNER_IMPORTS_ALLOWED]
    assert not found, "import these at the top, moving code to the layer it belongs to:\n" + "\n".join(found)


PROBE = """
import importlib, json, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
"""


def web_libraries_loaded_by(modules: list[str]) -> list[str]:
    """Which of Flask, Werkzeug and Jinja are in sys.modules after importing `modules` afresh."""
    result = run(sys.executable, "-c", PROBE, *modules)
    assert result.returncode == 0, result.stderr
    return sorted(set(json.loads(result.stdout)) & set(WEB_LIBRARIES))


def test_the_foundation_loads_no_flask():
    modules = [module_name(path) for path in python_files(*FOUNDATION)]
    assert "kiosk.core.db" in modules and "sms.outbound.outbox" in modules
    assert web_libraries_loaded_by(modules) == []


def test_the_probe_sees_flask_when_it_is_loaded():
    assert web_libraries_loaded_by(["kiosk.http.db"]) == ["flask", "jinja2", "werkzeug"]


def test_modules_stay_short():
    lengths = {str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
               for path in python_files(*PACKAGES)}
    long = [f"{path}: {lines} lines" for path, lines in lengths.items() if lines > MAX_LINES]
    assert not long, f"split these along a seam (at most {MAX_LINES} lines):\n" + "\n".join(long)


def second_defaults(tree: ast.AST, settings: set[str]) -> list[str]:
    """`….get("SETTING", fallback)` calls: a second copy of a default that config.py holds."""
    return [f"line {node.lineno}: {node.args[0].value}" for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get"
            and len(node.args) == 2 and isinstance(node.args[0], ast.Constant) and node.args[0].value in settings]


def test_defaults_live_only_in_config():
    found = {str(path.relative_to(ROOT)): second_defaults(ast.parse(path.read_text(encoding="utf-8")), set(DEFAULTS))
             for path in python_files(*PACKAGES) if path != ROOT / "kiosk/core/config.py"}
    assert {path: calls for path, calls in found.items() if calls} == {}


def test_a_second_default_is_noticed():
    tree = ast.parse('timeout = config.get("SMS_HTTP_TIMEOUT", 10.0)\nname = row.get("name", "")')
    assert second_defaults(tree, {"SMS_HTTP_TIMEOUT"}) == ["line 1: SMS_HTTP_TIMEOUT"]
