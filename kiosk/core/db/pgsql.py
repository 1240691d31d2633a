"""JobStop's SQL as PostgreSQL reads it: placeholders and the helpers' SQLite forms rewritten.

Statements are written once, with `?` or `:name` parameters, and the SQL shared by both
engines; kiosk.core.db's helpers (in_list, list_rows, contains, comma_joined) write what
SQLite spells its own way. translate() turns such a statement into PostgreSQL's once per
statement text (cached); migration_sql() does the same for a shared migration file, by the
rules in docs/architecture.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

LIST = "\x00L"  # a placeholder whose parameter is a JSON list (list_param) bound as an array

_IN_LIST = re.compile(r"(\bNOT\s+)?\bIN\s*\(\s*SELECT\s+value\s+FROM\s+json_each\(\?\)\s*\)", re.I)
_LIST_ROWS = re.compile(r"\bjson_each\(\?\)\s+(?:AS\s+)?(\w+)", re.I)
_LIST_BARE = re.compile(r"\bjson_each\(\?\)", re.I)
_INSTR = re.compile(r"\binstr\s*\(", re.I)
_GROUP_CONCAT = re.compile(r"\bgroup_concat\s*\(", re.I)
_IS_NOT = re.compile(r"\bIS\s+NOT\s+(?!NULL\b|TRUE\b|FALSE\b|DISTINCT\b)", re.I)
_IS = re.compile(r"\bIS\s+(?!NOT\b|NULL\b|TRUE\b|FALSE\b|DISTINCT\b)", re.I)
_UNARY_PLUS = re.compile(r"\b(AND|OR|WHERE|ON|BY)(\s+)\+(?=[A-Za-z_])", re.I)  # SQLite's "+col": no index
_QUOTED = re.compile(r"'(?:[^']|'')*'|--[^\n]*")
_KEPT = re.compile("\x01(\\d+)\x01")


@dataclass(frozen=True)
class Statement:
    text: str
    lists: tuple[int, ...]  # positions of the `?` parameters that carry a list
    named: bool
    numbered: bool = False  # ?1, ?2 ...: bound as p1, p2 ...

    def bind(self, params: Sequence[Any] | Mapping[str, Any] | None) -> Any:  # noqa: ANN401
        """The parameters as psycopg takes them: JSON lists decoded into arrays, NUL replaced."""
        if params is None:  # () still has psycopg read the text's %% as the % it stands for
            return ()
        if self.named:
            return {key: _text(value) for key, value in params.items()}
        bound = [_text(value) for value in params]
        for position in self.lists:
            bound[position] = json.loads(bound[position])
        if self.numbered:
            return {f"p{position}": value for position, value in enumerate(bound, 1)}
        return bound


def _text(value: Any) -> Any:  # noqa: ANN401 - any parameter
    """PostgreSQL's text cannot hold NUL (SQLite's can): a NUL a stranger sent is kept as U+FFFD."""
    return value.replace("\x00", "\ufffd") if isinstance(value, str) and "\x00" in value else value


@lru_cache(maxsize=4096)
def translate(sql: str) -> Statement:
    """The PostgreSQL form of one of JobStop's statements."""
    text, literals = _set_aside(sql)
    text = _IN_LIST.sub(lambda m: f"<> ALL({LIST})" if m.group(1) else f"= ANY({LIST})", text)
    text = _LIST_ROWS.sub(lambda m: f"unnest({LIST}) WITH ORDINALITY AS {m.group(1)}(value, key)", text)
    text = _LIST_BARE.sub(f"unnest({LIST}) AS json_each(value)", text)
    text = _rewrite_functions(text).replace("/* FOR UPDATE SKIP LOCKED */", "FOR UPDATE SKIP LOCKED")
    return _placeholders(_put_back(text, literals))


def _set_aside(sql: str) -> tuple[str, list[str]]:
    """The statement with its string literals and comments replaced by markers (and them)."""
    literals: list[str] = []

    def keep(found: re.Match[str]) -> str:
        literals.append(found.group(0))
        return f"\x01{len(literals) - 1}\x01"

    return _QUOTED.sub(keep, sql), literals


def _put_back(text: str, literals: list[str]) -> str:
    return _KEPT.sub(lambda found: literals[int(found.group(1))], text)


