"""GET /readyz: a template renders and a scheduler keeps the lease fresh, or 503 with the reason."""

from __future__ import annotations

from kiosk.app import create_app
from scheduler import lease


def test_not_ready_while_no_scheduler_holds_the_lease(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json == {"ready": False, "problems": ["no scheduler holds the lease"], "scheduler": None}
    assert response.headers["Cache-Control"] == "no-store"


def test_ready_with_a_fresh_lease_reports_its_holder_and_age(client, conn, clock):
    assert lease.acquire(conn, "host:1:ab", clock.now(), 30)
    clock.advance(seconds=12)
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json["ready"] is True and response.json["problems"] == []
    assert response.json["scheduler"] == {"holder": "host:1:ab", "age_seconds": 12.0,
                                          "held_since": "2026-11-23T01:00:00Z", "expires_at": "2026-11-23T01:00:30Z"}


def test_a_lease_older_than_three_periods_is_stale(client, conn, clock):
    stale = 3 * client.application.config["SCHEDULER_LEASE_SECONDS"]  # 24 s with the default lease
    assert lease.acquire(conn, "host:1:ab", clock.now(), stale / 3)
    clock.advance(seconds=stale)  # expired, but a standby may still be taking over
    assert client.get("/readyz").status_code == 200
    clock.advance(seconds=1)
    response = client.get("/readyz")
    assert response.status_code == 503
    renewed = f"the scheduler lease was last renewed {stale + 1} s ago (stale after {stale} s)"
    assert response.json["problems"] == [renewed]
    assert response.json["scheduler"]["holder"] == "host:1:ab"


def test_not_ready_when_templates_cannot_be_found(app, conn, clock, tmp_path):
    assert lease.acquire(conn, "host:1:ab", clock.now(), 30)
    app.template_folder = str(tmp_path / "no-templates")  # an install that left them behind
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["problems"] == ["templates: TemplateNotFound: base.html"]


def test_not_ready_without_a_database(tmp_path, clock):
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "empty.sqlite3"), "CLOCK": clock,
                      "SECRET_KEY": "x"})
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["problems"][0].startswith("database unavailable")


def test_healthz_is_liveness_only(client):
    assert client.get("/healthz").data == b"ok\n"  # no scheduler: alive, though not ready
