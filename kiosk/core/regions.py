"""Codes for the places, occupation groups and employment types JobStop knows.

Names people read live in the translation catalog (region.<code>, occupation.<code>,
employment.<code>); these are the stable codes stored in the database and used in URLs.
Region codes are the national administrative codes of the city, county or district.
"""

from __future__ import annotations

GYEONGGI = (
    "41110", "41130", "41150", "41170", "41190", "41210", "41220", "41250", "41270", "41280",
    "41290", "41310", "41360", "41370", "41390", "41410", "41430", "41450", "41460", "41480",
    "41500", "41550", "41570", "41590", "41610", "41630", "41650", "41670", "41800", "41820",
    "41830",
)
SEOUL = (
    "11110", "11140", "11170", "11200", "11215", "11230", "11260", "11290", "11305", "11320",
    "11350", "11380", "11410", "11440", "11470", "11500", "11530", "11545", "11560", "11590",
    "11620", "11650", "11680", "11710", "11740",
)
REGIONS = GYEONGGI + SEOUL
PROVINCES = {"41": "gyeonggi", "11": "seoul"}

OCCUPATIONS = (
    "office", "security", "sales", "care", "culture", "food", "driving",
    "manufacturing", "construction", "it", "health", "education", "agriculture",
)
EMPLOYMENT_TYPES = ("full_time", "contract", "part_time", "daily")
WAGE_KINDS = ("hourly", "monthly")
AGE_BANDS = ("29", "30_39", "40_54", "55")
# A consultation's kind (finding a job, starting a business) and how it took place.
CONSULTATION_TOPICS = ("job_seeking", "business")
CONSULTATION_CHANNELS = ("visit", "phone", "text", "kiosk")

MINIMUM_HOURLY_WAGE = 10_320  # 2026
MONTHLY_HOURS = 209  # the statutory month: 40 hours a week plus paid weekly rest


def province_of(region: str) -> str:
    return PROVINCES[region[:2]]


def least_wage(wage_kind: str) -> int:
    """The minimum wage an opening may offer: per hour, or for the statutory month."""
    return MINIMUM_HOURLY_WAGE * (MONTHLY_HOURS if wage_kind == "monthly" else 1)


def hourly_equivalent(wage_kind: str, amount: int) -> int:
    """The pay per hour, so hourly and monthly wages compare."""
    return amount if wage_kind == "hourly" else round(amount / MONTHLY_HOURS)


def age_band(birth_year: int, this_year: int) -> str:
    """The age band the centers report by: ≤29, 30–39, 40–54, 55+."""
    age = this_year - birth_year
    if age <= 29:
        return "29"
    if age <= 39:
        return "30_39"
    if age <= 54:
        return "40_54"
    return "55"
