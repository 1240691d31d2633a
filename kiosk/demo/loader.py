"""Demo data that looks like a real province: centers, kiosks and thousands of openings.

The generator is deterministic (a seeded random), so tests and benchmarks can rely on it.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Any

from kiosk.core.db import Connection, transaction
from kiosk.core.formatting import local
from kiosk.core.hangul_particles import object_particle
from kiosk.core.regions import GYEONGGI, MINIMUM_HOURLY_WAGE, MONTHLY_HOURS, REGIONS, SEOUL
from kiosk.demo import counseling as counseling_demo
from kiosk.demo import seekers as seekers_demo
from kiosk.demo import staff as staff_demo
from kiosk.demo.addresses import address
from kiosk.demo.jobs import BENEFITS, BRANDS, DUTIES, SCHEDULES, TITLES, Schedule, employer_kinds
from kiosk.openings import store as openings
from kiosk.places import centers, kiosks

CENTERS = [
    # name, kind, region, address, phone
    ("수원역 일자리센터 상담부스", "booth", "41110", "경기도 수원시 팔달구 덕영대로 924 수원역 2층", "031-228-3111"),
    ("수원시 일자리센터", "center", "41110", "경기도 수원시 팔달구 효원로 241", "031-228-2000"),
    ("성남시 일자리센터", "center", "41130", "경기도 성남시 중원구 성남대로 997", "031-729-3000"),
    ("고양시 일자리센터", "center", "41280", "경기도 고양시 일산동구 중앙로 1275", "031-8075-3000"),
    ("용인시 일자리센터", "center", "41460", "경기도 용인시 처인구 중부대로 1199", "031-324-2000"),
    ("부천시 일자리센터", "center", "41190", "경기도 부천시 길주로 210", "032-625-3000"),
    ("경기 일자리버스", "bus", "41110", "경기도 내 순회 (터미널·역·영화관)", "031-270-9600"),
    ("서울 일자리플러스센터", "center", "11140", "서울특별시 중구 세종대로 110", "02-2133-4500"),
]

KIOSKS = [
    # code, name, place kind, region, center name
    ("suwon-station", "수원역 맞이방 키오스크", "station", "41110", "수원역 일자리센터 상담부스"),
    ("suwon-center", "수원시 일자리센터 로비", "center", "41110", "수원시 일자리센터"),
    ("seongnam-moran", "모란역 버스정류장", "bus_stop", "41130", "성남시 일자리센터"),
    ("goyang-juyeop", "고양시 주엽1동 주민센터", "community_center", "41280", "고양시 일자리센터"),
    ("yongin-center", "용인시 일자리센터 로비", "center", "41460", "용인시 일자리센터"),
    ("bucheon-terminal", "부천 소풍터미널 버스정류장", "bus_stop", "41190", "부천시 일자리센터"),
    ("jobbus-1", "경기 일자리버스 1호", "job_bus", "41110", "경기 일자리버스"),
    ("seoul-jobplus", "서울 일자리플러스센터", "center", "11140", "서울 일자리플러스센터"),
]

APPLY = ("phone", "visit", "referral", "text")
AREA_CODES = {"41190": "032", "41210": "02", "41290": "02"}  # 부천; 광명 and 과천 dial as Seoul


def _landline(rng: random.Random, region: str) -> str:
    area = "02" if region in SEOUL else AREA_CODES.get(region, "031")
    return f"{area}-{rng.randint(200, 999)}-{rng.randint(1000, 9999)}"


def _mobile(rng: random.Random) -> str:
    """A number for texts that no one has: mobile numbers never start 010-0."""
    return f"010-0{rng.randint(100, 999)}-{rng.randint(1000, 9999)}"


def _how_to_apply(rng: random.Random, region: str) -> tuple[str, str]:
    """How to apply, and the phone it names: a mobile for texts, the office's line for calls."""
    way = rng.choice(APPLY)
    if way == "text":
        phone = _mobile(rng)
        return f"문자로 성함과 연락처를 보내 주세요 ({phone})", phone
    phone = _landline(rng, region)
    return {"phone": f"전화 문의 후 방문 면접 ({phone})", "visit": "이력서를 지참하여 방문 접수",
            "referral": "일자리센터 알선 신청 (키오스크의 '상담 요청' 버튼)"}[way], phone


