"""Matching: who gets paired with an opening, kept in step with preferences, once ever."""

from __future__ import annotations

from scheduler_helpers import add_seeker, opening, post

from kiosk.alerts import pairs as matching
from kiosk.alerts import recipients
from kiosk.core import db
from kiosk.seekers import store as seekers
from scheduler import match
from sms.outbound import optout


def pairs(conn, opening_id: int) -> set[int]:
    return matching.matched_seekers(conn, opening_id)


def settled(app, clock) -> None:
    clock.advance(minutes=1)
    match.run(app)


def test_preferences_consent_and_wage_decide_who_matches(app, conn, clock):
    settled(app, clock)
    now = clock.now()
    wanted = {
        "exact": add_seeker(conn, "+821000000001", now, occupations=["security"], regions=["41110"],
                            types=["full_time"]),
        "any_occupation": add_seeker(conn, "+821000000002", now, regions=["41110", "41130"]),
        "anything": add_seeker(conn, "+821000000003", now),
        "wage_ok": add_seeker(conn, "+821000000004", now, occupations=["security"], min_wage=11000),
    }
    unwanted = {
        "other_region": add_seeker(conn, "+821000000011", now, occupations=["security"], regions=["41130"]),
        "other_type": add_seeker(conn, "+821000000012", now, types=["part_time"]),
        "wage_too_low": add_seeker(conn, "+821000000013", now, min_wage=11001),
        "no_consent": add_seeker(conn, "+821000000014", now, consent=False),
        "paused": add_seeker(conn, "+821000000015", now, paused=True),
        "off": add_seeker(conn, "+821000000016", now, frequency="off"),
        "opted_out": add_seeker(conn, "+821000000017", now),
        "withdrawn": add_seeker(conn, "+821000000018", now),
    }
    with db.transaction(conn):
        optout.opt_out(conn, "+821000000017", now, "keyword")
    seekers.anonymize(conn, unwanted["withdrawn"], now, "withdrawal", secret="test-secret")
    (opening_id,) = post(conn, now, opening(wage_amount=11000))
    settled(app, clock)
    assert pairs(conn, opening_id) == set(wanted.values())


def test_keys_follow_preference_and_consent_changes(app, conn, clock):
    settled(app, clock)
    seeker = add_seeker(conn, "+821000000021", clock.now(), occupations=["care"])
    first, = post(conn, clock.now(), opening())
    settled(app, clock)
    assert pairs(conn, first) == set()
    seekers.set_prefs(conn, seeker, {"occupation": ["care", "security"]})
    with db.transaction(conn):
        optout.opt_out(conn, "+821000000021", clock.now(), "keyword")
    second, = post(conn, clock.now(), opening())
    settled(app, clock)
    assert pairs(conn, second) == set()  # opted out
    with db.transaction(conn):
        optout.opt_in(conn, "+821000000021", clock.now(), "keyword")
    third, = post(conn, clock.now(), opening())
    settled(app, clock)
    assert pairs(conn, third) == {seeker}


def test_a_changed_opening_reaches_new_seekers_but_nobody_twice(app, conn, clock):
    settled(app, clock)
    early = add_seeker(conn, "+821000000031", clock.now(), occupations=["security"])
    picky = add_seeker(conn, "+821000000032", clock.now(), occupations=["security"], min_wage=13000)
    row = opening(wage_amount=11000)
    (opening_id,) = post(conn, clock.now(), row)
    settled(app, clock)
    assert pairs(conn, opening_id) == {early}
    post(conn, clock.now(), {**row, "wage_amount": 13500})  # the employer raised the pay
    settled(app, clock)
    settled(app, clock)
    assert pairs(conn, opening_id) == {early, picky}
    counted = conn.execute("SELECT sum(pairs) FROM alert_matches WHERE opening_id = ?", (opening_id,)).fetchone()[0]
    assert counted == 2
    tokens = [r[0] for r in conn.execute("SELECT seekers FROM alert_matches WHERE opening_id = ? ORDER BY batch_id",
                                         (opening_id,))]
    assert tokens == [f"d{early}", f"d{picky}"]  # the second look added only the new seeker
    batches = conn.execute("SELECT count(*) FROM match_batch_openings WHERE opening_id = ?", (opening_id,))
    assert batches.fetchone()[0] == 2  # looked at twice: once new, once changed


def test_openings_wait_until_settled_and_closed_ones_match_nobody(app, conn, clock):
    settled(app, clock)
    seeker = add_seeker(conn, "+821000000041", clock.now())
    fresh, closed, expired = post(conn, clock.now(), opening(), opening(status="closed"),
                                  opening(deadline="2026-11-22"))
    match.run(app)  # the same instant: a writer may still be committing rows stamped now
    assert pairs(conn, fresh) == set()
    settled(app, clock)
    assert (pairs(conn, fresh), pairs(conn, closed), pairs(conn, expired)) == ({seeker}, set(), set())
    assert matching.cursor(conn)[1] == expired


def test_rank_order_puts_the_seekers_city_then_province_then_pay_then_recency_first():
    def row(opening_id, region, wage, posted_on="2026-11-20"):
        return {"id": opening_id, "region": region, "hourly_wage": wage, "posted_on": posted_on}
    openings = {r["id"]: r for r in (
        row(1, "11140", 30000),                     # Seoul: another province, best paid
        row(2, "41130", 12000),                     # same province (Gyeonggi)
        row(3, "41110", 10500),                     # the seeker's own city
        row(4, "41130", 12000, "2026-11-22"),       # same pay as 2, posted later
        row(5, "41130", 12000, "2026-11-22"),       # same pay and day as 4, newer id
    )}
    order = matching.rank_order(openings, "41110")
    assert sorted(openings, key=order.__getitem__) == [3, 5, 4, 2, 1]
    no_center = matching.rank_order(openings, None)
    assert sorted(openings, key=no_center.__getitem__) == [1, 5, 4, 2, 3]


def test_upgrading_keeps_every_pair_and_what_went_out(tmp_path):
    """0007 turns a row per pair into a row per (batch, opening); nobody is alerted again."""
    path = str(tmp_path / "old.sqlite3")
    conn = db.connect(path)
    db.migrate(conn, upto=6)
    conn.executemany("INSERT INTO alert_pairs (opening_id, seeker_id, batch_id, frequency, state)"
                     " VALUES (?, ?, ?, ?, ?)",
                     [(10, 1, 1, "daily", "pending"), (10, 2, 1, "instant", "sent"), (11, 3, 2, "weekly", "pending")])
    conn.execute("INSERT INTO alert_keys (occupation, region, employment_type, min_hourly_wage, seeker_id, frequency)"
                  " VALUES ('care', '*', '*', 0, 5, 'instant')")
    db.migrate(conn)
    assert (matching.matched_seekers(conn, 10), matching.matched_seekers(conn, 11)) == ({1, 2}, {3})
    assert conn.execute("SELECT sum(pairs) FROM alert_matches").fetchone()[0] == 3
    assert recipients.instant_sent(conn, 1, 2) == {(2, 10)}
    assert conn.execute("SELECT tag FROM alert_keys").fetchone()[0] == "i5"
    conn.close()
