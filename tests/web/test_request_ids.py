"""Request ids and JSON logs of the web process: X-Request-Id in, out, and on every log line."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import urllib.request

import pytest
from process_helpers import JOBSTOP, free_port, get, jobstop_environment, until


def test_a_request_id_from_the_proxy_is_sent_back(client):
    response = client.get("/healthz", headers={"X-Request-Id": "lb-7f3a.1"})
    assert response.headers["X-Request-Id"] == "lb-7f3a.1"


@pytest.mark.parametrize("given", [None, "", "two words", "x" * 129, "<script>"])
def test_a_missing_or_unusable_id_is_replaced_by_a_new_one(client, given):
    headers = {} if given is None else {"X-Request-Id": given}
    first = client.get("/k/suwon-station/", headers=headers).headers["X-Request-Id"]
    second = client.get("/k/suwon-station/", headers=headers).headers["X-Request-Id"]
    assert re.fullmatch("[0-9a-f]{32}", first) and first != second


def request(url: str, request_id: str | None = None) -> str:
    """The X-Request-Id the server answered with."""
    sent = urllib.request.Request(url, headers={"X-Request-Id": request_id} if request_id else {})
    try:
        with urllib.request.urlopen(sent, timeout=5) as response:
            return response.headers["X-Request-Id"]
    except urllib.error.HTTPError as error:
        return error.headers["X-Request-Id"]


@pytest.mark.slow
def test_jobstop_serve_logs_json_lines_with_request_ids_and_no_phone_numbers(database, tmp_path):
    port = free_port()
    env = jobstop_environment(JOBSTOP_DATABASE=database, JOBSTOP_SECRET_KEY="test-secret", JOBSTOP_LOG_FORMAT="json",
                              JOBSTOP_DEVELOPMENT="1")
    with open(tmp_path / "serve.log", "w") as log:
        server = subprocess.Popen([*JOBSTOP, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
                                  cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        assert until(lambda: get(f"{base}/healthz"), 30)
        assert request(f"{base}/k/suwon-station/", "lb-42") == "lb-42"
        generated = request(f"{base}/k/suwon-station/openings?q=010-1234-5678")
        assert request(f"{base}/vendor/01098765432", "phone-path") == "phone-path"
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    text = (tmp_path / "serve.log").read_text()
    lines = [json.loads(line) for line in text.splitlines()]  # every line is a JSON object
    assert all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    assert any(line["logger"] == "gunicorn.error" and "Booting worker" in line["message"] for line in lines)
    by_id = {line.get("request_id"): line for line in lines if line["logger"] == "jobstop.access"}
    assert by_id["lb-42"]["message"] == "GET /k/suwon-station/ 200" and by_id["lb-42"]["status"] == 200
    assert by_id[generated]["path"] == "/k/suwon-station/openings"  # the query (a search) is not logged
    assert by_id["phone-path"]["message"] == "GET /vendor/[phone] 404"
    assert "1234-5678" not in text and "98765432" not in text
