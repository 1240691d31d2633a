"""Job openings: storing, finding and closing them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from kiosk.core.clock import iso
from kiosk.core.db import Connection, Row
from kiosk.core.formatting import whole_number
from kiosk.core.regions import EMPLOYMENT_TYPES, OCCUPATIONS, REGIONS, hourly_equivalent
from kiosk.openings import search

FIELDS = (
    "source_ref", "title", "employer", "occupation", "region", "address", "employment_type",
    "wage_kind", "wage_amount", "work_hours", "work_days", "description", "how_to_apply",
    "contact_phone", "posted_on", "deadline", "status",
)
UPDATABLE = [f for f in FIELDS if f != "source_ref"]

_UPSERT = (
    f"INSERT INTO openings ({', '.join(FIELDS)}, hourly_wage, created_at, updated_at)"
    f" VALUES ({', '.join(':' + f for f in FIELDS)}, :hourly_wage, :now, :now)"
    " ON CONFLICT (source_ref) DO UPDATE SET "
    + ", ".join(f"{f} = excluded.{f}" for f in (*UPDATABLE, "hourly_wage"))
    + ", updated_at = excluded.updated_at"
    " WHERE " + " OR ".join(f"openings.{f} IS NOT excluded.{f}" for f in UPDATABLE)
    + " RETURNING id"
)


def short_code(opening_id: int) -> str:
    """The code a seeker texts back to ask about an opening: J1234."""
    return f"J{opening_id}"


def upsert_many(db: Connection, rows: Iterable[Mapping[str, Any]], now: datetime) -> list[int]:
    """Inserts openings, or updates the one with the same source_ref; returns changed ids.

    Runs inside the caller's transaction; keeps the search index in step.
    """
    stamp = iso(now)
    changed = []
    for row in rows:
        values = {"deadline": None, "status": "open", "description": "", "contact_phone": "",
                  "source_ref": None, **row}
        values["hourly_wage"] = (values.get("hourly_wage")  # given when the real monthly hours are known
                                 or hourly_equivalent(values["wage_kind"], int(values["wage_amount"])))
        values["now"] = stamp
        found = db.execute(_UPSERT, values).fetchone()
        if found:
            changed.append(found[0])
            search.reindex(db, found[0], search.document(values))
    return changed


def create(db: Connection, values: Mapping[str, Any], token: str, now: datetime) -> int:
    """Adds an opening typed in the console; the form's token is its source_ref, so sending
    the same form twice (a double click, a reload) stores one opening. Returns its id."""
    source_ref = f"console-{token}"
    upsert_many(db, [{**values, "source_ref": source_ref}], now)
    return db.execute("SELECT id FROM openings WHERE source_ref = ?", (source_ref,)).fetchone()[0]


def update(db: Connection, opening_id: int, values: Mapping[str, Any], now: datetime) -> bool:
    """Changes an opening's fields (not its source_ref or status) and its search entry."""
    fields = {k: values[k] for k in UPDATABLE if k in values and k != "status"}
    fields["hourly_wage"] = hourly_equivalent(fields["wage_kind"], int(fields["wage_amount"]))
    assignments = ", ".join(f"{column} = :{column}" for column in fields)
    row = db.execute(f"UPDATE openings SET {assignments}, updated_at = :now"  # noqa: S608 - fixed names
                     " WHERE id = :id RETURNING *", {**fields, "now": iso(now), "id": opening_id}).fetchone()
    if row is not None:
        search.reindex(db, opening_id, search.document({f: row[f] for f in search.SEARCHED_FIELDS}))
    return row is not None


def get(db: Connection, opening_id: int) -> Row | None:
    return db.execute("SELECT * FROM openings WHERE id = ?", (opening_id,)).fetchone()


def close(db: Connection, opening_id: int, now: datetime) -> bool:
    """Marks an opening filled or withdrawn; it leaves lists and search at once."""
    return db.execute("UPDATE openings SET status = 'closed', updated_at = ? WHERE id = ?"
                      " AND status = 'open'", (iso(now), opening_id)).rowcount == 1


def close_past_deadline(db: Connection, today: date, now: datetime) -> int:
    """Closes open openings whose deadline day is before today; how many."""
    return db.execute(
        "UPDATE openings SET status = 'closed', updated_at = ?"
        " WHERE status = 'open' AND deadline IS NOT NULL AND deadline < ?",
        (iso(now), today.isoformat()),
    ).rowcount


# ---- Finding open openings: the kiosk list, search and the JSON API share these. ----

