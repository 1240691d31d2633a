"""What a kiosk visitor, a stale screen or a script can send: addresses, query parameters, forms.

The parameter names are read from the views' own source, so a parameter added to a screen is
fuzzed without anyone remembering to list it here.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import strategies as st

from kiosk.core.regions import EMPLOYMENT_TYPES, OCCUPATIONS, REGIONS
from kiosk.seekers.consents import NOTICE_VERSIONS
from kiosk.seekers.store import FREQUENCIES, PROGRAMS
from kiosk.web.register import ALERT_KINDS
from kiosk.web.steps import STEPS

ROOT = Path(__file__).resolve().parents[2]
READS = re.compile(r"""(?:args|form|values)\.(?:get|getlist)\(\s*["'](\w+)["']|["'](\w+)["'] in request\.args""")
# Where the kiosk's screens read what a request carries.
SOURCES = [*sorted((ROOT / "kiosk" / "web").glob("*.py")), ROOT / "kiosk" / "openings" / "store.py",
           ROOT / "sms" / "devpage.py", *sorted((ROOT / "kiosk" / "console").glob("*.py"))]
KIOSK = "suwon-station"


def parameter_names() -> list[str]:
    """Every query or form field name a kiosk view reads."""
    names = {a or b for path in SOURCES for a, b in READS.findall(path.read_text(encoding="utf-8"))}
    return sorted(names | {"value", "csrf_token"})


NAMES = parameter_names()

KNOWN = [
    "", "0", "1", "2", "00", "-1", "1.5", "2400", "99999", "1000001", "9" * 30, str(2**63), "²", "①", "٣", "１",
    "on", "yes", "no", "true", "ko", "en", "zh", "vi", "easy", "send", "grant", "refuse", "pause", "resume",
    *OCCUPATIONS[:3], *REGIONS[:2], "41", *EMPLOYMENT_TYPES[:2], "newest", "closing", *PROGRAMS[:2],
    *FREQUENCIES, *ALERT_KINDS, *NOTICE_VERSIONS, *STEPS,
    "010-1234-5678", "01012345678", "+821012345678", "010-5555-1234", "02-123-4567", "123456", "000000",
    "2026-11-24T02:00:00Z", "2026-11-24T02:00:00", "2026-11-24", "2026-02-30", "9999-12-31T00:00:00Z",
    "1962", "1900", "3000", "홍길동", "  홍  길동 ", "ㅎㄱㄷ",
    "../..", "/k/suwon-station/", "/k/suwon-station/openings?occupation=security", "//elsewhere.example/",
    "https://elsewhere.example/", "\r\nSet-Cookie: x=1", "\x00", "%", "%zz", "<script>", "'", '"', "a" * 3000,
    "q=1&back=x", "occupation=security&back=region%3D41110",
]
VALUES = st.one_of(st.sampled_from(KNOWN), st.text(max_size=40), st.integers(-(10**20), 10**20).map(str))
FIELDS = st.lists(st.tuples(st.one_of(st.sampled_from(NAMES), st.text(min_size=1, max_size=12)), VALUES),
                  max_size=6)

PATH_VALUES = {
    "kiosk_code": st.sampled_from([KIOSK] * 9 + ["no-such-kiosk"]),
    "opening_id": st.one_of(st.integers(1, 2400), st.sampled_from([0, 2401, 2**63 - 1, 2**63])),
    "appointment_id": st.one_of(st.sampled_from([1, 2, 0, 2**63]), st.integers(0, 50)),
    "referral_id": st.one_of(st.sampled_from([1, 0, 2**63]), st.integers(0, 20)),
    "kind": st.one_of(st.sampled_from(["personal_data", *ALERT_KINDS, "message", "alerts", *NOTICE_VERSIONS]),
                      st.text(min_size=1, max_size=12)),
    "name": st.one_of(st.sampled_from([*STEPS, "phone", "code", "review"]), st.text(min_size=1, max_size=12)),
    "unknown": st.text(min_size=1, max_size=20),
    "lang": st.sampled_from(["ko", "en", "zh", "vi", "ko-easy", "xx"]),
    "speed": st.sampled_from(["slow", "normal", "fast", "x"]),
    "account_id": st.one_of(st.integers(0, 50), st.sampled_from([2**63 - 1, 2**63])),
    "token": st.one_of(st.text(min_size=1, max_size=60).filter(lambda text: "/" not in text),
                       st.sampled_from(["x" * 43, "A" * 200])),
    "run_id": st.one_of(st.sampled_from([1, 0, 2**63 - 1, 2**63]), st.integers(0, 5)),  # a console CSV upload
    "seeker_id": st.one_of(st.sampled_from([1, 2, 0, 2**63 - 1, 2**63]), st.integers(0, 5)),
}

# the console's pages (behind a sign-in: a fuzzed request meets the sign-in or a 403 first)
ROW_IDS = st.one_of(st.integers(0, 40), st.sampled_from([2**63 - 1, 2**63]))
PATH_VALUES |= {"center_id": ROW_IDS, "device_id": ROW_IDS, "counselor_id": ROW_IDS,
                "code": st.one_of(st.sampled_from([KIOSK, "no-such-kiosk", "new"]), st.text(min_size=1, max_size=12))}


def _values_of(name: str) -> st.SearchStrategy:
    """What a route's argument is drawn from: its own list, or any row id for a new `..._id`."""
    return PATH_VALUES[name] if name in PATH_VALUES or not name.endswith("_id") else ROW_IDS


def pages(app) -> list[tuple[str, tuple[str, ...], str]]:
    """(endpoint, its arguments, a method it takes) for every kiosk screen and every form."""
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] in ("api", "sms", "static", "vendor", "health"):
            continue
        for method in rule.methods & {"GET", "POST"}:
            found.add((rule.endpoint, tuple(sorted(rule.arguments)), method))
    return sorted(found)


@st.composite
def requests(draw, app, token: str | None):
    """One request to a kiosk page or form: (method, url, form fields); the token when given."""
    endpoint, arguments, method = draw(st.sampled_from(pages(app)))
    values = {name: draw(_values_of(name)) for name in arguments}
    adapter = app.url_map.bind("localhost")
    url = adapter.build(endpoint, values, method=method)
    query = draw(FIELDS)
    form = draw(FIELDS) if method == "POST" else []
    if token is not None and draw(st.booleans() | st.just(True)):
        form = [("csrf_token", token), *form]
    return method, url, query, form
