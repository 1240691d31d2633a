"""A screen that ends a task forgets the person at once; its 마치기 ends the rest of the visit."""

from __future__ import annotations

from tests.web.test_register import K, visitor  # noqa: F401  (fixture)


def first_open_opening(conn) -> int:
    return conn.execute("SELECT id FROM openings WHERE status = 'open' ORDER BY id LIMIT 1").fetchone()[0]


def test_the_registration_done_screen_forgets_the_person(visitor, client):  # noqa: F811
    visitor.post(f"{K}/prefs", toggle="large_text", next=f"{K}/")
    done = client.get(visitor.register().location)
    assert "010-****-1234" in done.text and "마치기" in done.text and "large-text" in done.text
    assert client.get(f"{K}/my").location == f"{K}/verify/phone"
    assert client.get(f"{K}/register/done").location == f"{K}/register"
    assert "large-text" in client.get(f"{K}/").text  # how the screen looks stays until 마치기
    assert visitor.post(f"{K}/reset").location == f"{K}/"
    assert "large-text" not in client.get(f"{K}/").text


def test_the_sent_screen_forgets_the_phone(visitor, client, conn):  # noqa: F811
    opening_id = first_open_opening(conn)
    visitor.verify(f"{K}/openings/{opening_id}/send")
    sent = client.get(visitor.post(f"{K}/openings/{opening_id}/send").location)
    assert "010-****-1234" in sent.text and "마치기" in sent.text
    assert client.get(f"{K}/openings/{opening_id}/send").location == f"{K}/verify/phone"


def test_the_asked_screen_forgets_the_seeker(visitor, client, conn):  # noqa: F811
    visitor.register()
    opening_id = first_open_opening(conn)
    asked = client.get(visitor.post(f"{K}/openings/{opening_id}/ask").location)
    assert asked.status_code == 200 and "마치기" in asked.text
    assert client.get(f"{K}/my").location == f"{K}/verify/phone"
    assert client.get(f"{K}/openings/{opening_id}/ask").location == f"{K}/verify/phone"
