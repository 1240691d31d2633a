"""The shape of the demo's two years of activity, after the figures Seoul's Job Plus Center and
Gyeonggi publish (DESIGN.md): about 49% of registered seekers hired; hires by occupation
(경영 25.5%, 경비 17.4%, 문화 7.1%, ...) and age (29 and under 29.9%, 40–54 25.1%, 55 and over
24.4%); about 7 consultations (3% about starting a business) and 3 referrals per registered
seeker; about 70% satisfied, rising between the two years; about 16 hires a day at the Suwon
Station booth; the job bus about 140 runs a year, about 5 hires a run; a third more people in
the second year than in the first.
"""

from __future__ import annotations

# kiosk code (None: registered by text at the center), center name, registrations a day in the
# latest year, all days counted (centers take them on weekdays; the job bus: per run).
PLACES = [
    ("suwon-station", "수원역 일자리센터 상담부스", 38.0),
    ("suwon-center", "수원시 일자리센터", 5.0),
    (None, "수원시 일자리센터", 1.0),
    ("seongnam-moran", "성남시 일자리센터", 4.0),
    ("goyang-juyeop", "고양시 일자리센터", 3.5),
    ("yongin-center", "용인시 일자리센터", 3.0),
    ("bucheon-terminal", "부천시 일자리센터", 3.0),
    ("seoul-jobplus", "서울 일자리플러스센터", 25.0),
    (None, "서울 일자리플러스센터", 2.0),
]
BUS = ("jobbus-1", "경기 일자리버스", 11.5)  # registrations per run
BUS_RUNS_A_YEAR = 140
# Counselors of a place without its own (the booth's and the bus's seekers are counseled there too).
COUNSELED_AT = {"경기 일자리버스": "수원시 일자리센터"}

YEARS = 2
GROWTH = 1.33  # the latest year's people over the year before's
HIRED = 0.51  # of everyone; the latest registrants are not hired yet, so about 49% of a year's
HIRE_DAYS = (5, 75)  # a hire comes this many days after registering
AGE_BANDS = {"29": 29.9, "30_39": 20.6, "40_54": 25.1, "55": 24.4}
BIRTH_YEARS = {"29": (22, 29), "30_39": (30, 39), "40_54": (40, 54), "55": (55, 72)}  # ages
HIRED_OCCUPATIONS = {"office": 25.5, "security": 17.4, "culture": 7.1, "care": 12.0, "food": 9.0,
                     "sales": 8.0, "driving": 7.0, "manufacturing": 6.0, "construction": 3.5, "it": 1.5,
                     "health": 1.5, "education": 1.0, "agriculture": 0.5}
# What people not hired (yet) wanted: more of them in office work, culture and IT.
WANTED_UNHIRED = {"office": 30.0, "culture": 12.0, "it": 10.0, "security": 9.0, "care": 8.0, "sales": 7.0,
                  "food": 6.0, "health": 5.0, "education": 5.0, "driving": 4.0, "manufacturing": 3.0,
                  "construction": 0.5, "agriculture": 0.5}
PROGRAMS = {"youth": 0.22, "senior": 0.20, "career_break": 0.12, "multicultural": 0.05, "breadwinner": 0.04,
            "disability": 0.03}
# A center's own program mix (수원시: a working-mother program nearly half of its people are in).
CENTER_PROGRAMS = {"수원시 일자리센터": {"career_break": 0.45}}
CONSULTATIONS = (2, 12)  # per registered seeker, evenly: about 7
BUSINESS = 0.03
CHANNELS = {"visit": 55, "phone": 30, "text": 10, "kiosk": 5}
REFERRALS = (0, 6)  # per registered seeker, evenly: about 3
ANSWERED = 0.6  # seekers who rate their counseling
# Scores 5..1 in the year before and the latest year: satisfied (4-5) 65% then 70% (score 65 → 70).
SCORES = ({5: 28, 4: 37, 3: 21, 2: 9, 1: 5}, {5: 33, 4: 37, 3: 19, 2: 7, 1: 4})
EMPLOYER_KINDS = ("물산", "식품", "물류", "시설관리", "돌봄센터", "마트", "정밀", "건설", "테크", "아트홀")
PHONE_PREFIX = "+821002"  # 010-02xx-xxxx: numbers no one has (mobile numbers never start 010-0)
MEMO = "데모 이력"
