"""PostgreSQL's side of the web process: a connection whose server went away (a restart, a
failover to the standby) is replaced by the next request instead of failing every request."""

from __future__ import annotations

import pytest
from support import postgres_admin

from kiosk.core import db

pytestmark = pytest.mark.postgresql_only
KIOSK = "/k/suwon-station"


def test_postgresql_connection_lost_between_requests_is_replaced(client, database):
    assert client.get(f"{KIOSK}/openings").status_code == 200
    name = database.split("?")[0].rsplit("/", 1)[1]
    with postgres_admin() as admin:
        ended = admin.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                              " WHERE datname = %s AND pid <> pg_backend_pid()", (name,)).fetchone()[0]
    assert ended >= 1  # the worker's kept connection among them
    with pytest.raises(db.OperationalError):  # the request that meets the dead connection fails
        client.get(f"{KIOSK}/openings?occupation=care")
    assert client.get(f"{KIOSK}/openings?occupation=care").status_code == 200  # the next one reconnects