SORTS = ("newest", "closing")
# A term whose rarest piece has at most this many postings: its matches are fetched in one
# statement, then counted and paged here (on a database server each statement is a round trip).
FETCH_ALL = 200
WAGE_BANDS = (11_000, 12_000, 13_000, 15_000)  # the kiosk's minimum-wage choices (per hour)
LIST_COLUMNS = ("o.id, o.title, o.employer, o.occupation, o.region, o.employment_type, o.wage_kind,"
                " o.wage_amount, o.hourly_wage, o.work_hours, o.work_days, o.posted_on, o.deadline")
_NO_DEADLINE = "'9999-12-31'"
_ORDER = {
    "newest": "o.posted_on DESC, o.id DESC",
    "closing": f"coalesce(o.deadline, {_NO_DEADLINE}), o.posted_on, o.id",
}


@dataclass(frozen=True)
class Filters:
    """What a visitor narrowed the list to; empty fields do not filter."""

    q: str = ""
    occupation: str = ""
    region: str = ""
    employment_type: str = ""
    min_wage: int = 0  # per hour; monthly wages compare by their hourly equivalent
    sort: str = "newest"


def _query(f: Filters, past: list[Row], found: search.Plan | None, *, region: str = "",
           walk: bool = False) -> tuple[str, str, list[Any]]:
    """FROM, WHERE and parameters for open openings matching f (region overrides f.region),
    leaving out those past their deadline (by id: a date range here would lure SQLite's
    planner away from the index that gives the list its order)."""
    source, clauses, params = "openings o", [], []
    if found and not walk:
        source, joined, params = search.source(found, region or f.region)
        clauses.append(joined)
    clauses.append("o.status = 'open'")
    if past:
        clauses.append(f"o.id NOT IN ({', '.join('?' * len(past))})")
        params += [r["id"] for r in past]
    for column, value in (("occupation", f.occupation), ("region", region or f.region),
                          ("employment_type", f.employment_type)):
        if value:
            clauses.append(f"o.{column} = ?")
            params.append(value)
    if f.min_wage:
        clauses.append("o.hourly_wage >= ?")
        params.append(f.min_wage)
    if found and walk:
        matched, more = search.walk_condition(found)
        clauses.append(matched)
        params += more
    return source, " AND ".join(clauses), params


def _past_deadline(db: Connection, today: date) -> list[Row]:
    """Openings still marked open whose deadline has passed: few, as expiry closes them daily."""
    return db.execute(
        "SELECT o.id, o.region, o.occupation, o.employment_type, o.hourly_wage, s.body"
        " FROM openings o LEFT JOIN opening_search_text s ON s.opening_id = o.id"
        " WHERE o.status = 'open' AND o.deadline < ?", (today.isoformat(),)).fetchall()


def _stale(past: list[Row], f: Filters, found: search.Plan | None) -> int:
    """How many of those match f: the precomputed counts include them, the list does not."""
    return sum(1 for r in past
               if all(not want or r[col] == want for col, want in (
                   ("region", f.region), ("occupation", f.occupation),
                   ("employment_type", f.employment_type)))
               and r["hourly_wage"] >= f.min_wage
               and (found is None or found.needle in (r["body"] or "")))


def _plan(db: Connection, f: Filters, region: str = "") -> search.Plan | None:
    return search.plan(db, f.q, region or f.region) if f.q else None


def _counted(f: Filters) -> tuple[str, list[Any]]:
    """Open openings by filters alone (deadlines aside), summed from open_opening_counts."""
    sql = "SELECT coalesce(sum(n), 0) FROM open_opening_counts WHERE region = ? AND wage_band >= ?"
    params: list[Any] = [f.region, f.min_wage]
    for column in ("occupation", "employment_type"):
        if getattr(f, column):
            sql += f" AND {column} = ?"
            params.append(getattr(f, column))
    return sql, params


Count = tuple[str | None, list[Any], int]  # a scalar SELECT (None: none needed), its parameters, what to add


def _count(f: Filters, found: search.Plan | None, past: list[Row]) -> Count:
    """How to count the open openings, not past their deadline, that match f."""
    if found is None and f.min_wage in (0, *WAGE_BANDS):
        return *_counted(f), -_stale(past, f, None)
    if found and found.postings == 0:  # a piece of the term no open opening has
        return None, [], 0
    if found and found.exact and not (f.occupation or f.employment_type or f.min_wage):
        if found.rare and found.region == f.region:  # counted in full while planning
            return None, [], found.postings - _stale(past, f, found)
        return *search.posting_count(found.pieces[0], f.region), -_stale(past, f, found)
    source, where, params = _query(f, past, found)
    return f"SELECT count(*) FROM {source} WHERE {where}", params, 0


