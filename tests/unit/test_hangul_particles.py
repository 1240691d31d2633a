"""을/를 (and the other paired particles) follow the final consonant of the word before them."""

from __future__ import annotations

import pytest

from kiosk.core.hangul_particles import has_final_consonant, object_particle, particle


@pytest.mark.parametrize(("word", "expected"), [
    ("사무보조원", "사무보조원을"), ("경비", "경비를"), ("방문요양보호사", "방문요양보호사를"),
    ("용접공", "용접공을"), ("아파트 미화원", "아파트 미화원을"), ("바리스타", "바리스타를"),
    ("한국어 강사(다문화)", "한국어 강사(다문화)를"), ("도배사", "도배사를"), ("수산물 선별원", "수산물 선별원을"),
    ("닭", "닭을"), ("CO2", "CO2를"), ("3", "3을"), ("HTML", "HTML을"), ("IT", "IT를"),
])
def test_object_particle_follows_the_last_syllable(word, expected):
    assert object_particle(word) == expected


def test_other_pairs_and_unknown_endings():
    assert particle("센터", "이", "가") == "센터가" and particle("학원", "이", "가") == "학원이"
    assert particle("회사", "은", "는") == "회사는" and particle("식당", "과", "와") == "식당과"
    assert object_particle("★") == "★을(를)" and has_final_consonant("") is None
