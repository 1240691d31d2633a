"""The published figures computed the plain way, from every raw row, to check kiosk.stats against:
each row's local day worked out on its own, counted in Python (no shared code with kiosk.stats)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo


def day_of(text: str | None, zone: str) -> date | None:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(ZoneInfo(zone)).date() if text else None


def shares(counts: Counter) -> dict[str, tuple[int, float]]:
    total = sum(counts.values())
    return {str(code): (n, round(n / total, 4)) for code, n in counts.items()}


def truth(conn, start: date, end: date, zone: str, center_id: int | None = None) -> dict:
    """Every figure of the period (both ends included) over every center, or one."""
    inside = lambda day: day is not None and start <= day <= end  # noqa: E731
    center_region = {row[0]: row[1] for row in conn.execute("SELECT id, region FROM centers")}
    center_kind = {row[0]: row[1] for row in conn.execute("SELECT id, kind FROM centers")}
    kiosk_kind = {row[0]: (row[1], row[2]) for row in conn.execute("SELECT code, place_kind, center_id FROM kiosks")}
    programs = defaultdict(list)
    for seeker_id, program in conn.execute("SELECT seeker_id, program FROM seeker_programs"):
        programs[seeker_id].append(program)
    wanted = defaultdict(list)
    for seeker_id, value in conn.execute("SELECT seeker_id, value FROM seeker_prefs WHERE kind = 'occupation'"):
        wanted[seeker_id].append(value)

    def channel(kiosk):
        if kiosk is None or kiosk not in kiosk_kind:
            return "sms"
        place, home = kiosk_kind[kiosk]
        if place == "job_bus" or center_kind[home] == "bus":
            return "bus"
        return "booth" if center_kind[home] == "booth" else "kiosk"

    found = {key: Counter() for key in (
        "reg_age", "reg_channel", "reg_program", "hired_occupation", "hired_age", "hired_region",
        "hired_program", "place_registered", "place_hired", "unhired", "week_registered", "week_hired")}
    registered = hired = bus_hired = 0
    bus_days = set()
    for row in conn.execute("SELECT id, age_band, kiosk_code, center_id, registered_at, employed_at,"
                            " employed_occupation FROM seekers"):
        seeker_id, band, kiosk, center, reg_at, hired_at, occupation = row
        if center_id is not None and center != center_id:
            continue
        reg_day, hire_day = day_of(reg_at, zone), day_of(hired_at, zone)
        if inside(reg_day):
            registered += 1
            found["reg_age"][band or "unknown"] += 1
            found["reg_channel"][channel(kiosk)] += 1
            found["place_registered"][kiosk or ""] += 1
            found["week_registered"][reg_day - timedelta(days=reg_day.weekday())] += 1
            for program in programs[seeker_id]:
                found["reg_program"][program] += 1
            if channel(kiosk) == "bus":
                bus_days.add((kiosk, reg_day))
            if hired_at is None:
                for value in wanted[seeker_id]:
                    found["unhired"][value] += 1
        if inside(hire_day):
            hired += 1
            found["hired_occupation"][occupation or "unknown"] += 1
            found["hired_age"][band or "unknown"] += 1
            found["hired_region"][center_region[center]] += 1
            found["place_hired"][kiosk or ""] += 1
            found["week_hired"][hire_day - timedelta(days=hire_day.weekday())] += 1
            bus_hired += channel(kiosk) == "bus"
            for program in programs[seeker_id]:
                found["hired_program"][program] += 1

    def activity(sql):
        for row in conn.execute(sql):
            if (center_id is None or row[0] == center_id) and inside(day_of(row[1], zone)):
                yield row

    topics, channels, counselors = Counter(), Counter(), set()
    for _center, _at, topic, way, counselor in activity(
            "SELECT center_id, at, topic, channel, counselor_id FROM consultations"):
        topics[topic] += 1
        channels[way] += 1
        counselors.add(counselor)
    referrals = 0
    for _center, _at, counselor in activity("SELECT center_id, at, counselor_id FROM placements"):
        referrals += 1
        counselors.add(counselor)
    scores = [row[2] for row in activity("SELECT center_id, answered_at, score FROM satisfaction_answers")]
    counted_days = (end - start).days + 1
    average = sum(scores) / len(scores) if scores else None
    return {
        "registered": registered, "hired": hired, "rate": round(hired / registered, 4) if registered else None,
        "per_day": round(hired / counted_days, 1),
        "registered_by_age_band": shares(found["reg_age"]), "registered_by_channel": shares(found["reg_channel"]),
        "registered_by_program": shares(found["reg_program"]),
        "hired_by_occupation": shares(found["hired_occupation"]), "hired_by_age_band": shares(found["hired_age"]),
        "hired_by_region": shares(found["hired_region"]), "hired_by_program": shares(found["hired_program"]),
        "places": {code: (found["place_registered"][code], found["place_hired"][code])
                   for code in set(found["place_registered"]) | set(found["place_hired"])},
        "bus": (len(bus_days), bus_hired),
        "consultations": sum(topics.values()), "topics": dict(topics), "channels": dict(channels),
        "referrals": referrals, "counselors": len(counselors - {None}),
        "answers": len(scores), "satisfied": sum(score >= 4 for score in scores),
        "average": round(average, 2) if average is not None else None,
        "score": round((average - 1) / 4 * 100, 1) if average is not None else None,
        "unhired": found["unhired"].most_common(),
        "weeks": (dict(found["week_registered"]), dict(found["week_hired"])),
    }
