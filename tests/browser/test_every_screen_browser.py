"""Every kiosk screen, in every language, portrait and landscape, plain, high contrast, large
text, low screen and at 200% zoom: no axe WCAG 2.2 AA violation, nothing wider than the
screen, every target at least 64 px with 10 px between targets, and with the low screen on,
every control below the reach line (1,200 mm from the floor on the stand in docs/deploy.md).

Sizes are measured in device pixels (CSS px × devicePixelRatio): what a finger meets on the
panel. One page per combination; screens are reached by address, and the forms a visitor
would fill in before one (phone, code, consent) are sent by the page's own request context.
"""

from __future__ import annotations

import pytest
from axe_check import axe_violations
from counselor_sms_helpers import latest_code, register_seeker
from support import ZONE

from kiosk.core.i18n import LANGUAGES
from kiosk.web.steps import MORE_STEPS

K = "/k/suwon-station"
REGISTERED = "+821077770001"
SCREENS = {"portrait": (1080, 1920), "landscape": (1920, 1080)}
MODES = ("plain", "high_contrast", "large_text", "low_screen", "zoom_200")
# The stand (docs/deploy.md): the portrait picture runs from 900 to 1,431 mm above the floor.
PICTURE_BOTTOM_MM, PICTURE_HEIGHT_MM, REACH_MM = 900, 531, 1200
REACH_LINE = (PICTURE_BOTTOM_MM + PICTURE_HEIGHT_MM - REACH_MM) / PICTURE_HEIGHT_MM  # of the height

MEASURE = """(reachLine) => {
  document.querySelectorAll('details').forEach(d => d.open = true);
  const scale = devicePixelRatio, selector = 'a[href], button, input:not([type=hidden]), select, textarea,'
    + ' summary, label.choice, [role=button]';
  const open = document.querySelector('dialog[open]');
  const targets = [...(open || document).querySelectorAll(selector)]
    .filter(e => !(e.parentElement && e.parentElement.closest(selector)))
    .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
    .map(e => ({e, r: e.getBoundingClientRect()}))
    .filter(t => t.r.width > 1 && t.r.height > 1);  // .visually-hidden text is no target
  const name = e => (e.id ? '#' + e.id + ' ' : '')
    + (e.innerText || e.value || e.name || e.tagName).trim().slice(0, 40);
  const small = targets.filter(t => Math.min(t.r.width, t.r.height) * scale < 63.5)
    .map(t => [name(t.e), Math.round(t.r.width * scale), Math.round(t.r.height * scale)]);
  const close = [];
  for (let i = 0; i < targets.length; i++) for (let j = i + 1; j < targets.length; j++) {
    const a = targets[i].r, b = targets[j].r;
    const gap = Math.max(b.left - a.right, a.left - b.right, b.top - a.bottom, a.top - b.bottom);
    if (gap * scale < 9.5) close.push([name(targets[i].e), name(targets[j].e), Math.round(gap * scale)]);
  }
  const wide = targets.filter(t => t.r.left < -0.5 || t.r.right > innerWidth + 0.5).map(t => name(t.e));
  const high = reachLine === null ? [] : targets.filter(t => t.r.top < reachLine * innerHeight - 0.5)
    .map(t => [name(t.e), Math.round(t.r.top)]);
  return {scroll: document.documentElement.scrollWidth, width: innerWidth, small, close, wide, high};
}"""


@pytest.fixture(params=[(screen, mode, lang) for screen in SCREENS for mode in MODES for lang in LANGUAGES],
                ids=lambda p: "-".join(p))