def _wage(rng: random.Random, employment_type: str, schedule: Schedule) -> tuple[str, int, int]:
    """Wage kind, amount and its hourly equivalent over the schedule's real monthly hours."""
    if employment_type in ("part_time", "daily") or rng.random() < 0.2:
        amount = rng.randrange(MINIMUM_HOURLY_WAGE, 16_500, 10)
        return "hourly", amount, amount
    hours = schedule.monthly_hours
    # Not below the statutory month either, so a CSV export of the demo imports again.
    floor = -(-MINIMUM_HOURLY_WAGE * max(hours, MONTHLY_HOURS) // 10_000) * 10_000
    amount = rng.randrange(floor, max(4_200_000, floor + 800_000), 10_000)
    return "monthly", amount, round(amount / hours)


def _schedule(rng: random.Random, family: str) -> tuple[Schedule, str]:
    """A schedule of the family and its employment type, at the province's usual mix."""
    weights = {"full_time": 5, "contract": 3, "part_time": 3, "daily": 1}
    employment = rng.choices(list(weights), list(weights.values()))[0]
    fitting = [s for s in SCHEDULES[family] if employment in s.kinds]
    if fitting:
        return rng.choice(fitting), employment
    schedule = rng.choice(SCHEDULES[family])
    return schedule, rng.choices(schedule.kinds, [weights[k] for k in schedule.kinds])[0]


def generate_openings(count: int, today: date, seed: int = 2026) -> Iterator[dict[str, Any]]:
    """count openings spread over every city, county and district and occupation group."""
    rng = random.Random(seed)
    weights = [3 if r in ("41110", "41130", "41280", "41460", "41190", "41270") else 1
               for r in GYEONGGI] + [1] * len(SEOUL)
    groups = list(TITLES)
    for n in range(count):
        region = REGIONS[n] if n < len(REGIONS) else rng.choices(REGIONS, weights)[0]
        group = groups[n % len(groups)] if n < len(groups) * 3 else rng.choice(groups)
        title, family = rng.choice(TITLES[group])
        schedule, employment = _schedule(rng, family)
        employer = f"{rng.choice(BRANDS)}{rng.choice(employer_kinds(group, title))}"
        wage_kind, wage_amount, hourly = _wage(rng, employment, schedule)
        how_to_apply, phone = _how_to_apply(rng, region)
        posted = today - timedelta(days=rng.randint(0, 30))
        deadline = (None if rng.random() < 0.15
                    else max(posted, today + timedelta(days=rng.randint(-2, 40))))
        perks = ", ".join(rng.sample(BENEFITS, 2))
        description = (f"{employer}에서 {object_particle(title)} 모집합니다. "
                       f"{DUTIES.get(family, '담당 업무는 면접 시 자세히 안내합니다.')} {perks}.")
        yield {
            "source_ref": f"demo-{seed}-{n}",
            "title": title, "employer": employer, "occupation": group, "region": region,
            "address": address(rng, region), "employment_type": employment,
            "wage_kind": wage_kind, "wage_amount": wage_amount, "hourly_wage": hourly,
            "work_hours": schedule.hours, "work_days": schedule.days, "description": description,
            "how_to_apply": how_to_apply, "contact_phone": phone,
            "posted_on": posted.isoformat(),
            "deadline": deadline.isoformat() if deadline else None,
            "status": "closed" if deadline and deadline < today else "open",
        }


def load_places(db: Connection) -> None:
    """Centers and kiosks; running it again changes nothing."""
    centers.add_many(db, CENTERS)
    kiosks.add_many(db, KIOSKS)


def load(db: Connection, now: datetime, zone: str, openings_count: int = 2400, *, secret: str,
         say: Callable[[str], None] | None = None) -> None:
    """Everything the demo shows. Each feature's demo rows are added by its own loader; secret keys
    the consent ledger's fingerprints, as the app's SECRET_KEY does.

    say, when given, hears what is loaded next ("2,400 openings"), for a command to show.
    """
    tell = say or (lambda _: None)
    today = local(now, zone).date()
    with transaction(db):
        tell(f"{len(CENTERS)} centers and {len(KIOSKS)} kiosks")
        load_places(db)
        tell(f"{openings_count:,} openings")
        openings.upsert_many(db, generate_openings(openings_count, today), now)
        for extra in feature_loaders():
            tell(extra.__module__.rsplit(".", 1)[-1])  # seekers, counseling
            extra(db, now, zone, secret)


def feature_loaders() -> list:
    """Demo rows of other features (counselors, seekers, ...), each feature's own function."""
    return [seekers_demo.load, counseling_demo.load, staff_demo.load]
