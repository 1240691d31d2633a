"""One home per table: every table is written by exactly one module of kiosk/, sms/, scheduler/.

Reads every string literal of the code (implicitly concatenated pieces arrive joined; an
f-string's literal parts are joined with {} where each value goes), finds the tables an SQL
statement writes, and fails when a table is written from two modules, or named by a value
(then no one can tell which it is). Other modules call the owner's named functions.
Migrations (.sql files) and tests are out of scope.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("kiosk", "sms", "scheduler")

VALUE = "{}"  # where an f-string puts a value
TABLE = r"(\w+|\{\})"
WRITES = re.compile(
    rf"\bINSERT\s+(?:OR\s+\w+\s+)?INTO\s+{TABLE}"
    rf"|\bREPLACE\s+INTO\s+{TABLE}"
    rf"|(?<!\bDO\s)\bUPDATE\s+(?:OR\s+\w+\s+)?{TABLE}\s+SET\b"
    rf"|\bDELETE\s+FROM\s+{TABLE}",
    re.IGNORECASE,
)


def python_files() -> Iterator[Path]:
    for package in PACKAGES:
        yield from sorted((ROOT / package).rglob("*.py"))


def docstrings(tree: ast.AST) -> set[int]:
    """ids of the docstring nodes: prose about SQL is not SQL."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def literal_text(node: ast.JoinedStr) -> str:
    """An f-string's literal parts, each interpolated value standing as {}."""
    return "".join(value.value if isinstance(value, ast.Constant) else VALUE for value in node.values)


def strings(source: str) -> Iterator[str]:
    """Every string literal of a module except docstrings; f-strings as their literal text."""
    tree = ast.parse(source)
    skip = docstrings(tree)
    inside_fstrings = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)
                       for part in ast.walk(node) if part is not node}
    for node in ast.walk(tree):
        if id(node) in skip or id(node) in inside_fstrings:
            continue
        if isinstance(node, ast.JoinedStr):
            yield literal_text(node)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value


def tables_written(sql: str) -> set[str]:
    return {next(name for name in match.groups() if name).lower() for match in WRITES.finditer(sql)}


def writers() -> dict[str, set[str]]:
    """table -> the modules that write it."""
    found: dict[str, set[str]] = defaultdict(set)
    for path in python_files():
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for text in strings(path.read_text(encoding="utf-8")):
            for table in tables_written(text):
                found[table].add(module)
    return found


def test_the_reader_finds_every_kind_of_write():
    sql = ("INSERT OR IGNORE INTO a (x) VALUES (?); REPLACE INTO b VALUES (1);"
           " UPDATE c SET x = 1; DELETE FROM d; INSERT INTO e (x) VALUES (1)"
           " ON CONFLICT (x) DO UPDATE SET x = excluded.x; update f set y = 2")
    assert tables_written(sql) == {"a", "b", "c", "d", "e", "f"}
    fstring = 'f"UPDATE {table} SET x = 1; " "DELETE FROM g WHERE id IN ({marks})"'
    assert [tables_written(text) for text in strings(fstring)] == [{VALUE, "g"}]
    assert [tables_written(text) for text in strings('"""UPDATE h SET x = 1"""')] == []  # a docstring


def test_each_table_is_written_by_one_module():
    found = writers()
    assert VALUE not in found, f"a table named by a value is written in {sorted(found[VALUE])}"
    shared = {table: sorted(modules) for table, modules in found.items() if len(modules) > 1}
    report = "\n".join(f"{table}: {', '.join(modules)}" for table, modules in sorted(shared.items()))
    assert not shared, f"tables written from more than one module:\n{report}"
