"""Re-matching changed openings: every pair at most once ever, the same as a plain scan of the raw rows."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from scheduler_helpers import add_seeker, opening, post

from kiosk.alerts import pairs as matching
from kiosk.core import db
from kiosk.seekers import store as seekers
from scheduler import match
from sms.outbound import optout

OCCUPATIONS = ("security", "care", "office")
REGIONS = ("41110", "41130", "11140")
TYPES = ("full_time", "part_time")
WAGES = (0, 10500, 11000, 12000)
FREQUENCIES = ("instant", "daily", "weekly", "off")


def wanted_now(conn, opening_id: int) -> dict[int, str]:
    """A plain scan of the raw rows: seeker id → frequency letter of everyone the opening fits now."""
    o = conn.execute("SELECT * FROM openings WHERE id = ?", (opening_id,)).fetchone()
    opted_out = {r[0] for r in conn.execute("SELECT phone FROM sms_optouts WHERE opted_out = 1")}
    prefs: dict[tuple[int, str], set[str]] = {}
    for seeker_id, kind, value in conn.execute("SELECT seeker_id, kind, value FROM seeker_prefs"):
        prefs.setdefault((seeker_id, kind), set()).add(value)
    found = {}
    for s in conn.execute("SELECT * FROM seekers"):
        eligible = (s["status"] == "active" and s["phone"] is not None and s["phone"] not in opted_out
                    and s["alerts_consent"] == 1 and s["alerts_paused"] == 0 and s["alert_frequency"] != "off")
        fits = all(not prefs.get((s["id"], kind)) or o[kind] in prefs[(s["id"], kind)]
                   for kind in ("occupation", "region", "employment_type"))
        if eligible and fits and s["min_hourly_wage"] <= o["hourly_wage"]:
            found[s["id"]] = s["alert_frequency"][0]
    return found


def newest_rows(conn) -> dict[int, list[str]]:
    """The newest batch's rows: opening id → its tokens."""
    return {opening_id: tokens.split(",") for opening_id, tokens in conn.execute(
        "SELECT opening_id, seekers FROM alert_matches WHERE batch_id = (SELECT max(id) FROM match_batches)")}


def test_rematching_changed_openings_pairs_each_seeker_at_most_once_ever_like_a_plain_scan(app, conn, clock):
    rng = random.Random(19)
    clock.advance(minutes=1)
    match.run(app)  # the demo's openings are matched first; the test's own come after
    phones = [f"+8210{5000_0000 + n}" for n in range(60)]
    people = [add_seeker(conn, phone, clock.now(), frequency=rng.choice(FREQUENCIES),
                         occupations=rng.sample(OCCUPATIONS, rng.randint(0, 2)),
                         regions=rng.sample(REGIONS, rng.randint(0, 2)), types=rng.sample(TYPES, rng.randint(0, 1)),
                         min_wage=rng.choice(WAGES), consent=rng.random() < 0.9) for phone in phones]
    rows = [opening(occupation=rng.choice(OCCUPATIONS), region=rng.choice(REGIONS),
                    employment_type=rng.choice(TYPES), wage_amount=rng.choice((10400, 10800, 11500, 12500)))
            for _ in range(15)]
    ids = post(conn, clock.now(), *rows)
    ever: dict[int, set[int]] = {opening_id: set() for opening_id in ids}
    changed = set(ids)
    for _round in range(7):
        clock.advance(minutes=1)
        match.run(app)
        expected_new = {}
        for opening_id in changed:
            fits = wanted_now(conn, opening_id)
            fresh = {seeker: letter for seeker, letter in fits.items() if seeker not in ever[opening_id]}
            if fresh:
                expected_new[opening_id] = sorted(f"{letter}{seeker}" for seeker, letter in fresh.items())
            ever[opening_id] |= fresh.keys()
        assert {i: sorted(tokens) for i, tokens in newest_rows(conn).items()} == expected_new
        for opening_id in ids:
            assert matching.matched_seekers(conn, opening_id) == ever[opening_id]
        changed = _change_some(conn, rng, rows, ids, people, phones, clock)
    everyone = Counter((opening_id, seeker) for opening_id, tokens in conn.execute(
        "SELECT opening_id, seekers FROM alert_matches") for seeker in matching.ids_in(tokens))
    assert everyone and max(everyone.values()) == 1
    assert sum(len(seekers) for seekers in ever.values()) > 100  # the rounds did find people to leave out


def _change_some(conn, rng, rows, ids, people, phones, clock) -> set[int]:
    """Employers edit some openings and seekers change their wishes; the openings that changed."""
    now = clock.now()
    for seeker in rng.sample(people, 15):
        seekers.set_prefs(conn, seeker, {"occupation": rng.sample(OCCUPATIONS, rng.randint(0, 2)),
                                         "region": rng.sample(REGIONS, rng.randint(0, 2))})
        with db.transaction(conn):
            seekers.update_profile(conn, seeker, {"alert_frequency": rng.choice(FREQUENCIES),
                                                  "min_hourly_wage": rng.choice(WAGES)}, now)
    phone = rng.choice(phones)
    with db.transaction(conn):
        (optout.opt_in if rng.random() < 0.5 else optout.opt_out)(conn, phone, now, "keyword")
    picked = rng.sample(range(len(rows)), 6)
    for index in picked:
        field, values = rng.choice((("occupation", OCCUPATIONS), ("region", REGIONS), ("employment_type", TYPES)))
        rows[index] = {**rows[index], "wage_amount": rows[index]["wage_amount"] + 300, field: rng.choice(values)}
    post(conn, now, *(rows[index] for index in picked))
    return {ids[index] for index in picked}


@pytest.mark.sqlite_only
@pytest.mark.parametrize("statement, parameters", [
    (matching._MATCH_NEW, (1, "[]")),  # a batch of openings none of which was matched before
    (matching._MATCH_NEW, (1, "[2, 3]")),  # the batch's openings never matched before
    (matching._MATCH_AGAIN, (1, "[2, 3]")),  # those matched before, compared in Python
])
def test_sqlite_matches_each_opening_by_seeking_the_whole_key_in_order(conn, statement, parameters):
    plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + statement, parameters)]
    assert "SEARCH k USING PRIMARY KEY (occupation=? AND region=? AND employment_type=? AND min_hourly_wage<?)" in plan
    assert not any("TEMP B-TREE" in step for step in plan)  # the groups stream out in the key's order
