"""The neighbours of Gyeonggi's 31 cities and counties: complete, symmetric, and as on the map."""

from __future__ import annotations

from kiosk.core.i18n import translate
from kiosk.core.neighbours import BORDERS, nearby, neighbours
from kiosk.core.regions import GYEONGGI, SEOUL


def named(codes) -> set[str]:
    return {translate(f"region.{code}") for code in codes}


def test_every_city_and_county_and_no_other():
    assert set(BORDERS) == set(GYEONGGI) and len(BORDERS) == 31


def test_neighbours_are_symmetric_and_never_the_place_itself():
    for region, others in BORDERS.items():
        assert region not in others and len(set(others)) == len(others), region
        for other in others:
            assert region in BORDERS[other], f"{named([region])} lists {named([other])}, not the other way"


def test_known_borders_from_the_map():
    assert named(neighbours("41590")) == {"수원시", "오산시", "용인시", "평택시", "안산시"}  # 화성
    assert named(neighbours("41110")) == {"화성시", "오산시", "용인시", "의왕시", "안산시"}  # 수원
    assert named(neighbours("41430")) == {"군포시", "과천시", "안양시", "수원시", "성남시", "용인시"}  # 의왕
    assert named(neighbours("41410")) == {"의왕시", "안산시", "안양시"}  # 군포
    assert "41800" not in nearby("41590") and "41590" in nearby("41590")  # 연천 is far from 화성


def test_every_place_has_a_neighbour_and_seoul_has_none_here():
    assert all(BORDERS[region] for region in GYEONGGI)
    assert neighbours(SEOUL[0]) == () and nearby(SEOUL[0]) == (SEOUL[0],)
