"""The job bus's coming runs for the demo: stops in Gyeonggi cities with their partner centers.

Runs start the day after tomorrow, so a test may plan its own run for tomorrow.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from kiosk.core.db import Connection
from kiosk.core.formatting import local
from kiosk.outreach import runs

BUS = "jobbus-1"
RUNS = [
    # days from today, hours, stop, address, region, partner center
    (2, "10:00", "16:00", "용인공용버스터미널 앞", "경기도 용인시 처인구 중부대로 1450", "41460", "용인시 일자리센터"),
    (3, "10:00", "17:00", "야탑역 광장 (성남종합버스터미널)", "경기도 성남시 분당구 야탑로 81번길 10", "41130",
     "성남시 일자리센터"),
    (4, "11:00", "17:00", "백석역 메가박스 앞", "경기도 고양시 일산동구 중앙로 1124", "41280", "고양시 일자리센터"),
    (7, "10:00", "16:00", "부천역 북부광장", "경기도 부천시 부천로 1", "41190", "부천시 일자리센터"),
    (9, "10:00", "16:00", "화성시청 앞 광장", "경기도 화성시 남양읍 시청로 159", "41590", "수원시 일자리센터"),
]


def load(db: Connection, now: datetime, zone: str, _secret: str) -> None:
    """Plans the demo runs (in the loader's transaction), each with one counselor of its partner center."""
    today = local(now, zone).date()
    for days, starts, ends, place, address, region, center in RUNS:
        center_id = runs.center_named(db, center)
        aboard = db.execute("SELECT id FROM counselors WHERE center_id = ? AND active = 1 ORDER BY id LIMIT 1",
                            (center_id,)).fetchall()
        plan = runs.Plan(bus=BUS, day=today + timedelta(days=days), starts=starts, ends=ends, place=place,
                         address=address, region=region, center_id=center_id,
                         counselor_ids=tuple(row[0] for row in aboard))
        if runs.on_day(db, BUS, plan.day) is None:
            runs.add(db, plan, now)