def _counts(db: Connection, wanted: list[Count]) -> list[int]:
    """Each count, those that need the database in one statement (each is a round trip)."""
    asked = [(sql, params) for sql, params, _extra in wanted if sql]
    answers = iter(db.execute(f"SELECT {', '.join(f'({sql})' for sql, _params in asked)}",
                              [p for _sql, params in asked for p in params]).fetchone() if asked else ())
    return [(next(answers) if sql else 0) + extra for sql, _params, extra in wanted]


def count_open(db: Connection, f: Filters, today: date,
               found: search.Plan | None = None, past: list[Row] | None = None) -> int:
    """How many open openings, not past their deadline, match the filters."""
    found = found or _plan(db, f)
    past = _past_deadline(db, today) if past is None else past
    return _counts(db, [_count(f, found, past)])[0]


def _select(db: Connection, query: tuple[str, str, list[Any]], sort: str, limit: int,
            offset: int, *, not_region: str = "") -> list[Row]:
    source, where, params = query
    if not_region:
        where, params = f"{where} AND o.region <> ?", [*params, not_region]
    return db.execute(
        f"SELECT {LIST_COLUMNS} FROM {source} WHERE {where} ORDER BY {_ORDER[sort]}"
        " LIMIT ? OFFSET ?", [*params, limit, offset]).fetchall()


def find_open(db: Connection, f: Filters, today: date, *, limit: int, offset: int = 0,
              home_region: str = "") -> tuple[int, list[Row]]:
    """The total and one page of matching open openings, the kiosk's own region first."""
    # The term's lookup for the kiosk's own region is counted with the rest: one statement.
    home_first = bool(home_region and not f.region)
    found, home_found = (search.plans(db, f.q, ("", home_region)) if f.q and home_first
                         else (_plan(db, f), None))
    past = _past_deadline(db, today)
    sort = f.sort if f.sort in _ORDER else "newest"
    if found and 0 < found.postings <= FETCH_ALL:  # every match at once (as many as the postings at most)
        rows = _select(db, _query(f, past, found), sort, FETCH_ALL, 0)
        rows.sort(key=lambda row: home_first and row["region"] != home_region)  # stable: in order within
        return len(rows), rows[offset:offset + limit]
    home = replace(f, region=home_region)
    total, *at = _counts(db, [_count(f, found, past), *([_count(home, home_found, past)] if home_first else [])])
    if total == 0 or offset >= total:
        return total, []
    if not home_first:
        return total, _select(db, _query(f, past, found, walk=_walk(found)), sort, limit, offset)
    # Two ordered runs (home region, then the rest) page faster than one ORDER BY region = ?.
    at_home = at[0]
    rows: list[Row] = []
    if offset < at_home:
        rows = _select(db, _query(f, past, home_found, region=home_region, walk=_walk(home_found)),
                       sort, limit, offset)
    if len(rows) < limit:
        rows += _select(db, _query(f, past, found, walk=_walk(found)), sort, limit - len(rows),
                        max(0, offset - at_home), not_region=home_region)
    return total, rows


def _walk(found: search.Plan | None) -> bool:
    """A common term is checked opening by opening in display order, so a page fills after a
    few hundred; a rare one starts from its few postings."""
    return bool(found and not found.rare)


def filters_from_args(args: Mapping[str, str]) -> tuple[Filters, list[str]]:
    """Filters from query parameters, and the names of those that were not valid."""
    values: dict[str, Any] = {}
    bad: list[str] = []
    q = " ".join(str(args.get("q", "")).split())
    if len(q) > search.MAX_TERM:
        bad.append("q")
    else:
        values["q"] = q
    for name, allowed in (("occupation", OCCUPATIONS), ("region", REGIONS),
                          ("employment_type", EMPLOYMENT_TYPES), ("sort", SORTS)):
        value = args.get(name, "")
        if value in allowed:
            values[name] = value
        elif value:
            bad.append(name)
    wage = whole_number(str(args.get("min_wage", "") or "0"))
    if wage is not None and wage <= 1_000_000:
        values["min_wage"] = wage
    else:
        bad.append("min_wage")
    return Filters(**values), bad


def as_args(f: Filters) -> dict[str, str | int]:
    """The query parameters that give these filters back (empty ones left out)."""
    args = {name: getattr(f, name) for name in ("q", "occupation", "region", "employment_type",
                                                "min_wage", "sort")}
    return {k: v for k, v in args.items() if v and not (k == "sort" and v == "newest")}
