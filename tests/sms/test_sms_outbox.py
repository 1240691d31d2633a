"""The outbox: enqueue in the caller's transaction, dedupe, opt-outs, quiet hours, validity."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kiosk.core import db
from kiosk.core.clock import parse_iso
from scheduler.dispatch import dispatch_due
from sms.outbound import compose, delivery, optout, outbox, quiet

PHONE = "+821012345678"
NIGHT = parse_iso("2026-11-23T13:00:00Z")  # 22:00 in Seoul


def add(conn, key: str, now, **fields):
    fields = {"to": PHONE, "body": "새 일자리 알림", "kind": "alert", **fields}
    with db.transaction(conn):
        return outbox.enqueue(conn, dedupe_key=key, now=now, **fields)


def status(conn, key: str) -> str:
    return conn.execute("SELECT status FROM sms_messages WHERE dedupe_key = ?", (key,)).fetchone()[0]


def test_enqueue_commits_or_rolls_back_with_the_callers_change(conn, clock):
    with pytest.raises(RuntimeError), db.transaction(conn):
        outbox.enqueue(conn, to=PHONE, body="x", kind="otp", dedupe_key="otp:1", now=clock.now())
        raise RuntimeError("the booking failed")
    assert conn.execute("SELECT count(*) FROM sms_messages").fetchone()[0] == 0
    assert add(conn, "otp:1", clock.now(), kind="otp").status == "queued"


def test_same_dedupe_key_is_one_message(conn, clock):
    first = add(conn, "alert:7:9", clock.now())
    again = add(conn, "alert:7:9", clock.now(), body="다른 본문")
    assert (again.id, again.reason) == (first.id, "duplicate")
    assert conn.execute("SELECT count(*), max(body) FROM sms_messages").fetchone()[:] == (1, "새 일자리 알림")


def test_dedupe_holds_across_connections(database, clock):
    first, second = db.connect(database), db.connect(database)
    add(first, "remind24:5", clock.now(), kind="transactional")
    with db.transaction(second):
        result = outbox.enqueue(second, to=PHONE, body="x", kind="transactional", dedupe_key="remind24:5",
                                now=clock.now())
    assert result.reason == "duplicate"
    first.close()
    second.close()


@pytest.mark.parametrize("kind", ["otp", "transactional", "alert"])
def test_opted_out_numbers_get_a_recorded_reason_instead(conn, clock, kind):
    with db.transaction(conn):
        optout.opt_out(conn, PHONE, clock.now(), "keyword")
    result = add(conn, f"{kind}:1", clock.now(), kind=kind)
    assert (result.status, result.reason) == ("cancelled", "opted_out")
    assert dispatch_due_count(conn) == 0


def dispatch_due_count(conn) -> int:
    return conn.execute("SELECT count(*) FROM sms_messages WHERE status = 'queued'").fetchone()[0]


def test_opting_out_cancels_what_was_waiting_and_opting_in_allows_new(conn, clock):
    add(conn, "alert:1", clock.now())
    with db.transaction(conn):
        optout.opt_out(conn, PHONE, clock.now(), "keyword")
    assert status(conn, "alert:1") == "cancelled"
    with db.transaction(conn):
        optout.opt_in(conn, PHONE, clock.now(), "keyword")
    assert not optout.is_opted_out(conn, PHONE)
    assert add(conn, "alert:2", clock.now()).status == "queued"


def test_alerts_wait_for_morning_but_codes_and_consenting_seekers_do_not(conn):
    held = add(conn, "alert:night", NIGHT)
    assert (held.status, held.reason) == ("held", None)
    row = outbox.get(conn, held.id)
    assert row["next_attempt_at"] == "2026-11-23T23:00:00Z"  # 08:00 the next morning in Seoul
    assert add(conn, "alert:owl", NIGHT, night_ok=True).status == "queued"
    assert add(conn, "otp:night", NIGHT, kind="otp").status == "queued"
    assert add(conn, "tx:night", NIGHT, kind="transactional").status == "queued"


def test_held_alerts_go_out_when_the_window_opens(app, conn, clock):
    clock.set(NIGHT)
    add(conn, "alert:night", clock.now())
    assert dispatch_due(app, clock.now()).get("delivered", 0) == 0
    clock.set("2026-11-23T22:59:00Z")  # 07:59
    assert dispatch_due(app, clock.now()).get("released", 0) == 0
    assert status(conn, "alert:night") == "held"
    clock.set("2026-11-23T23:00:00Z")  # 08:00
    counts = dispatch_due(app, clock.now())
    assert (counts["released"], counts["delivered"]) == (1, 1)
    assert status(conn, "alert:night") == "delivered"


def test_a_released_alert_found_late_at_night_waits_again(app, conn, clock):
    add(conn, "alert:day", clock.now())  # Monday 10:00: queued
    clock.set(NIGHT)  # nobody dispatched all day
    counts = dispatch_due(app, clock.now())
    assert counts["held"] == 1
    row = conn.execute("SELECT status, next_attempt_at FROM sms_messages").fetchone()
    assert tuple(row) == ("held", "2026-11-23T23:00:00Z")


def test_quiet_window_arithmetic():
    assert quiet.is_quiet(parse_iso("2026-11-23T12:00:00Z"))  # 21:00
    assert not quiet.is_quiet(parse_iso("2026-11-23T11:59:59Z"))
    assert quiet.is_quiet(parse_iso("2026-11-23T22:59:59Z"))  # 07:59
    assert quiet.window_opens(parse_iso("2026-11-23T16:00:00Z")) == parse_iso("2026-11-23T23:00:00Z")
    assert quiet.window_opens(parse_iso("2026-11-23T03:00:00Z")) == parse_iso("2026-11-23T03:00:00Z")
    assert not quiet.is_quiet(NIGHT, ("00:00", "00:00"))


def test_messages_past_valid_until_expire_without_sending(app, conn, clock):
    now = clock.now()
    assert add(conn, "remind2h:1", now, kind="transactional", valid_until=now).status == "expired"
    add(conn, "remind24:1", now, kind="transactional", send_at=now + timedelta(hours=1),
        valid_until=now + timedelta(hours=2))
    clock.advance(hours=3)
    counts = dispatch_due(app, clock.now())
    assert counts["expired"] == 1 and "delivered" not in counts
    assert status(conn, "remind24:1") == "expired"


def test_alert_held_past_its_validity_is_expired_at_once(conn):
    result = add(conn, "alert:short", NIGHT, valid_until=NIGHT + timedelta(hours=2))
    assert (result.status, result.reason) == ("expired", "expired")


def test_send_at_defers_a_reminder(app, conn, clock):
    add(conn, "remind:later", clock.now(), kind="transactional", send_at=clock.now() + timedelta(hours=1))
    assert "claimed" not in dispatch_due(app, clock.now())
    clock.advance(hours=1)
    assert dispatch_due(app, clock.now())["delivered"] == 1


def test_cancel_pending_by_appointment_or_key(conn, clock):
    add(conn, "remind24:8", clock.now(), kind="transactional", appointment_id=8)
    add(conn, "remind2h:8", clock.now(), kind="transactional", appointment_id=8)
    add(conn, "remind24:9", clock.now(), kind="transactional", appointment_id=9)
    with db.transaction(conn):
        assert outbox.cancel_pending(conn, now=clock.now(), appointment_id=8) == 2
        assert outbox.cancel_pending(conn, now=clock.now(), dedupe_key="remind24:9") == 1
        assert outbox.cancel_pending(conn, now=clock.now(), appointment_id=8) == 0
    assert {status(conn, k) for k in ("remind24:8", "remind2h:8", "remind24:9")} == {"cancelled"}


def test_last_sent_to_finds_the_latest_matching_message(app, conn, clock):
    add(conn, "offer:1", clock.now(), kind="transactional", body="1번")
    clock.advance(minutes=1)
    add(conn, "offer:2", clock.now(), kind="transactional", body="2번")
    add(conn, "other:3", clock.now(), kind="transactional", body="다른")
    assert outbox.last_sent_to(conn, PHONE, key_prefix="offer:") is None  # nothing handed over yet
    dispatch_due(app, clock.now())
    assert outbox.last_sent_to(conn, PHONE, key_prefix="offer:")["body"] == "2번"
    assert outbox.last_sent_to(conn, "+821099990000", key_prefix="offer:") is None
    assert outbox.last_sent_to(conn, PHONE, key_prefix="offer_") is None


def test_rows_record_segments_and_encoding(conn, clock):
    add(conn, "a:ko", clock.now(), body="가" * 71)
    add(conn, "a:en", clock.now(), body="Job alert: cook, Suwon")
    rows = dict(conn.execute("SELECT dedupe_key, segments || ' ' || encoding FROM sms_messages").fetchall())
    assert rows == {"a:ko": "2 UCS-2", "a:en": "1 GSM-7"}


def test_bad_arguments_are_refused(conn, clock):
    with pytest.raises(ValueError):
        add(conn, "x", clock.now(), to="01012345678")
    with pytest.raises(ValueError):
        add(conn, "x", clock.now(), kind="marketing")
    with pytest.raises(db.IntegrityError):
        add(conn, "x", clock.now(), opening_id=99_999_999)
    add(conn, "ok", clock.now())
    with pytest.raises(db.IntegrityError), db.transaction(conn):
        conn.execute("UPDATE sms_messages SET status = 'lost' WHERE dedupe_key = 'ok'")


def test_compose_counts_segments_and_carrier_bytes():
    assert compose.size("가" * 70).segments == 1
    assert compose.size("가" * 71).segments == 2
    assert compose.size("가" * 134).segments == 2 and compose.size("가" * 135).segments == 3
    assert compose.size("a" * 160).segments == 1 and compose.size("a" * 161).segments == 2
    assert compose.size("{" * 80).units == 160 and compose.size("{" * 81).segments == 2
    # an escape pair never straddles two parts: 306 septets need a third part here
    assert compose.size("a" * 152 + "€" + "a" * 152).segments == 3
    assert compose.size("a" * 151 + "{" + "a" * 152).segments == 2  # the pair ends part one exactly
    assert compose.size("a" * 152 + "{" + "a" * 151).segments == 2  # moved whole: part two holds 153
    assert compose.size("[JobStop] " + "~" * 150).segments == 3  # 312 septets, pairs all along
    assert compose.size("😀" * 35).segments == 1 and compose.size("😀" * 36).segments == 2
    assert compose.size("가" * 45).carrier_kind == "SMS" and compose.size("가" * 46).carrier_kind == "LMS"
    assert compose.size("a" * 2001).carrier_kind == "too_long"
    assert compose.size("Ünïcode").encoding == "UCS-2" and compose.size("Ü café").encoding == "GSM-7"


def test_fit_lines_keeps_whole_lines_within_the_budget():
    lines = [f"J{1000 + i} 수원 경비 시급 10,030원" for i in range(20)]
    body, count = compose.fit_lines(lines, 2, head="[잡스탑] 새 일자리", tail="수신거부 080",
                                    more=lambda n: f"외 {n}건")
    assert 0 < count < 20
    assert compose.size(body).segments <= 2
    assert body.startswith("[잡스탑] 새 일자리\nJ1000") and body.endswith(f"외 {20 - count}건\n수신거부 080")
    one_more = "\n".join(["[잡스탑] 새 일자리", *lines[:count + 1], f"외 {19 - count}건", "수신거부 080"])
    assert compose.size(one_more).segments > 2, "as many lines as fit, not fewer"
    bigger, _ = compose.fit_lines(lines, 2, head="[잡스탑] 새 일자리", tail="수신거부 080",
                                  more=lambda n: f"외 {n}건")
    assert bigger == body
    assert compose.fit_lines(lines[:1], 3) == (lines[0], 1)


def test_enqueue_many_follows_the_same_rules(conn):
    with db.transaction(conn):
        optout.opt_out(conn, "+821099998888", NIGHT, "keyword")
        added = outbox.enqueue_many(conn, [
            {"to": PHONE, "body": "알림 1", "kind": "alert", "dedupe_key": "m:1"},
            {"to": PHONE, "body": "알림 1", "kind": "alert", "dedupe_key": "m:1"},
            {"to": "+821099998888", "body": "알림 2", "kind": "alert", "dedupe_key": "m:2"},
            {"to": PHONE, "body": "알림 3", "kind": "alert", "dedupe_key": "m:3", "night_ok": True, "seeker_id": 4},
        ], now=NIGHT)
    assert added == 3
    rows = {r["dedupe_key"]: (r["status"], r["reason"]) for r in conn.execute("SELECT * FROM sms_messages")}
    assert rows == {"m:1": ("held", None), "m:2": ("cancelled", "opted_out"), "m:3": ("queued", None)}


def test_enqueue_many_batches_larger_than_one_statement(conn, clock):
    others = [f"+8210200{n:05d}" for n in range(outbox.CHUNK * 2 + 7)]
    with db.transaction(conn):
        optout.opt_out(conn, others[-1], clock.now(), "keyword")
        optout.opt_out(conn, others[150], clock.now(), "keyword")
    batch = [{"to": phone, "body": f"알림 {n}", "kind": "alert", "dedupe_key": f"b:{n}", "seeker_id": n}
             for n, phone in enumerate(others)]
    batch.append({**batch[3], "body": "again"})  # the same key in a later statement adds nothing
    assert outbox.enqueue_many(conn, batch, now=NIGHT) == len(others)
    rows = {r["dedupe_key"]: tuple(r) for r in conn.execute(
        "SELECT dedupe_key, status, reason, body, next_attempt_at, segments, encoding, seeker_id FROM sms_messages")}
    assert rows["b:3"] == ("b:3", "held", None, "알림 3", "2026-11-23T23:00:00Z", 1, "UCS-2", 3)
    assert rows["b:150"][1:3] == rows[f"b:{len(others) - 1}"][1:3] == ("cancelled", "opted_out")
    assert sum(1 for r in rows.values() if r[1] == "held") == len(others) - 2


def test_enqueue_many_refuses_a_bad_message_before_adding_any(conn, clock):
    good = {"to": PHONE, "body": "x", "kind": "otp", "dedupe_key": "g:1"}
    for bad, error in (({"to": "010"}, ValueError), ({"kind": "ad"}, ValueError), ({"sender": "x"}, TypeError)):
        with pytest.raises(error):
            outbox.enqueue_many(conn, [good, {**good, "dedupe_key": "g:2", **bad}], now=clock.now())
    assert conn.execute("SELECT count(*) FROM sms_messages").fetchone()[0] == 0
    assert outbox.enqueue_many(conn, [], now=clock.now()) == 0


def test_optional_fields_are_stored_as_null_and_given_ones_as_given(conn, clock):
    until = clock.now() + timedelta(hours=2)
    add(conn, "one:bare", clock.now(), kind="otp")
    add(conn, "one:full", clock.now(), seeker_id=4, appointment_id=6, valid_until=until)
    with db.transaction(conn):
        outbox.enqueue_many(conn, [
            {"to": PHONE, "body": "x", "kind": "otp", "dedupe_key": "many:bare"},
            {"to": PHONE, "body": "x", "kind": "alert", "dedupe_key": "many:full", "seeker_id": 4,
             "appointment_id": 6, "valid_until": until, "night_ok": True},
        ], now=clock.now())
    rows = {r[0]: tuple(r)[1:] for r in conn.execute(
        "SELECT dedupe_key, reason, valid_until, seeker_id, opening_id, appointment_id, created_at, updated_at"
        " FROM sms_messages")}
    stamp = "2026-11-23T01:00:00Z"
    assert rows["one:bare"] == rows["many:bare"] == (None, None, None, None, None, stamp, stamp)
    assert rows["one:full"] == rows["many:full"] == (None, "2026-11-23T03:00:00Z", 4, None, 6, stamp, stamp)


def test_enqueue_many_stores_what_enqueue_stores_row_by_row(conn, clock):
    """Chunks whose rows share some values and differ in others (each column both ways)."""
    openings = [r[0] for r in conn.execute("SELECT id FROM openings ORDER BY id LIMIT 3")]
    later = NIGHT + timedelta(hours=1)
    messages = []
    for n in range(outbox.CHUNK * 2 + 5):
        varied = n >= outbox.CHUNK  # the first chunk shares every optional value, the others do not
        messages.append({
            "to": f"+8210300{n % 7:05d}", "body": "알림" if n % 3 else "hello", "dedupe_key": str(n),
            "kind": ("alert", "transactional", "otp")[n % 3] if varied else "alert",
            "language": ("ko", "en")[n % 2] if varied else "ko",
            "night_ok": bool(n % 2) if varied else False,
            "send_at": later if varied and n % 5 == 0 else None,
            "valid_until": (NIGHT + timedelta(hours=n % 4 * 3)) if varied and n % 4 else None,
            "seeker_id": n % 4 or None if varied else None,
            "opening_id": openings[n % 3] if varied and n % 3 else None,
            "appointment_id": n % 6 or None if varied else None,
        })
    with db.transaction(conn):
        optout.opt_out(conn, "+821030000003", NIGHT, "keyword")
        assert outbox.enqueue_many(conn, messages, now=NIGHT) == len(messages)
        for message in messages:
            outbox.enqueue(conn, **{**message, "dedupe_key": f"one:{message['dedupe_key']}"}, now=NIGHT)
    columns = ("to_number, body, kind, status, reason, language, night_ok, next_attempt_at, valid_until,"
               " segments, encoding, seeker_id, opening_id, appointment_id, created_at, updated_at")
    stored = {r[0]: tuple(r)[1:] for r in conn.execute(f"SELECT dedupe_key, {columns} FROM sms_messages")}
    assert len(stored) == 2 * len(messages)
    for message in messages:
        assert stored[message["dedupe_key"]] == stored[f"one:{message['dedupe_key']}"], message
    statuses = {row[3] for row in stored.values()}
    assert statuses == {"queued", "held", "cancelled", "expired"}


def test_rows_made_from_plain_values_store_what_enqueue_many_stores(conn, clock):
    """A run of alerts made without a mapping each (digests, instant alerts): every send time,
    night consent, validity and opt-out gives the row enqueue_many gives the same message."""
    openings = [r[0] for r in conn.execute("SELECT id FROM openings ORDER BY id LIMIT 2")]
    valid_until = NIGHT + timedelta(hours=12)  # 10:00 the next morning in Seoul
    times = [None, NIGHT - timedelta(hours=1), NIGHT + timedelta(hours=1), NIGHT + timedelta(hours=13),
             parse_iso("2026-11-23T23:30:00Z")]  # before now, quiet hours, past validity, the morning
    rows = outbox.messages.Rows("alert", NIGHT, valid_until, quiet.DEFAULT_QUIET, quiet.DEFAULT_ZONE)
    mappings, made = [], []
    for n in range(outbox.CHUNK + 30):
        to, body, at, night_ok = f"+8210400{n % 9:05d}", ("새 일자리 " * (n % 40 + 1)), times[n % 5], n % 3 == 0
        language, seeker_id, opening_id = ("ko", "en")[n % 2], n + 1, openings[n % 2] if n % 4 else 0
        mappings.append({"to": to, "body": body, "kind": "alert", "dedupe_key": f"map:{n}", "send_at": at,
                         "valid_until": valid_until, "night_ok": night_ok, "seeker_id": seeker_id,
                         "opening_id": opening_id or None, "language": language})
        made.append(rows.row(to, body, f"plain:{n}", at, int(night_ok), language, seeker_id, opening_id))
    with db.transaction(conn):
        optout.opt_out(conn, "+821040000004", NIGHT, "keyword")
        assert outbox.enqueue_many(conn, mappings, now=NIGHT) == len(mappings)
        assert outbox.enqueue_rows(conn, made, now=NIGHT) == len(made)
        assert outbox.enqueue_rows(conn, made[:5], now=NIGHT) == 0  # the same keys again add nothing
    stored = {r["dedupe_key"]: {k: v for k, v in dict(r).items() if k not in ("id", "dedupe_key")}
              for r in conn.execute("SELECT * FROM sms_messages")}
    for n in range(len(mappings)):
        assert stored[f"map:{n}"] == stored[f"plain:{n}"], n
    assert {row["status"] for row in stored.values()} == {"queued", "held", "cancelled", "expired"}
    with pytest.raises(ValueError):
        outbox.messages.Rows("newsletter", NIGHT, None, quiet.DEFAULT_QUIET, quiet.DEFAULT_ZONE)


def test_numbers_take_ascii_digits_only_and_odd_text_is_still_measured(conn, clock):
    with pytest.raises(ValueError):
        add(conn, "x", clock.now(), to="+82١٠١٢٣٤٥٦٧٨")  # Arabic-Indic digits are digits to \d
    assert compose.measure("가\ud800") == (1, "UCS-2")  # a lone surrogate is one unit, not an error
    assert compose.measure("가" * 34 + "😀") == (1, "UCS-2") and compose.measure("가" * 69 + "😀") == (2, "UCS-2")


@pytest.mark.sqlite_only
def test_sqlite_finds_every_outbox_statements_rows_through_an_index(conn, clock):
    """SQLite's plans: the recipient, due, link and SID indexes each serve a reader: none walks the table."""
    now = clock.now()
    add(conn, "k:1", now, seeker_id=3, appointment_id=5)
    sending = add(conn, "k:2", now, to="+821098765432")
    statements = []
    conn.set_trace_callback(statements.append)
    with db.transaction(conn):
        outbox.cancel_pending(conn, now=now, appointment_id=5, dedupe_key="k:1", seeker_id=3)
        outbox.cancel_to(conn, PHONE, now, "opted_out")
        outbox.last_sent_to(conn, PHONE, key_prefix="remind")
        outbox.release_held(conn, now)
        outbox.expire_due(conn, now)
        outbox.claim_due(conn, now, 10, token="t", lease_until=now)
        outbox.release_claimed(conn, [1, 2], "t", now)
        delivery.unsendable(conn, [1, 2], now.date())
        outbox.recover_stale(conn, now, 3)
        delivery.apply_status(conn, "SM1", "delivered", now)
        delivery.record_accepted(conn, sending.id, now, sid="SM1", transport="twilio")  # applies the early one
        delivery.purge_early_statuses(conn, now)
        outbox.forget_number(conn, PHONE, now)
    conn.set_trace_callback(None)
    readers = [sql for sql in statements if "sms_" in sql and not sql.startswith("INSERT")]
    assert len(readers) >= 24
    link_indexes = {"appointment_id =": "sms_messages_appointment", "seeker_id =": "sms_messages_seeker",
                    "dedupe_key =": "sqlite_autoindex_sms_messages", "to_number =": "sms_messages_to",
                    "twilio_sid =": "sms_messages_sid"}
    for sql in readers:
        plan = " | ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
        assert "SCAN sms_messages" not in plan and "SCAN sms_early_statuses" not in plan, (sql, plan)
        for term, index in link_indexes.items():
            assert term not in sql.split(" WHERE ", 1)[1] or index in plan, (sql, plan)


def test_forgetting_a_number_clears_error_texts_that_quote_it(conn, clock):
    """Twilio's 21211 / 21614 texts name the number; withdrawal takes them out with it."""
    now = clock.now()
    message = add(conn, "k:1", now, kind="transactional")
    with db.transaction(conn):
        [claimed] = outbox.claim_due(conn, now, 10, token="t", lease_until=now + timedelta(minutes=1))
        outbox.mark(conn, claimed["id"], "t", now, status="failed", error_code=21614,
                    error_text=f"The 'To' number {PHONE} is not a valid mobile number.")
        outbox.forget_number(conn, PHONE, now)
    row = outbox.get(conn, message.id)
    assert (row["to_number"], row["body"], row["error_text"], row["error_code"]) == ("", "", None, 21614)
