"""Reading JobStop's own source for the tests that check its rules (one writer per table, SQL portability)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("kiosk", "sms", "scheduler")
VALUE = "{}"  # where an f-string's value stands in its literal text


def python_files() -> Iterator[Path]:
    """Every module of the application packages (tests and bench/ are not among them)."""
    for package in PACKAGES:
        yield from sorted((ROOT / package).rglob("*.py"))


def relative(path: Path) -> str:
    """kiosk/core/db.py for that module's path."""
    return path.relative_to(ROOT).as_posix()


def module_name(path: Path) -> str:
    """kiosk.core.db for that module's path."""
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the docstring nodes: prose about SQL is not SQL."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _literal_text(node: ast.JoinedStr) -> str:
    """An f-string's literal parts, each interpolated value standing as VALUE."""
    return "".join(value.value if isinstance(value, ast.Constant) else VALUE for value in node.values)


def strings(tree: ast.AST) -> Iterator[str]:
    """Every string literal of a module but its docstrings; implicitly concatenated pieces come
    joined (the parser joins them), f-strings as their literal text."""
    skip = _docstrings(tree)
    skip.update(id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)
                for part in ast.walk(node) if part is not node)
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.JoinedStr):
            yield _literal_text(node)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
