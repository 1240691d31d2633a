"""One home per table: every table is written by exactly one module of kiosk/, sms/, scheduler/.

Reads every SQL string of the code (see source_helpers.strings), finds the tables each
statement writes, and fails when a table is written from two modules, or named by a value
(then no one can tell which it is). Other modules call the owner's named functions.
Migrations (.sql files) and tests are out of scope.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict

from source_helpers import VALUE, module_name, parse, python_files, strings

TABLE = r"(\w+|\{\})"
WRITES = re.compile(
    rf"\bINSERT\s+(?:OR\s+\w+\s+)?INTO\s+{TABLE}"
    rf"|\bREPLACE\s+INTO\s+{TABLE}"
    rf"|(?<!\bDO\s)\bUPDATE\s+(?:OR\s+\w+\s+)?{TABLE}\s+SET\b"
    rf"|\bDELETE\s+FROM\s+{TABLE}",
    re.IGNORECASE,
)


def tables_written(sql: str) -> set[str]:
    return {next(name for name in match.groups() if name).lower() for match in WRITES.finditer(sql)}


def writers() -> dict[str, set[str]]:
    """table -> the modules that write it."""
    found: dict[str, set[str]] = defaultdict(set)
    for path in python_files():
        for text in strings(parse(path)):
            for table in tables_written(text):
                found[table].add(module_name(path))
    return found


def test_the_reader_finds_every_kind_of_write():
    sql = ("INSERT OR IGNORE INTO a (x) VALUES (?); REPLACE INTO b VALUES (1);"
           " UPDATE c SET x = 1; DELETE FROM d; INSERT INTO e (x) VALUES (1)"
           " ON CONFLICT (x) DO UPDATE SET x = excluded.x; update f set y = 2")
    assert tables_written(sql) == {"a", "b", "c", "d", "e", "f"}
    source = ('"""UPDATE h SET x = 1"""\n'
              'f"UPDATE {table} SET x = 1; " "DELETE FROM g WHERE id IN ({marks})"')
    assert [tables_written(text) for text in strings(ast.parse(source))] == [{VALUE, "g"}]


def test_each_table_is_written_by_one_module():
    found = writers()
    assert found["web_sessions"] == {"kiosk.http.sessions"} and found["sms_messages"] == {"sms.outbound.outbox"}
    assert len(found) >= 20, sorted(found)  # the reader saw the code, not an empty folder
    assert VALUE not in found, f"a table named by a value is written in {sorted(found[VALUE])}"
    shared = {table: sorted(modules) for table, modules in found.items() if len(modules) > 1}
    report = "\n".join(f"{table}: {', '.join(modules)}" for table, modules in sorted(shared.items()))
    assert not shared, f"tables written from more than one module:\n{report}"