def kiosk(request, browser, live_server, conn, clock):
    """One page for the combination, its preferences set as a visitor sets them (…/prefs)."""
    screen, mode, lang = request.param
    width, height = SCREENS[screen]
    scale = 2 if mode == "zoom_200" else 1
    context = browser.new_context(viewport={"width": width // scale, "height": height // scale},
                                  device_scale_factor=scale, has_touch=True, locale="ko-KR",
                                  timezone_id=ZONE, base_url=live_server)
    page = context.new_page()
    page.set_default_timeout(15000)
    register_seeker(conn, REGISTERED, clock.now())
    visit = Visit(page, conn, lang, mode, portrait=screen == "portrait")
    visit.start()
    yield visit
    context.close()


class Visit:
    """A visitor's session on one page: preferences, forms sent, and each screen checked."""

    def __init__(self, page, conn, lang: str, mode: str, *, portrait: bool) -> None:
        self.page, self.conn, self.lang, self.mode, self.portrait = page, conn, lang, mode, portrait
        self.problems: list[str] = []

    def start(self) -> None:
        """A new visit at home with the language and the mode chosen."""
        self.page.goto(f"{K}/")
        self.post("/prefs", lang=self.lang)
        if self.mode in ("high_contrast", "large_text", "low_screen"):
            self.post("/prefs", toggle=self.mode)

    def post(self, path: str, **form: str) -> None:
        token = self.page.locator("input[name=csrf_token]").first.get_attribute("value")
        response = self.page.request.post(K + path, form={"csrf_token": token, **form}, max_redirects=0)
        assert response.status in (303, 204), (path, response.status)

    def check(self, path: str, expect: str | None = None, shows: str | None = None) -> None:
        """Opens the screen at path (it must stay there, or reach `expect`, and show `shows`)
        and records whatever it gets wrong."""
        self.page.goto(K + path)
        assert self.page.url.endswith(expect or K + path), (path, self.page.url)
        if shows:
            assert self.page.locator(shows).count() == 1, (path, shows)
        self.check_here(path)

    def check_here(self, what: str) -> None:
        line = REACH_LINE if self.mode == "low_screen" and self.portrait else None
        found = self.page.evaluate(MEASURE, line)
        violations = axe_violations(self.page)
        for kind, items in [("axe", violations), ("smaller than 64 px", found["small"]),
                            ("closer than 10 px", found["close"]), ("off the screen", found["wide"]),
                            ("above the reach line", found["high"])]:
            if items:
                self.problems.append(f"{what}: {kind}: {items[:6]}")
        if found["scroll"] > found["width"]:
            self.problems.append(f"{what}: scrolls sideways ({found['scroll']} > {found['width']})")


def opening_id(conn) -> int:
    return conn.execute("SELECT id FROM openings WHERE status = 'open' ORDER BY id LIMIT 1").fetchone()[0]


@pytest.mark.slow
def test_every_screen_in_every_language_and_mode(kiosk, conn):
    job = opening_id(conn)
    for path in ("/", "/openings", "/openings?q=%EA%B2%BD%EB%B9%84", f"/openings/{job}",
                 "/openings/regions", "/register"):
        kiosk.check(path)
    kiosk.check("/help", shows=".help-screen form[action$='/help'] button")  # by address: the button
    kiosk.page.goto("/k/jobbus-1/help")                  # no one to come: the number and a call-back
    assert kiosk.page.locator("#callback-phone").count() == 1
    kiosk.check_here("the help screen with no one on shift")
    kiosk.post("/help", next=f"{K}/openings")           # 직원 호출: help is coming
    kiosk.check("/help", shows=".help-screen [role=status]")
    kiosk.post("/help/callback", phone="010-7777-0003", consent="yes")
    kiosk.check("/help/callback")
    kiosk.page.goto(f"{K}/openings")                     # the search keyboard, open
    kiosk.page.locator("[data-keyboard-toggle]").tap()
    kiosk.check_here("the search keyboard")

    # Registration: the phone and code screens, the consent, the alerts question, a step.
    kiosk.post("/register")
    kiosk.check("/verify/phone")
    kiosk.post("/verify/phone", phone="010-7777-0002")
    kiosk.check("/verify/code")
    kiosk.post("/verify/code", code=latest_code(conn))
    kiosk.check("/register/consent/personal_data")
    kiosk.post("/register/consent/personal_data", answer="yes")
    kiosk.check("/register/alerts")
    kiosk.post("/register/alerts", sms_alerts="yes", night_alerts="no")
    kiosk.check("/register/step/occupation")
    kiosk.check(f"/openings/{job}/ask", expect="/verify/not-registered")

    # A registered seeker, at a new visit: My page, its steps, send, ask, booking.
    kiosk.post("/reset")
    kiosk.start()
    kiosk.post("/register")
    kiosk.post("/verify/phone", phone="010-7777-0001")
    kiosk.post("/verify/code", code=latest_code(conn))
    more = [f"/my/edit/{name}" for name in MORE_STEPS]  # "tell us more": one screen each
    for path in ("/my", *more, "/my/edit/occupation", "/my/edit/region", "/my/edit/digest_time", "/my/withdraw",
                 f"/openings/{job}/send", f"/openings/{job}/ask", "/booking"):
        kiosk.check(path)
    kiosk.post(f"/openings/{job}/send")
    kiosk.check(f"/openings/{job}/sent")  # a task's done screen
    kiosk.page.goto(f"{K}/")                             # the idle dialog over a screen
    kiosk.page.evaluate("document.getElementById('idle-dialog').showModal()")
    kiosk.check_here("the idle dialog")
    assert kiosk.problems == [], "\n".join(kiosk.problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_low_screen_button_on_home_is_within_reach_before_it_is_pressed(browser, live_server, lang):
    context = browser.new_context(viewport={"width": 1080, "height": 1920}, has_touch=True, base_url=live_server)
    page = context.new_page()
    page.goto(f"{K}/")
    if lang != "ko":
        page.locator(f"button[name=lang][value='{lang}']").tap()
        page.wait_for_selector(f"button[name=lang][value='{lang}'][aria-pressed=true]")
    button = page.locator("#low-screen")
    assert button.bounding_box()["y"] >= REACH_LINE * 1920
    button.tap()
    page.wait_for_selector("html.low-screen")
    assert page.locator("#low-screen").get_attribute("aria-pressed") == "true"
    tops = page.evaluate("[...document.querySelectorAll('a[href], button')].filter(e => e.getClientRects().length)"
                         ".map(e => e.getBoundingClientRect().top)")
    assert min(tops) >= REACH_LINE * 1920 - 0.5
    page.goto(f"{K}/openings")  # kept for the visit
    assert page.locator("html.low-screen").count() == 1
    context.close()
