"""Console pages in Chromium: signing a Playwright page in, and the office screen sizes."""

from __future__ import annotations

LAPTOP = {"width": 1366, "height": 768}
DESKTOP = {"width": 1920, "height": 1080}


def sign_in_page(page, base_url: str, account) -> None:
    """Signs the page in through the sign-in form, by the keyboard, and waits for the console's home."""
    page.set_viewport_size(LAPTOP)
    page.goto(f"{base_url}/console/sign-in")
    page.fill("#email", account.email)
    page.fill("#password", account.password)
    page.press("#password", "Enter")
    page.wait_for_url(f"{base_url}/console/")
