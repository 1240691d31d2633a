"""A seeker's casework in the console: consultations and referrals to employers recorded, their
results, corrections kept honest (logged, out of the figures when cancelled), programs, who may
do what, the same form twice, and the figures counting what the console recorded."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

from console_support import add_account, post, sign_in

from kiosk.core.db import transaction
from kiosk.seekers import programs
from kiosk.seekers import store as seekers
from kiosk.stats import export, figures, report, snapshots
from kiosk.stats.scope import Period, Scope
from scheduler import retention

KIM, LEE = "+821000001001", "+821000001002"  # the demo's: Kim's appointments are counselor 9's (center 2)
TODAY = date(2026, 11, 23)  # the tests' clock, in Seoul
ZONE = "Asia/Seoul"
KEY = re.compile(r'name="form_key" value="([^"]+)"')


def signed(app, role: str, **kwargs):
    client = app.test_client()
    account = add_account(app, role, **kwargs)
    sign_in(client, account)
    return client, account


def seeker_id(conn, phone: str = KIM) -> int:
    return seekers.find_by_phone(conn, phone)["id"]


def opened(client, number: int, reason: str = "상담 기록"):
    answer = post(client, f"/console/seekers/{number}/open", {"reason": reason})
    assert answer.status_code == 303, answer.get_data(as_text=True)
    return client.get(answer.headers["Location"]).get_data(as_text=True)


def keys(page: str) -> list[str]:
    """The consultation form's key, then the referral form's."""
    return KEY.findall(page)


def consult(client, number: int, key: str, **fields):
    data = {"day": "2026-11-23", "topic": "business", "channel": "phone", "counselor_id": "9", "note": "",
            "form_key": key, **fields}
    return post(client, f"/console/seekers/{number}/consultations", data)


def refer(client, number: int, key: str, **fields):
    data = {"day": "2026-11-23", "opening_id": "", "employer": "한빛물산", "occupation": "security",
            "counselor_id": "9", "form_key": key, **fields}
    return post(client, f"/console/seekers/{number}/placements", data)


def rows(conn, sql: str, *args) -> list[tuple]:
    return [tuple(row) for row in conn.execute(sql, args)]


def changes(conn) -> list[tuple]:
    return rows(conn, "SELECT what, reason, seeker_id FROM access_records WHERE action = 'change' ORDER BY id")


def day_figures(conn, day: date = TODAY) -> dict:
    return figures.summary(conn, Period(day, day), Scope(), ZONE, TODAY)


def test_a_counselor_records_a_consultation_dated_today_by_themselves_unless_told(app, conn):
    client, _ = signed(app, "counselor", counselor_id=9)
    kim = seeker_id(conn)
    page = opened(client, kim)
    assert 'name="day" type="date" max="2026-11-23" value="2026-11-23"' in page
    assert re.search(r'<option value="9" selected>', page) and '<option value="10"' not in page
    answer = consult(client, kim, keys(page)[0], note="이력서 보완 안내")
    assert answer.status_code == 303 and answer.headers["Location"].endswith("#consultations")
    shown = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "상담을 기록했습니다." in shown and "이력서 보완 안내" in shown and "창업" in shown
    assert rows(conn, "SELECT seeker_id, center_id, counselor_id, topic, channel, at, note FROM consultations") == [
        (kim, 2, 9, "business", "phone", "2026-11-23T01:00:00Z", "이력서 보완 안내")]
    assert changes(conn)[-1][1:] == ("상담 기록", kim)


def test_the_same_consultation_or_referral_form_posted_twice_records_one_row(app, conn):
    client, _ = signed(app, "counselor", counselor_id=9)
    kim = seeker_id(conn)
    consultation_key, placement_key = keys(opened(client, kim))
    assert consult(client, kim, consultation_key).status_code == 303
    assert consult(client, kim, consultation_key).status_code == 303
    assert refer(client, kim, placement_key).status_code == 303
    assert refer(client, kim, placement_key).status_code == 303
    assert rows(conn, "SELECT count(*) FROM consultations") == [(1,)]
    assert rows(conn, "SELECT count(*) FROM placements") == [(1,)]
    again = opened(client, kim)  # a fresh form is another form: it records another row
    assert consult(client, kim, keys(again)[0]).status_code == 303
    assert rows(conn, "SELECT count(*) FROM consultations") == [(2,)]


def test_a_refused_consultation_says_why_in_korean_and_keeps_what_was_typed(app, conn):
    client, _ = signed(app, "staff", center_id=2)
    kim = seeker_id(conn)
    key = keys(opened(client, kim))[0]
    answer = consult(client, kim, key, day="2026-11-30", topic="", channel="fax", counselor_id="1",
                     note="상담 메모 " + "가" * 200)
    text = answer.get_data(as_text=True)
    assert answer.status_code == 422
    for reason in ("앞으로의 날짜는 기록할 수 없습니다.", "상담 종류를 고르세요.", "상담 방법을 고르세요.",
                   "상담사를 고르세요.", "메모는 200자까지 적을 수 있습니다."):
        assert reason in text, reason
    assert 'value="2026-11-30"' in text and "상담 메모 가가" in text and f'value="{key}"' in text
    assert 'aria-invalid="true" aria-describedby="c-day-error"' in text
    bad_day = consult(client, kim, key, day="23/11/2026")
    assert bad_day.status_code == 422 and "날짜를 2026-11-25처럼 고르세요." in bad_day.get_data(as_text=True)
    old = consult(client, kim, key, day="2025-01-02")
    assert old.status_code == 422 and "1년보다 오래된 날짜는" in old.get_data(as_text=True)
    assert rows(conn, "SELECT count(*) FROM consultations") == [(0,)]
    assert changes(conn) == []


def test_the_next_seekers_page_does_not_show_the_previous_ones_form(app, conn):
    client, _ = signed(app, "admin")
    kim, lee = seeker_id(conn), seeker_id(conn, LEE)
    kim_keys = keys(opened(client, kim))
    refused = consult(client, kim, kim_keys[0], topic="", note="김영희님 면접 준비 메모")
    assert refused.status_code == 422
    refer(client, kim, kim_keys[1], employer="", occupation="")
    page = opened(client, lee)
    assert "이준호" in page and "김영희님 면접 준비 메모" not in page and "상담 종류를 고르세요." not in page
    assert "회사명을 적거나" not in page and not set(keys(page)) & set(kim_keys)
    assert 'value="job_seeking" checked' in page


def test_a_referral_to_an_opening_or_a_typed_employer_and_its_result(app, conn):
    client, _ = signed(app, "counselor", counselor_id=9)
    kim = seeker_id(conn)
    page = opened(client, kim)
    opening = conn.execute("SELECT id, employer, occupation FROM openings WHERE status = 'open'"
                           " AND region = (SELECT region FROM centers WHERE id = 2) ORDER BY posted_on DESC, id DESC"
                           " LIMIT 1").fetchone()
    assert f'<option value="{opening["id"]}">' in page
    assert refer(client, kim, keys(page)[1], opening_id=str(opening["id"]), employer="").status_code == 303
    assert refer(client, kim, keys(opened(client, kim))[1], occupation="").status_code == 303
    assert rows(conn, "SELECT opening_id, employer, occupation, result FROM placements ORDER BY id") == [
        (opening["id"], opening["employer"], opening["occupation"], "pending"), (None, "한빛물산", None, "pending")]
    typed = rows(conn, "SELECT max(id) FROM placements")[0][0]
    result = f"/console/seekers/{kim}/placements/{typed}"
    assert "진행 중" in client.get(result).get_data(as_text=True)
    missing = post(client, result, {"result": "hired", "hired_on": ""})
    assert missing.status_code == 422 and "취업일을 고르세요." in missing.get_data(as_text=True)
    early = post(client, result, {"result": "hired", "hired_on": "2026-11-20"})
    assert early.status_code == 422 and "취업일이 알선한 날보다 앞섭니다." in early.get_data(as_text=True)
    assert 'value="2026-11-20"' in early.get_data(as_text=True)
    assert post(client, result, {"result": "maybe"}).status_code == 422
    assert post(client, result, {"result": "hired", "hired_on": "2026-11-23"}).status_code == 303
    assert post(client, result, {"result": "hired", "hired_on": "2026-11-23"}).status_code == 303  # twice
    hired = seekers.get(conn, kim)
    assert (hired["employed_at"], hired["employed_employer"]) == ("2026-11-23T01:00:00Z", "한빛물산")
    assert day_figures(conn)["hired"]["count"] == 1 and day_figures(conn)["referrals"]["count"] == 2
    assert rows(conn, "SELECT count(*) FROM casework_corrections WHERE action = 'edit'") == [(1,)]


def test_a_refused_referral_says_why_and_keeps_what_was_typed(app, conn):
    client, _ = signed(app, "counselor", counselor_id=9)
    kim = seeker_id(conn)
    key = keys(opened(client, kim))[1]
    answer = refer(client, kim, key, employer="", opening_id="999999", occupation="astronaut")
    text = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "이 센터 지역의 모집 중인 공고를 고르세요." in text and "목록에 있는 직종을 고르세요." in text
    long = refer(client, kim, key, employer="가" * 101)
    assert long.status_code == 422 and "회사명은 100자까지" in long.get_data(as_text=True)
    none = refer(client, kim, key, employer=" ")
    assert none.status_code == 422 and "회사명을 적거나 채용공고를 고르세요." in none.get_data(as_text=True)
    assert rows(conn, "SELECT count(*) FROM placements") == [(0,)]


def test_a_correction_is_logged_and_a_cancelled_record_leaves_the_figures(app, conn):
    client, account = signed(app, "counselor", counselor_id=9)
    kim = seeker_id(conn)
    page = opened(client, kim)
    consult(client, kim, keys(page)[0], note="첫 메모")
    refer(client, kim, keys(page)[1])
    [(number,)] = rows(conn, "SELECT id FROM consultations")
    [(placement,)] = rows(conn, "SELECT id FROM placements")
    assert day_figures(conn)["consultations"]["count"] == 1
    edit = f"/console/seekers/{kim}/consultations/{number}"
    assert "첫 메모" in client.get(edit).get_data(as_text=True)
    bad = post(client, edit, {"day": "2026-11-23", "topic": "job_seeking", "channel": "", "counselor_id": "9",
                              "note": "고친 메모"})
    assert bad.status_code == 422 and "고친 메모" in bad.get_data(as_text=True)
    assert post(client, edit, {"day": "2026-11-23", "topic": "job_seeking", "channel": "visit",
                               "counselor_id": "9", "note": "고친 메모"}).status_code == 303
    assert rows(conn, "SELECT topic, channel, note, at FROM consultations") == [
        ("job_seeking", "visit", "고친 메모", "2026-11-23T01:00:00Z")]
    [log] = rows(conn, "SELECT record, record_id, action, account_id FROM casework_corrections")
    assert log == ("consultation", number, "edit", account.id)
    assert post(client, f"{edit}/cancel").status_code == 303
    assert post(client, f"{edit}/cancel").status_code == 303  # sent twice
    assert post(client, f"/console/seekers/{kim}/placements/{placement}/cancel").status_code == 303
    assert rows(conn, "SELECT count(*) FROM consultations") == [(0,)]
    assert rows(conn, "SELECT record, action FROM casework_corrections ORDER BY id")[1:] == [
        ("consultation", "cancel"), ("placement", "cancel")]
    shown = client.get(f"/console/seekers/{kim}").get_data(as_text=True)
    assert "<del>고친 메모</del>" in shown and "취소됨 (2026. 11. 23. 10:00)" in shown
    assert day_figures(conn)["consultations"]["count"] == 0 and day_figures(conn)["referrals"]["count"] == 0
    assert [what for what, *_ in changes(conn)][-3:] == [
        f"consultation #{number} corrected", f"consultation #{number} cancelled", f"placement #{placement} cancelled"]


def test_cancelling_a_hired_referral_takes_back_the_hire_it_recorded(app, conn):
    client, _ = signed(app, "counselor", counselor_id=9)
    kim = seeker_id(conn)
    refer(client, kim, keys(opened(client, kim))[1])
    [(placement,)] = rows(conn, "SELECT id FROM placements")
    post(client, f"/console/seekers/{kim}/placements/{placement}", {"result": "hired", "hired_on": "2026-11-23"})
    assert day_figures(conn)["hired"]["count"] == 1
    post(client, f"/console/seekers/{kim}/placements/{placement}", {"result": "not_hired"})
    assert seekers.get(conn, kim)["employed_at"] is None and day_figures(conn)["hired"]["count"] == 0


def test_a_record_dated_on_a_day_already_summed_overnight_is_counted_for_that_day(app, conn, clock):
    yesterday = TODAY - timedelta(days=1)
    with transaction(conn):
        snapshots.take(conn, Period(yesterday, yesterday), ZONE, "2026-11-22T15:10:00Z")
    before = day_figures(conn, yesterday)["consultations"]["count"]
    client, _ = signed(app, "counselor", counselor_id=9)
    kim = seeker_id(conn)
    assert consult(client, kim, keys(opened(client, kim))[0], day=yesterday.isoformat()).status_code == 303
    assert rows(conn, "SELECT at FROM consultations") == [("2026-11-22T03:00:00Z",)]  # noon in Seoul
    assert day_figures(conn, yesterday)["consultations"]["count"] == before + 1


def test_who_may_record_and_correct(app, conn):
    kim = seeker_id(conn)
    admin, _ = signed(app, "admin")
    page = opened(admin, kim)
    assert '<option value="10">' in page  # an admin names any active counselor
    consult(admin, kim, keys(page)[0], counselor_id="10")
    [(number,)] = rows(conn, "SELECT id FROM consultations")
    own, _ = signed(app, "counselor", counselor_id=9)
    opened(own, kim)
    assert own.get(f"/console/seekers/{kim}/consultations/{number}").status_code == 403  # counselor 10's
    assert post(own, f"/console/seekers/{kim}/consultations/{number}/cancel").status_code == 403
    assert consult(own, kim, "k-own", counselor_id="10").status_code == 422  # only themselves
    other, _ = signed(app, "counselor", counselor_id=10)  # not Kim's counselor: cannot see her
    assert consult(other, kim, "k-other", counselor_id="10").status_code == 403
    away, _ = signed(app, "staff", center_id=3)
    assert refer(away, kim, "k-away").status_code == 403
    assert post(away, f"/console/seekers/{kim}/programs", {"program": "youth"}).status_code == 403
    center, _ = signed(app, "staff", center_id=2)
    opened(center, kim)
    assert center.get(f"/console/seekers/{kim}/consultations/{number}").status_code == 200
    nobody = app.test_client()
    assert consult(nobody, kim, "k-nobody").status_code == 303  # to sign in
    assert rows(conn, "SELECT count(*) FROM consultations") == [(1,)]


def test_a_write_without_the_pages_reason_records_nothing(app, conn):
    client, _ = signed(app, "counselor", counselor_id=9)
    kim = seeker_id(conn)
    answer = consult(client, kim, "k-no-reason")
    assert answer.status_code == 303 and rows(conn, "SELECT count(*) FROM consultations") == [(0,)]


def test_staff_set_a_seekers_programs_from_the_list(app, conn):
    client, _ = signed(app, "staff", center_id=1)
    kim = seeker_id(conn)
    page = opened(client, kim)
    assert 'value="senior" checked' in page and 'value="youth">' in page
    answer = post(client, f"/console/seekers/{kim}/programs", {"program": ["senior", "career_break"]})
    assert answer.status_code == 303
    assert "참여 프로그램을 저장했습니다." in client.get(answer.headers["Location"]).get_data(as_text=True)
    assert rows(conn, "SELECT program, set_by FROM seeker_programs WHERE seeker_id = ? ORDER BY program", kim) == [
        ("career_break", "staff"), ("senior", "seeker")]
    post(client, f"/console/seekers/{kim}/programs", {"program": ["senior", "career_break"]})  # twice
    assert [r[1] for r in changes(conn)].count("상담 기록") == 1
    with transaction(conn):
        programs.set_offered(conn, "youth", False)
    refused = post(client, f"/console/seekers/{kim}/programs", {"program": ["senior", "youth"]})
    assert refused.status_code == 422 and "안내 중인 프로그램만 고를 수 있습니다." in refused.get_data(as_text=True)
    assert 'value="career_break"' in refused.get_data(as_text=True)  # no longer offered: not a choice
    assert 'name="program" value="youth"' not in refused.get_data(as_text=True)
    assert programs.of_seeker(conn, kim) == ["senior", "career_break"]


def test_a_program_an_admin_added_goes_by_its_name_in_the_figures_and_their_files(app, conn):
    client, _ = signed(app, "admin")
    post(client, "/console/programs", {"name": "일하는 엄마"})
    [code] = [row["code"] for row in programs.listing(conn) if row["name"] == "일하는 엄마"]
    kim = seeker_id(conn)
    opened(client, kim)
    post(client, f"/console/seekers/{kim}/programs", {"program": ["senior", code]})
    year = figures.summary(conn, Period(TODAY - timedelta(days=365), TODAY), Scope(), ZONE, TODAY)
    [item] = [item for item in year["registered"]["by_program"] if item["code"] == code]
    assert item["count"] == 1 and item["name"] == "일하는 엄마"
    for language, senior in (("ko", "신중년·장년 (만 55세 이상)"), ("en", "Middle-aged and older (55 and over)")):
        labels = {row[1]: row[2] for row in export.rows(year, language) if row[0] == "registered.by_program"}
        assert labels[code] == "일하는 엄마" and labels["senior"] == senior
        assert "일하는 엄마" in "\n".join(report.lines(year, language))


def test_from_an_appointments_outcome_to_its_consultation_and_referral(app, conn, clock):
    kim = seeker_id(conn)
    [appointment] = conn.execute("SELECT id FROM appointments WHERE seeker_id = ? AND counselor_id = 9"
                                 " AND status IN ('booked', 'confirmed') AND kind IN ('counseling', 'follow_up')"
                                 " ORDER BY starts_at LIMIT 1", (kim,)).fetchone()
    starts = conn.execute("SELECT starts_at FROM appointments WHERE id = ?", (appointment,)).fetchone()[0]
    clock.set(starts)  # it has begun: its outcome may be recorded
    client, _ = signed(app, "counselor", counselor_id=9)
    page = client.get(f"/console/appointments/{appointment}").get_data(as_text=True)
    assert 'name="channel"' in page and f"/console/seekers/{kim}?appointment={appointment}#placements" in page
    assert post(client, f"/console/appointments/{appointment}/outcome",
                {"outcome": "not_hired", "topic": "business", "channel": "phone"}).status_code == 303
    assert rows(conn, "SELECT appointment_id, topic, channel FROM consultations") == [
        (appointment, "business", "phone")]
    asked = client.get(f"/console/seekers/{kim}?appointment={appointment}").get_data(as_text=True)
    assert f'name="appointment" value="{appointment}"' in asked  # the reason first, the link kept
    opened_ = post(client, f"/console/seekers/{kim}/open", {"reason": "상담 결과", "appointment": str(appointment)})
    page = client.get(opened_.headers["Location"]).get_data(as_text=True)
    assert f"예약 {appointment}번에서 온 알선으로 기록합니다." in page
    refer(client, kim, keys(page)[1], appointment_id=str(appointment))
    assert rows(conn, "SELECT appointment_id, employer FROM placements") == [(appointment, "한빛물산")]


def test_a_withdrawn_persons_notes_are_erased_and_their_records_still_counted(app, conn):
    client, _ = signed(app, "staff", center_id=2)
    kim = seeker_id(conn)
    page = opened(client, kim)
    consult(client, kim, keys(page)[0], note="가족 사정 상담")
    [(number,)] = rows(conn, "SELECT id FROM consultations")
    post(client, f"/console/seekers/{kim}/consultations/{number}",
         {"day": "2026-11-23", "topic": "job_seeking", "channel": "phone", "counselor_id": "9", "note": "고친 메모"})
    assert post(client, f"/console/seekers/{kim}/withdraw", {"reason": "본인 요청"}).status_code == 303
    assert rows(conn, "SELECT note FROM consultations") == [(None,)]
    assert "가족 사정" not in rows(conn, "SELECT was FROM casework_corrections")[0][0]
    assert day_figures(conn)["consultations"]["count"] == 1
    after = client.get(f"/console/seekers/{kim}").get_data(as_text=True)
    assert "consultation-new" not in after and f"/consultations/{number}" not in after  # nothing to add or correct


def test_the_nightly_retention_erases_the_notes_of_those_who_withdrew_at_a_kiosk(app, conn):
    client, _ = signed(app, "counselor", counselor_id=9)
    kim = seeker_id(conn)
    consult(client, kim, keys(opened(client, kim))[0], note="면접 복장 안내")
    with transaction(conn):
        seekers.anonymize(conn, kim, app.extensions["clock"].now(), "withdrawal", secret=app.config["SECRET_KEY"])
    assert rows(conn, "SELECT note FROM consultations") == [("면접 복장 안내",)]
    retention.run(app)
    assert rows(conn, "SELECT note FROM consultations") == [(None,)]


def test_jobstop_stats_json_counts_what_the_console_recorded(app, conn, runner):
    args = ["stats", "--from", "2026-11-23", "--to", "2026-11-23", "--format", "json"]
    before = json.loads(runner.invoke(args=args).output)
    client, _ = signed(app, "counselor", counselor_id=9)
    kim = seeker_id(conn)
    page = opened(client, kim)
    consult(client, kim, keys(page)[0], topic="business", channel="phone")
    refer(client, kim, keys(page)[1])
    [(placement,)] = rows(conn, "SELECT id FROM placements")
    post(client, f"/console/seekers/{kim}/placements/{placement}", {"result": "hired", "hired_on": "2026-11-23"})
    after = json.loads(runner.invoke(args=args).output)

    def part(figures: dict, section: str, code: str) -> int:
        return next(row["count"] for row in figures["consultations"][section] if row["code"] == code)

    assert after["consultations"]["count"] == before["consultations"]["count"] + 1
    assert part(after, "by_topic", "business") == part(before, "by_topic", "business") + 1
    assert part(after, "by_channel", "phone") == part(before, "by_channel", "phone") + 1
    assert after["referrals"]["count"] == before["referrals"]["count"] + 1
    assert after["hired"]["count"] == before["hired"]["count"] + 1
    assert after["counselors_active"] >= 1


def test_the_forms_need_the_csrf_token_are_never_cached_and_speak_english_too(app, conn):
    client, account = signed(app, "counselor", counselor_id=9)
    kim = seeker_id(conn)
    page = opened(client, kim)
    forged = client.post(f"/console/seekers/{kim}/consultations", data={
        "day": "2026-11-23", "topic": "business", "channel": "phone", "counselor_id": "9", "form_key": "x"})
    assert forged.status_code in (400, 403) and rows(conn, "SELECT count(*) FROM consultations") == [(0,)]
    consult(client, kim, keys(page)[0])
    [(number,)] = rows(conn, "SELECT id FROM consultations")
    edit = client.get(f"/console/seekers/{kim}/consultations/{number}")
    assert edit.headers["Cache-Control"] == "no-store"
    assert client.get(f"/console/seekers/{kim}").headers["Cache-Control"] == "no-store"
    viewed = rows(conn, "SELECT what, reason FROM access_records WHERE action = 'view' AND account_id = ?"
                  " ORDER BY id", account.id)
    assert (f"consultation #{number}", "상담 기록") in viewed
    post(client, "/console/language", {"lang": "en", "next": f"/console/seekers/{kim}"})
    english = client.get(f"/console/seekers/{kim}").get_data(as_text=True)
    assert "Record a consultation" in english and "Starting a business" in english and "Phone" in english
    refused = consult(client, kim, "k-en", topic="")
    assert refused.status_code == 422 and "Choose the kind of consultation." in refused.get_data(as_text=True)
