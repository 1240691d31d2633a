"""What a visitor's fingers do on the kiosk, shared by the browser tests."""

from __future__ import annotations

import re

from counselor_sms_helpers import latest_code


def tap_keys(page, pad: str, digits) -> None:
    """Taps each digit on an on-screen keypad ('phone' or 'code')."""
    for digit in digits:
        page.locator(f"[data-keypad='{pad}'] [data-key='{digit}']").tap()


def pass_phone_and_code(page, conn, number: str, *, send: str = "인증번호 받기", confirm: str = "확인") -> None:
    """The phone screen, then the code screen with the code just texted, all by taps."""
    page.wait_for_url(re.compile(r"/verify/phone$"))
    tap_keys(page, "phone", number)
    page.get_by_role("button", name=send).tap()
    page.wait_for_url(re.compile(r"/verify/code$"))
    tap_keys(page, "code", latest_code(conn))
    page.get_by_role("button", name=confirm, exact=True).tap()
