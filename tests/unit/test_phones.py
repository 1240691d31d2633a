"""Korean mobile numbers."""

import pytest

from kiosk.core.phones import InvalidPhone, mask, national, normalize_mobile


@pytest.mark.parametrize("text", ["010-1234-5678", "01012345678", "010 1234 5678",
                                  "+82 10-1234-5678", "+821012345678"])
def test_mobile_numbers_normalize_to_e164(text):
    assert normalize_mobile(text) == "+821012345678"


@pytest.mark.parametrize(("text", "reason"), [
    ("", "phone.empty"), ("010-12ab-5678", "phone.not_digits"), ("010-1234", "phone.malformed"),
    ("02-312-4567", "phone.not_mobile"), ("031-228-3111", "phone.not_mobile"),
    ("+1 415 555 0100", "phone.malformed"),
])
def test_landlines_and_malformed_numbers_are_refused_with_a_reason(text, reason):
    with pytest.raises(InvalidPhone) as caught:
        normalize_mobile(text)
    assert caught.value.reason == reason


def test_masking_keeps_only_the_last_four_digits():
    assert mask("+821012345678") == "010-****-5678"
    assert national("+821012345678") == "010-1234-5678"
    assert mask(None) == ""
