"""The engines in one place: only kiosk/core/db/ imports sqlite3 or writes SQL only SQLite speaks.

Every other module of kiosk/, sms/, scheduler/ types against kiosk.core.db's names
(Connection, Row, Error, IntegrityError, ...) and builds what each engine writes its own way
with its helpers (in_list, list_rows, contains, comma_joined, use_cache, tuple_cursor,
rollback_if_open, is_busy, data_version; RETURNING id instead of lastrowid; INSERT ...
ON CONFLICT instead of INSERT OR IGNORE / REPLACE), so running on PostgreSQL replaces one
module. kiosk/openings/search.py stays SQLite-specific by design (its index is kept by SQLite
triggers), but through these helpers, so it needs no entry below. Tests and bench/ may use
sqlite3 directly.
"""

from __future__ import annotations

import ast
import re

from source_helpers import parse, python_files, relative, strings

# the database package: each engine's own names and SQL live there
ALLOWED = {f"kiosk/core/db/{name}.py" for name in ("__init__", "sqlite", "postgres", "pgsql", "migrator", "move")}
SQLITE_SQL = {
    "json_each": r"\bjson_(?:each|tree)\s*\(",
    "PRAGMA": r"\bPRAGMA\b",
    "data_version": r"\bdata_version\b",
    "INSERT OR ...": r"\bINSERT\s+OR\s+\w+",
    "REPLACE INTO": r"\bREPLACE\s+INTO\b",
    "group_concat": r"\bgroup_concat\s*\(",
    "instr": r"\binstr\s*\(",
    "rowid": r"\b(?:last_insert_)?rowid\b",
    "sqlite_master": r"\bsqlite_(?:master|schema|sequence)\b",
}
SQLITE_ATTRIBUTES = {"lastrowid", "executescript", "total_changes", "in_transaction", "row_factory",
                     "sqlite_errorcode"}


def sqlite_only(tree: ast.AST) -> list[str]:
    """What in a module is SQLite's own: imports of sqlite3, its SQL, its connection attributes."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [f"import {a.name}" for a in node.names if a.name.split(".")[0] == "sqlite3"]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "sqlite3":
            found.append(f"from {node.module} import")
        elif isinstance(node, ast.Attribute) and node.attr in SQLITE_ATTRIBUTES:
            found.append(f".{node.attr}")
    for text in strings(tree):
        found += [name for name, pattern in SQLITE_SQL.items() if re.search(pattern, text, re.IGNORECASE)]
    return found


def test_the_checker_finds_each_construct():
    source = '''
import sqlite3
from sqlite3 import Row
db.execute("PRAGMA cache_size = -1000").lastrowid
db.executescript(f"SELECT group_concat(x) FROM t WHERE id IN (SELECT value FROM json_each({ids}))")
db.execute("INSERT OR IGNORE INTO t VALUES (1)"); db.in_transaction
sql = "SELECT rowid FROM t WHERE instr(name, ?) > 0"
'''
    assert sorted(sqlite_only(ast.parse(source))) == sorted([
        "import sqlite3", "from sqlite3 import", ".lastrowid", ".executescript", ".in_transaction",
        "PRAGMA", "json_each", "group_concat", "INSERT OR ...", "rowid", "instr"])
    assert sqlite_only(ast.parse('"""Reads PRAGMA data_version, as json_each does."""')) == []


def test_only_the_database_module_knows_it_is_sqlite():
    found = {relative(path): sqlite_only(parse(path)) for path in python_files()}
    offenders = {module: sorted(set(what)) for module, what in found.items() if what and module not in ALLOWED}
    report = "\n".join(f"{module}: {', '.join(what)}" for module, what in sorted(offenders.items()))
    assert not offenders, f"SQLite's own names or SQL outside kiosk/core/db/:\n{report}"
    assert set(found) >= ALLOWED and found["kiosk/core/db/sqlite.py"]  # the checker does see the database module
