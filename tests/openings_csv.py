"""A CSV file of openings for the upload tests: two good rows, four bad ones (lines 4 to 7)."""

from __future__ import annotations

HEADER = ("source_ref,title,employer,occupation,region,address,employment_type,wage_kind,"
          "wage_amount,work_hours,work_days,how_to_apply,posted_on,deadline,description,contact_phone\n")
GOOD = [
    'hrd-001,아파트 경비원,한빛아파트 관리사무소,security,41110,경기도 수원시 팔달구 중앙로 1,full_time,'
    'monthly,"2,400,000",09:00~18:00,월~금,전화 후 방문,2026-11-20,2026-12-20,경비 및 순찰,031-111-2222\n',
    'hrd-002,방문요양보호사,늘봄재가복지센터,사회복지·돌봄,용인시,경기도 용인시 처인구 중부대로 1,시간제,'
    '시급,12000,10:00~14:00,월~금,문자 접수,2026-11-21,,"어르신 댁 방문, 자격증 필요",\n',
]
BAD = [
    'hrd-003,,대성정밀,manufacturing,41130,주소,full_time,hourly,12000,09:00~18:00,월~금,방문,2026-11-20,,,\n',
    'hrd-004,용접공,대성정밀,welding,41130,주소,full_time,hourly,9000,09:00~18:00,월~금,방문,2026-11-20,,,\n',
    'hrd-005,용접공,대성정밀,manufacturing,99999,주소,full_time,monthly,2000000,09:00~18:00,월~금,방문,'
    '2026-13-01,2026-11-01,,\n',
    'hrd-001,경비원,중복,security,41110,주소,full_time,hourly,12000,09:00~18:00,월~금,방문,2026-11-20,,,\n',
]


def csv_bytes(lines: list[str]) -> bytes:
    return (HEADER + "".join(lines)).encode("utf-8")
