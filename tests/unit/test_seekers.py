"""Phone codes, the consent ledger and anonymizing, on a real SQLite file with a settable clock."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from kiosk.core import db
from kiosk.core.db import transaction
from kiosk.seekers import consents, verification
from kiosk.seekers import store as seekers
from sms.outbound import optout

SECRET = "test-secret"
PHONE = "+821012345678"
KIOSK = {"code": "suwon-station", "center_id": 1}


def issue(conn, clock, phone=PHONE, kiosk="suwon-station", per_kiosk=60) -> int:
    return verification.issue(conn, phone=phone, purpose="register", kiosk_code=kiosk,
                              now=clock.now(), secret=SECRET, per_kiosk=per_kiosk)


def sent_code(conn, code_id: int) -> str:
    body = conn.execute("SELECT body FROM sms_messages WHERE dedupe_key LIKE ?",
                        (f"otp:{code_id}:%",)).fetchone()["body"]
    return re.search(r"\d{6}", body).group(0)


def test_code_is_sent_through_the_outbox_and_stored_only_hashed(conn, clock):
    code_id = issue(conn, clock)
    message = conn.execute("SELECT * FROM sms_messages WHERE dedupe_key LIKE ?", (f"otp:{code_id}:%",)).fetchone()
    assert message["kind"] == "otp" and message["to_number"] == PHONE and message["status"] == "queued"
    code = sent_code(conn, code_id)
    row = conn.execute("SELECT * FROM phone_codes WHERE id = ?", (code_id,)).fetchone()
    assert code not in row["code_hash"] and PHONE not in row["subject"]
    assert row["subject"] == consents.subject_of(PHONE, SECRET)
    assert verification.check(conn, code_id, code, clock.now(), SECRET).outcome == "ok"
    # a used code does not work twice
    assert verification.check(conn, code_id, code, clock.now(), SECRET).outcome == "expired"


def test_code_expires_after_five_minutes(conn, clock):
    code_id = issue(conn, clock)
    clock.advance(minutes=5)
    assert verification.check(conn, code_id, sent_code(conn, code_id), clock.now(), SECRET).outcome == "expired"


def test_five_wrong_tries_lock_the_code(conn, clock):
    code_id = issue(conn, clock)
    code = sent_code(conn, code_id)
    wrong = "000000" if code != "000000" else "111111"
    outcomes = [verification.check(conn, code_id, wrong, clock.now(), SECRET) for _ in range(5)]
    assert [o.tries_left for o in outcomes[:4]] == [4, 3, 2, 1]
    assert outcomes[4].outcome == "locked"
    assert verification.check(conn, code_id, code, clock.now(), SECRET).outcome == "locked"


def test_resend_waits_sixty_seconds_and_replaces_the_old_code(conn, clock):
    first = issue(conn, clock)
    clock.advance(seconds=30)
    with pytest.raises(verification.Limited) as limited:
        issue(conn, clock)
    assert limited.value.reason == "resend"
    assert limited.value.retry_at == clock.now() + timedelta(seconds=30)
    clock.advance(seconds=30)
    second = issue(conn, clock)
    assert verification.check(conn, first, sent_code(conn, first), clock.now(), SECRET).outcome == "expired"
    assert verification.check(conn, second, sent_code(conn, second), clock.now(), SECRET).outcome == "ok"


def test_three_codes_per_number_per_hour(conn, clock):
    start = clock.now()
    for _ in range(3):
        issue(conn, clock)
        clock.advance(minutes=2)
    with pytest.raises(verification.Limited) as limited:
        issue(conn, clock)
    assert limited.value.reason == "number"
    assert limited.value.retry_at == start + timedelta(hours=1)
    clock.set(start + timedelta(hours=1, seconds=1))
    issue(conn, clock)  # the first code has left the window


def test_codes_per_kiosk_per_hour_is_a_setting(conn, clock):
    for n in range(3):
        issue(conn, clock, phone=f"+82101234000{n}", per_kiosk=3)
    with pytest.raises(verification.Limited) as limited:
        issue(conn, clock, phone="+821012340009", per_kiosk=3)
    assert limited.value.reason == "kiosk"
    issue(conn, clock, phone="+821012340009", kiosk="suwon-center", per_kiosk=3)


def test_zero_codes_per_kiosk_per_hour_is_no_cap(conn, clock):
    for n in range(5):
        issue(conn, clock, phone=f"+82101234000{n}", per_kiosk=0)
    assert conn.execute("SELECT count(*) FROM phone_codes").fetchone()[0] == 5


def test_an_opted_out_number_gets_no_code(conn, clock):
    optout.opt_out(conn, PHONE, clock.now(), "keyword")
    with pytest.raises(verification.OptedOut):
        issue(conn, clock)
    assert conn.execute("SELECT count(*) FROM phone_codes").fetchone()[0] == 0


def test_purge_keeps_codes_that_still_count_toward_limits(conn, clock):
    issue(conn, clock)
    clock.advance(minutes=30)
    assert verification.purge_expired(conn, clock.now()) == 0
    clock.advance(minutes=31)
    assert verification.purge_expired(conn, clock.now()) == 1


def register(conn, clock, app, phone=PHONE) -> int:
    with app.app_context():
        ids = [consents.record(conn, phone=phone, kind=kind, granted=True, now=clock.now(),
                               kiosk_code="suwon-station", secret=SECRET)
               for kind in ("personal_data", "sms_alerts", "night_alerts")]
        seeker_id, created = seekers.register(
            conn, phone=phone, profile={"name": "홍길동", "birth_year": 1962, "language": "ko",
                                        "alert_frequency": "daily", "min_hourly_wage": 11000},
            wanted={"occupation": ["security", "care"], "region": ["41110"]}, alerts=True,
            night=True, kiosk=KIOSK, consent_ids=ids, now=clock.now())
    assert created
    return seeker_id


def test_registration_links_the_ledger_and_derives_the_age_band(conn, clock, app):
    seeker_id = register(conn, clock, app)
    seeker = seekers.get(conn, seeker_id)
    assert seeker["age_band"] == "55" and seeker["alerts_consent"] == 1 and seeker["night_consent"] == 1
    assert seekers.prefs(conn, seeker_id)["occupation"] == ["care", "security"]
    assert seekers.prefs(conn, seeker_id)["employment_type"] == []
    ledger = consents.history(conn, seeker_id)
    assert [(r["kind"], r["granted"], r["notice_version"]) for r in ledger] == [
        ("personal_data", 1, "2026-12-v2"), ("sms_alerts", 1, "2026-11-v1"), ("night_alerts", 1, "2026-11-v1")]
    assert all(r["kiosk_code"] == "suwon-station" and r["at"] == "2026-11-23T01:00:00Z" for r in ledger)
    # a double tap on "register" finds the same seeker
    with app.app_context():
        again, created = seekers.register(conn, phone=PHONE, profile={"birth_year": 1962}, wanted={},
                                          alerts=False, night=False, kiosk=KIOSK, consent_ids=[],
                                          now=clock.now())
    assert (again, created) == (seeker_id, False)


def test_matching_openings_follow_the_preferences(conn, clock, app):
    seeker_id = register(conn, clock, app)
    matches = seekers.matching_openings(conn, seeker_id, "2026-11-23", limit=50)
    assert matches
    for opening in matches:
        assert opening["occupation"] in ("security", "care") and opening["region"] == "41110"
        assert opening["hourly_wage"] >= 11000 and opening["status"] == "open"
    # none left out, newest first: the same as filtering every opening by hand
    fitting = [o for o in conn.execute("SELECT * FROM openings ORDER BY posted_on DESC, id DESC")
               if o["status"] == "open" and (o["deadline"] is None or o["deadline"] >= "2026-11-23")
               and o["occupation"] in ("security", "care") and o["region"] == "41110"
               and o["hourly_wage"] >= 11000]
    assert [o["id"] for o in matches] == [o["id"] for o in fitting][:50]


def tables_holding(conn, text: str) -> list[str]:
    """Every table with a text cell containing text."""
    found = []
    for table in db.table_names(conn):
        for row in conn.execute(f'SELECT * FROM "{table}"'):
            if any(isinstance(cell, str) and text in cell for cell in row):
                found.append(table)
                break
    return found


def test_anonymize_erases_the_person_and_keeps_statistics_and_the_ledger(conn, clock, app):
    seeker_id = register(conn, clock, app)
    opening_id = conn.execute("SELECT id FROM openings LIMIT 1").fetchone()[0]
    seekers.save_opening(conn, seeker_id, opening_id, clock.now())
    issue(conn, clock)
    with transaction(conn):
        from sms.outbound.outbox import enqueue

        enqueue(conn, to=PHONE, body="alert", kind="alert", dedupe_key="alert:x", now=clock.now(),
                seeker_id=seeker_id)
        conn.execute("INSERT INTO sms_inbound (message_sid, from_number, body, received_at)"
                     " VALUES ('SM1', ?, '경비 일자리 있나요', ?)", (PHONE, "2026-11-23T01:00:00Z"))
    clock.advance(days=3)
    seekers.anonymize(conn, seeker_id, clock.now(), "withdrawal", secret=SECRET, kiosk_code="suwon-station")
    assert tables_holding(conn, PHONE[-8:]) == []  # the number is nowhere, in any form
    assert tables_holding(conn, "경비 일자리 있나요") == []  # nor what the person texted

    row = seekers.get(conn, seeker_id)
    assert (row["phone"], row["name"], row["birth_year"]) == (None, None, None)
    assert (row["status"], row["withdrawn_reason"], row["age_band"]) == ("withdrawn", "withdrawal", "55")
    assert row["kiosk_code"] == "suwon-station" and row["registered_at"] == "2026-11-23T01:00:00Z"
    assert row["alerts_consent"] == 0
    for table in ("seeker_prefs", "saved_openings"):
        assert conn.execute(f"SELECT count(*) FROM {table} WHERE seeker_id = ?", (seeker_id,)).fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM phone_codes").fetchone()[0] == 0
    assert conn.execute("SELECT status FROM sms_messages WHERE dedupe_key = 'alert:x'").fetchone()[0] == "cancelled"
    assert seekers.find_by_phone(conn, PHONE) is None
    ledger = consents.history(conn, seeker_id)
    withdrawn = [(r["kind"], r["granted"], r["context"]) for r in ledger[3:]]
    assert withdrawn == [("personal_data", 0, "withdrawal"), ("sms_alerts", 0, "withdrawal"),
                         ("night_alerts", 0, "withdrawal")]
    assert {r["subject"] for r in ledger} == {consents.subject_of(PHONE, SECRET)}
    assert not any(PHONE in str(tuple(r)) for r in ledger)
    # running it again (a second tap, the retention job) changes nothing
    seekers.anonymize(conn, seeker_id, clock.now(), "retention", secret=SECRET)
    assert len(consents.history(conn, seeker_id)) == 6
    # the number can register again as a new person
    assert register(conn, clock, app) != seeker_id


def test_matching_without_chosen_places_takes_any_place_newest_first(conn, clock, app):
    seeker_id = register(conn, clock, app)
    seekers.set_prefs(conn, seeker_id, {"region": [], "occupation": ["it"]})
    matches = seekers.matching_openings(conn, seeker_id, "2026-11-23", limit=20)
    assert len(matches) == 20 and {o["occupation"] for o in matches} == {"it"}
    assert len({o["region"] for o in matches}) > 1
    assert [o["posted_on"] for o in matches] == sorted((o["posted_on"] for o in matches), reverse=True)


def test_the_same_consent_answer_twice_is_one_ledger_row(conn, clock, app):
    with app.app_context():
        first = consents.answer(conn, phone=PHONE, kind="sms_alerts", granted=True, now=clock.now(),
                                kiosk_code="suwon-station", secret=SECRET)
        clock.advance(seconds=1)  # a double tap
        again = consents.answer(conn, phone=PHONE, kind="sms_alerts", granted=True, now=clock.now(),
                                kiosk_code="suwon-station", secret=SECRET)
        clock.advance(seconds=5)  # a changed mind is a new answer
        changed = consents.answer(conn, phone=PHONE, kind="sms_alerts", granted=False, now=clock.now(),
                                  kiosk_code="suwon-station", secret=SECRET)
    assert first == again != changed
    rows = conn.execute("SELECT granted FROM consents WHERE kind = 'sms_alerts' AND subject = ?"
                        " ORDER BY id", (consents.subject_of(PHONE, SECRET),)).fetchall()
    assert [r[0] for r in rows] == [1, 0]