def rewrite_functions(sql: str) -> str:
    """SQLite's spellings outside string literals (instr, group_concat, `a IS b`) as PostgreSQL's."""
    text, literals = _set_aside(sql)
    return _put_back(_rewrite_functions(text), literals)


def _rewrite_functions(text: str) -> str:
    text = _UNARY_PLUS.sub(r"\1\2", text)
    text = _IS_NOT.sub("IS DISTINCT FROM ", text)
    text = _IS.sub("IS NOT DISTINCT FROM ", text)
    text = _INSTR.sub("strpos(", text)
    while (found := _GROUP_CONCAT.search(text)) is not None:
        end = _closing(text, found.end())
        inner = text[found.end():end]
        text = f"{text[:found.start()]}string_agg(({inner})::text, ','){text[end + 1:]}"
    return text


def _closing(text: str, start: int) -> int:
    """The index of the parenthesis closing the one just before start."""
    depth = 1
    for index in range(start, len(text)):
        if text[index] == "(":
            depth += 1
        elif text[index] == ")":
            depth -= 1
            if depth == 0:
                return index
    raise ValueError(f"unbalanced parentheses in {text!r}")


def _placeholders(text: str) -> Statement:
    """`?` and `:name` as psycopg's %s and %(name)s; a literal % doubled; quotes left alone."""
    out: list[str] = []
    lists: list[int] = []
    count = 0
    named = numbered = False
    index = 0
    while index < len(text):
        char = text[index]
        if text.startswith("--", index):
            end = text.find("\n", index)
            end = len(text) if end < 0 else end
            out.append(text[index:end].replace("%", "%%"))
            index = end
            continue
        if char in "'\"":
            end = text.index(char, index + 1)
            while text.startswith(char, end + 1):  # a doubled quote inside the literal
                end = text.index(char, end + 2)
            out.append(text[index:end + 1].replace("%", "%%"))
            index = end + 1
            continue
        if text.startswith(LIST, index):
            lists.append(count)
            count += 1
            out.append("%s")
            index += len(LIST)
            continue
        if char == "?" and text[index + 1:index + 2].isdigit():  # ?NNN: SQLite's numbered parameter
            number = re.match(r"\d+", text[index + 1:]).group(0)
            out.append(f"%(p{number})s")
            numbered = True
            index += 1 + len(number)
            continue
        if char == "?":
            count += 1
            out.append("%s")
        elif char == "%":
            out.append("%%")
        elif text.startswith("::", index):
            out.append("::")
            index += 2
            continue
        elif char == ":" and index + 1 < len(text) and (text[index + 1].isalpha() or text[index + 1] == "_"):
            name = re.match(r"\w+", text[index + 1:]).group(0)
            out.append(f"%({name})s")
            named = True
            index += 1 + len(name)
            continue
        else:
            out.append(char)
        index += 1
    return Statement("".join(out), tuple(lists), named, numbered)


# ---- migrations: a shared file read as PostgreSQL ----

_AUTO_ID = re.compile(r"\bINTEGER\s+PRIMARY\s+KEY\b(?![^,\n]*\bREFERENCES\b)", re.I)
_INTEGER = re.compile(r"\bINTEGER\b", re.I)
_WITHOUT_ROWID = re.compile(r"\)\s*WITHOUT\s+ROWID\s*;", re.I)
_GLOB = re.compile(r"\bGLOB\s+'([^']*)'", re.I)


def _glob_as_regex(pattern: str) -> str:
    """A GLOB pattern ('[0-2][0-9]:[0-5][0-9]') as an anchored POSIX regular expression."""
    out = []
    for part in re.split(r"(\[[^\]]*\])", pattern):
        if part.startswith("["):
            out.append(part)
        else:
            out.append(re.escape(part).replace(r"\*", ".*").replace(r"\?", "."))
    return "^" + "".join(out) + "$"


def migration_sql(sql: str) -> str:
    """A shared migration as PostgreSQL runs it (the rules in docs/architecture.md)."""
    text = _AUTO_ID.sub("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", sql)
    text = _INTEGER.sub("BIGINT", text)
    text = _WITHOUT_ROWID.sub(");", text)
    text = _GLOB.sub(lambda m: f"~ '{_glob_as_regex(m.group(1))}'", text)
    return rewrite_functions(text)
