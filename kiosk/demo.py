"""Demo data that looks like a real province: centers, kiosks and thousands of openings.

The generator is deterministic (a seeded random), so tests and benchmarks can rely on it.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

from kiosk import openings
from kiosk.formatting import local
from kiosk.i18n import translate
from kiosk.regions import GYEONGGI, MINIMUM_HOURLY_WAGE, MONTHLY_HOURS, REGIONS, SEOUL

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

TITLES = {
    "office": ["사무보조원", "경리 사무원", "총무 사무원", "회계 사무원", "행정 보조원",
               "물류 사무원", "인사 사무원", "고객상담 사무원"],
    "security": ["아파트 경비원", "건물 경비원", "학교 당직 경비원", "주차 관리원", "건물 청소원",
                 "아파트 미화원", "병원 환경미화원", "시설 경비 및 순찰"],
    "sales": ["매장 판매원", "편의점 판매원", "마트 계산원", "영업사원", "휴대폰 판매원",
              "화장품 판매원", "농산물 판매원"],
    "care": ["방문요양보호사", "요양보호사", "사회복지사", "장애인활동지원사", "아이돌보미",
             "산후관리사", "간병인", "노인생활지원사"],
    "culture": ["생활체육 지도자", "도서관 사서 보조", "공연장 안내원", "수영 강사",
                "문화센터 강사", "박물관 해설사"],
    "food": ["주방 보조", "조리원", "한식 조리사", "홀 서빙", "급식 조리원", "바리스타",
             "제과제빵원", "호텔 객실 정비원"],
    "driving": ["마을버스 운전원", "택배 배송원", "지게차 운전원", "화물차 운전원",
                "통학차량 운전원", "시내버스 운전원", "배달원"],
    "manufacturing": ["생산직 사원", "용접공", "CO2 용접사", "CNC 가공원", "포장원",
                      "품질 검사원", "식품 생산원", "전자부품 조립원", "물류센터 상하차"],
    "construction": ["건설 현장 보통인부", "타일 기능공", "도배사", "전기 공사원", "배관공",
                     "철근공", "건물 보수원", "조경 작업원"],
    "it": ["웹 개발자", "데이터 입력원", "전산 보조원", "연구 보조원", "소프트웨어 테스터",
           "IT 헬프데스크 상담원"],
    "health": ["간호조무사", "병원 코디네이터", "물리치료 보조원", "치과위생사", "약국 보조원",
               "병동 보조원"],
    "education": ["방과후 강사", "학원 강사", "돌봄교실 전담사", "한국어 강사(다문화)",
                  "유치원 보조교사", "학습지 교사"],
    "agriculture": ["농작업 보조원", "시설원예 작업원", "양계장 관리원", "조경수 관리원",
                    "수산물 선별원"],
}

EMPLOYER_SUFFIX = {
    "office": ["물산", "상사", "회계사무소", "무역", "유통"],
    "security": ["아파트 관리사무소", "시설관리", "빌딩관리", "경비용역"],
    "sales": ["마트", "유통", "상회", "쇼핑"],
    "care": ["재가복지센터", "요양원", "복지관", "방문요양센터"],
    "culture": ["체육센터", "문화재단", "아트홀", "스포츠센터"],
    "food": ["식당", "푸드", "급식", "카페", "베이커리"],
    "driving": ["운수", "물류", "택배", "교통"],
    "manufacturing": ["산업", "정밀", "테크", "식품", "전자"],
    "construction": ["건설", "종합건설", "인테리어", "설비"],
    "it": ["소프트", "정보기술", "데이터", "연구소"],
    "health": ["의원", "병원", "치과", "약국", "한의원"],
    "education": ["학원", "교육", "지역아동센터", "어린이집"],
    "agriculture": ["농원", "영농조합", "수산", "농장"],
}
BRANDS = ["한빛", "대성", "새솔", "푸른", "동남", "미래", "으뜸", "세종", "한결", "늘봄", "하나",
          "참좋은", "다온", "가온", "누리", "청솔", "금강", "소망", "행복", "바른", "큰나무", "해오름"]
STREETS = ["중앙로", "시청로", "역전로", "산업로", "공단로", "평화로", "신흥로", "문화로", "만석로",
           "경수대로", "호수로", "은행로", "장터길", "새마을로", "동서로", "남북로"]
BENEFITS = ["4대보험 가입", "중식 제공", "퇴직금 지급", "55세 이상 우대", "경력단절여성 환영",
            "초보 가능, 교육 제공", "통근버스 운행", "경력 무관", "주휴수당 지급", "장기근속 수당"]
DUTIES = {
    "security": "경비 및 순찰, 분리수거 관리, 택배 보관 업무를 담당합니다.",
    "care": "어르신 댁을 방문하여 일상생활과 신체활동을 지원합니다. 요양보호사 자격증 필요.",
    "manufacturing": "생산 라인 작업과 용접, 조립, 포장 업무를 담당합니다.",
    "driving": "정해진 노선과 배송 구역을 운행합니다. 해당 운전면허 필요.",
}

HOURS = {
    "full_time": [("09:00~18:00", "월~금"), ("08:30~17:30", "월~금"), ("08:00~17:00", "월~토 (격주 토요일)")],
    "contract": [("09:00~18:00", "월~금"), ("07:00~16:00", "주 5일 (교대)")],
    "part_time": [("10:00~14:00", "월~금"), ("18:00~22:00", "주 3일"), ("09:00~13:00", "토·일")],
    "daily": [("07:00~17:00", "일정 협의"), ("08:00~17:00", "현장 일정에 따름")],
}
SHIFT_HOURS = ("09:00~익일 09:00 (24시간 격일 교대)", "격일")


def _phone(rng: random.Random, region: str) -> str:
    area = "02" if region in SEOUL else "031"
    return f"{area}-{rng.randint(200, 999)}-{rng.randint(1000, 9999)}"


def _wage(rng: random.Random, employment_type: str) -> tuple[str, int]:
    if employment_type in ("part_time", "daily") or rng.random() < 0.2:
        return "hourly", rng.randrange(MINIMUM_HOURLY_WAGE, 16_500, 10)
    floor = -(-MINIMUM_HOURLY_WAGE * MONTHLY_HOURS // 10_000) * 10_000
    return "monthly", rng.randrange(floor, 4_200_000, 10_000)


def generate_openings(count: int, today: date, seed: int = 2026) -> Iterator[dict[str, Any]]:
    """count openings spread over every city, county and district and occupation group."""
    rng = random.Random(seed)
    weights = [3 if r in ("41110", "41130", "41280", "41460", "41190", "41270") else 1
               for r in GYEONGGI] + [1] * len(SEOUL)
    groups = list(TITLES)
    for n in range(count):
        region = REGIONS[n] if n < len(REGIONS) else rng.choices(REGIONS, weights)[0]
        group = groups[n % len(groups)] if n < len(groups) * 3 else rng.choice(groups)
        title = rng.choice(TITLES[group])
        employer = f"{rng.choice(BRANDS)}{rng.choice(EMPLOYER_SUFFIX[group])}"
        employment = rng.choices(("full_time", "contract", "part_time", "daily"), (5, 3, 3, 1))[0]
        wage_kind, wage_amount = _wage(rng, employment)
        hours, days = (SHIFT_HOURS if group == "security" and rng.random() < 0.5
                       else rng.choice(HOURS[employment]))
        province = translate(f"province.{'seoul' if region in SEOUL else 'gyeonggi'}")
        address = (f"{province} {translate(f'region.{region}')} {rng.choice(STREETS)} "
                   f"{rng.randint(1, 480)}")
        phone = _phone(rng, region)
        posted = today - timedelta(days=rng.randint(0, 30))
        deadline = None if rng.random() < 0.15 else today + timedelta(days=rng.randint(-2, 40))
        perks = ", ".join(rng.sample(BENEFITS, 2))
        description = (f"{employer}에서 {title}을(를) 모집합니다. "
                       f"{DUTIES.get(group, '담당 업무는 면접 시 자세히 안내합니다.')} {perks}.")
        yield {
            "source_ref": f"demo-{seed}-{n}",
            "title": title, "employer": employer, "occupation": group, "region": region,
            "address": address, "employment_type": employment,
            "wage_kind": wage_kind, "wage_amount": wage_amount,
            "work_hours": hours, "work_days": days, "description": description,
            "how_to_apply": rng.choice([
                f"전화 문의 후 방문 면접 ({phone})",
                "이력서를 지참하여 방문 접수",
                "일자리센터 알선 신청 (키오스크의 '상담 요청' 버튼)",
                f"문자로 성함과 연락처를 보내 주세요 ({phone})",
            ]),
            "contact_phone": phone,
            "posted_on": posted.isoformat(),
            "deadline": deadline.isoformat() if deadline else None,
            "status": "closed" if deadline and deadline < today else "open",
        }


def load_places(db: sqlite3.Connection) -> None:
    """Centers and kiosks; running it again changes nothing."""
    db.executemany(
        "INSERT INTO centers (name, kind, region, address, phone) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (name) DO NOTHING", CENTERS)
    db.executemany(
        "INSERT INTO kiosks (code, name, place_kind, region, center_id)"
        " SELECT ?, ?, ?, ?, id FROM centers WHERE name = ? ON CONFLICT (code) DO NOTHING",
        KIOSKS)


def load(db: sqlite3.Connection, now: datetime, zone: str, openings_count: int = 2400) -> None:
    """Everything the demo shows. Each feature's demo rows are added by its own loader."""
    from kiosk.db import transaction

    today = local(now, zone).date()
    with transaction(db):
        load_places(db)
        openings.upsert_many(db, generate_openings(openings_count, today), now)
        for extra in feature_loaders():
            extra(db, now, zone)


def feature_loaders() -> list:
    """Demo rows of other features (counselors, seekers, ...), each feature's own function."""
    from kiosk import counseling_demo, seekers_demo

    return [seekers_demo.load, counseling_demo.load]
