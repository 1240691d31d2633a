"""Korean keyword search returns exactly what a full substring scan returns."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import pytest

from kiosk.core import db
from kiosk.core.clock import FrozenClock
from kiosk.openings import search
from kiosk.openings import store as openings

TODAY = date(2026, 11, 23)  # the conftest clock's day in Seoul
EVERYTHING = 100_000


def scan_text(row) -> str:
    """The reference: the four searched fields, normalized the obvious way, one per line."""
    def norm(text: str) -> str:
        return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text or "").lower()).strip()

    return "\n".join(norm(row[f]) for f in ("title", "employer", "address", "description"))


def listed(row) -> bool:
    return row["status"] == "open" and (row["deadline"] is None or row["deadline"] >= TODAY.isoformat())


def scan(conn, term: str, region: str = "", texts: dict | None = None) -> set[int]:
    """Ids of listed openings whose text contains term: a plain Python substring test."""
    needle = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", term).lower()).strip()
    texts = texts or listed_texts(conn)
    return {i for i, (text, where) in texts.items()
            if needle in text and (not region or where == region)}


def listed_texts(conn) -> dict[int, tuple[str, str]]:
    return {r["id"]: (scan_text(r), r["region"]) for r in conn.execute("SELECT * FROM openings")
            if listed(r)}


def found(conn, term: str, region: str = "", home: str = "") -> tuple[int, set[int]]:
    f = openings.Filters(q=term, region=region)
    total, rows = openings.find_open(conn, f, TODAY, limit=EVERYTHING, home_region=home)
    assert len(rows) == len({r["id"] for r in rows}), "an opening listed twice"
    return total, {r["id"] for r in rows}


def terms_from_demo(conn) -> list[str]:
    """Every 2-character piece of every title, 3- to 5-character windows, and whole words."""
    titles = {r[0] for r in conn.execute("SELECT title FROM openings")}
    terms: set[str] = set()
    for title in titles:
        for size in (2, 3, 5):
            terms.update(title[i:i + size] for i in range(len(title) - size + 1))
        terms.update(title.split())
    return sorted(terms)


SPECIAL = [
    "경비", "용접", "요양보호사", "방문요양보호사", "보호사", "청소", "경비원", "아파트 경비원",
    "CNC", "cnc", "ＣＮＣ", "co2 용접", "  경비   및  순찰 ", "(격주", "4대보험", "D-", "경", "원", "a",
    "우주비행사", "수원시 ", "경기도 수원시", "해오름", "큰나무", "모집합니다.", "55세 이상 우대",
    "호", "x y", "%", "_", "'", "\"", "경비_", "경%",
]


@pytest.mark.parametrize("fetch_all", [openings.FETCH_ALL, 0], ids=["rare-fetched-at-once", "all-counted"])
@pytest.mark.parametrize("home", ["", "41110"])
def test_every_demo_term_finds_what_a_substring_scan_finds(conn, monkeypatch, fetch_all, home):
    monkeypatch.setattr(openings, "FETCH_ALL", fetch_all)
    terms = terms_from_demo(conn) + SPECIAL
    assert len(terms) > 500
    texts = listed_texts(conn)
    for term in terms:
        expected = scan(conn, term, texts=texts)
        total, ids = found(conn, term, home=home)
        assert ids == expected, term
        assert total == len(expected), term


@pytest.mark.parametrize("term", ["경비", "용접", "요양보호사", "해오름", "원", "CNC", "우주비행사"])
@pytest.mark.parametrize("region", ["41110", "11140", "41800"])
def test_search_within_a_region_matches_the_scan(conn, term, region):
    expected = scan(conn, term, region)
    total, ids = found(conn, term, region=region)
    assert (total, ids) == (len(expected), expected)


def test_two_character_terms_and_compounds_are_found(conn):
    assert found(conn, "경비")[0] > 50
    assert found(conn, "용접")[0] > 10
    compound = found(conn, "방문요양보호사")[1]
    assert compound and compound <= found(conn, "요양보호사")[1]


def test_home_region_comes_first_and_pages_do_not_overlap(conn):
    f = openings.Filters(q="경비")
    total, first = openings.find_open(conn, f, TODAY, limit=20, home_region="41110")
    home = [r for r in first if r["region"] == "41110"]
    assert first[:len(home)] == home and len(home) == min(20, len(scan(conn, "경비", "41110")))
    seen: list[int] = []
    for offset in range(0, total, 20):
        seen += [r["id"] for r in openings.find_open(conn, f, TODAY, limit=20, offset=offset,
                                                     home_region="41110")[1]]
    assert len(seen) == len(set(seen)) == total
    regions = [conn.execute("SELECT region FROM openings WHERE id = ?", (i,)).fetchone()[0] for i in seen]
    at_home = regions.count("41110")
    assert set(regions[:at_home]) == {"41110"} and "41110" not in regions[at_home:]


def test_index_follows_updates_closing_reopening_moving_and_deleting(conn):
    now = FrozenClock("2026-11-23T01:00:00Z").now()
    row = dict(conn.execute("SELECT * FROM openings WHERE status = 'open' AND deadline IS NULL"
                            " LIMIT 1").fetchone())
    fields = {k: row[k] for k in openings.FIELDS}
    with db.transaction(conn):
        openings.upsert_many(conn, [{**fields, "title": "드론 촬영 기사"}], now)
    assert found(conn, "드론")[1] == {row["id"]}
    assert found(conn, row["title"])[1] == scan(conn, row["title"])  # the old title's postings went
    with db.transaction(conn):
        openings.close(conn, row["id"], now)
    assert found(conn, "드론") == (0, set())
    conn.execute("UPDATE openings SET status = 'open', region = '11110' WHERE id = ?", (row["id"],))
    assert found(conn, "드론", region="11110") == (1, {row["id"]})
    assert found(conn, "드론", region=row["region"])[0] == (1 if row["region"] == "11110" else 0)
    conn.execute("DELETE FROM openings WHERE id = ?", (row["id"],))
    assert found(conn, "드론") == (0, set())
    assert conn.execute("SELECT count(*) FROM opening_grams WHERE opening_id = ?",
                        (row["id"],)).fetchone()[0] == 0


def test_an_opening_past_its_deadline_leaves_the_list_before_expiry_closes_it(conn):
    victim = conn.execute("SELECT id, region FROM openings WHERE status = 'open' AND title LIKE '%경비%'"
                          " LIMIT 1").fetchone()
    before = found(conn, "경비")
    list_before = openings.count_open(conn, openings.Filters(), TODAY)
    conn.execute("UPDATE openings SET deadline = '2026-11-22' WHERE id = ?", (victim["id"],))
    assert found(conn, "경비") == (before[0] - 1, before[1] - {victim["id"]})
    assert openings.count_open(conn, openings.Filters(), TODAY) == list_before - 1
    assert openings.count_open(conn, openings.Filters(region=victim["region"]), TODAY) == len(
        [r for r in conn.execute("SELECT * FROM openings WHERE region = ?", (victim["region"],))
         if listed(r)])


def test_normalize_and_grams():
    assert search.normalize("  ＣＮＣ   가공원\n") == "cnc 가공원"
    assert search.grams("아파트 경비원") == {"아파", "파트", "경비", "비원"}
    assert search.grams("경") == set()


@pytest.mark.parametrize("filters", [
    openings.Filters(), openings.Filters(sort="closing"), openings.Filters(q="경비"),
    openings.Filters(occupation="care", min_wage=12_000),
])
@pytest.mark.sqlite_only
def test_sqlite_list_pages_follow_an_index_without_sorting_everything(conn, filters):
    """SQLite's plans: no statistics (a fresh install never ran ANALYZE): pages still walk an ordering index."""
    assert conn.execute("SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_stat1'").fetchone()[0] == 0
    seen: list[str] = []
    conn.set_trace_callback(seen.append)
    openings.find_open(conn, filters, TODAY, limit=20, home_region="41110")
    conn.set_trace_callback(None)
    pages = [sql for sql in seen if sql.startswith("SELECT o.id, o.title")]
    assert pages
    for sql in pages:
        plan = " | ".join(r[3] for r in conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
        hits = "hits" in sql  # a rare term starts from its few postings and sorts those
        assert hits or "TEMP B-TREE" not in plan, plan


@pytest.mark.parametrize("sort", ["newest", "closing"])
def test_a_rare_terms_matches_fetched_at_once_page_as_the_counted_ones_do(conn, monkeypatch, sort):
    for term in ("해오름", "용접", "보호사", "경비"):
        f = openings.Filters(q=term, sort=sort)

        def pages(f=f):
            return [(total, [tuple(r) for r in rows]) for total, rows in (
                openings.find_open(conn, f, TODAY, limit=7, offset=offset, home_region="41110")
                for offset in range(0, 63, 7))]

        monkeypatch.setattr(openings, "FETCH_ALL", 10**6)
        at_once = pages()
        monkeypatch.setattr(openings, "FETCH_ALL", 0)
        assert pages() == at_once, term
        assert sum(len(rows) for _total, rows in at_once) == min(63, at_once[0][0]) > 7, term
