"""The logs of a whole stack: every line JSON, an access line per request in every service,
and no password, token, cookie or client secret anywhere, after a full run through the
credential paths (register, sign-in both ways, refresh and reuse, password change, a report,
bad tokens, sign-out, account deletion)."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from scripts.stack import SERVICES, Stack

ACCESS_FIELDS = {"method", "route", "status", "duration_ms", "request_id", "client", "user_id"}
BASE_FIELDS = {"ts", "level", "service", "logger", "msg", "request_id"}
BEARER_VALUE = re.compile(r"(?i)bearer\s+[A-Za-z0-9._~+/=-]{8,}")
JWT = re.compile(r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.")


@dataclass
class Run:
    """What the run sent that must never be written down, and what it should find logged."""

    secrets: list[str] = field(default_factory=list)
    user_id: str = ""
    traced_request_id: str = ""
    logs: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)


def _tokens(response: httpx.Response, run: Run) -> tuple[str, str]:
    assert response.status_code == 200, response.text
    pair = response.json()
    run.secrets += [pair["access_token"], pair["refresh_token"]]
    return pair["access_token"], pair["refresh_token"]


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _journey(stack: Stack, run: Run) -> None:
    email = f"logs-{uuid.uuid4().hex[:8]}@example.com"
    first, second = "first-correct-horse-battery", "second-correct-horse-battery"
    wrong = "wrong-staple-battery-horse"
    run.secrets += [first, second, wrong, "cookie-secret-value", "query-secret-value"]
    run.secrets += [
        stack.env["REPORT_SERVICE_CLIENT_SECRET"], stack.env["ANALYSIS_SERVICE_CLIENT_SECRET"]
    ]
    with httpx.Client(base_url=stack.url("gateway"), timeout=60) as api:
        created = api.post(
            "/api/v1/auth/register",
            json={"email": email, "password": first, "display_name": "Logs"},
        )
        assert created.status_code == 201, created.text
        access, refresh = _tokens(
            api.post("/api/v1/auth/login", json={"email": email, "password": first}), run
        )
        _tokens(api.post("/api/v1/auth/token", data={"username": email, "password": first}), run)
        access, new_refresh = _tokens(
            api.post("/api/v1/auth/refresh", json={"refresh_token": refresh}), run
        )
        reused = api.post("/api/v1/auth/refresh", json={"refresh_token": refresh})
        assert reused.status_code == 401  # the reuse also revoked the sign-in
        access, new_refresh = _tokens(
            api.post("/api/v1/auth/login", json={"email": email, "password": first}), run
        )
        run.traced_request_id = f"logs-{uuid.uuid4().hex}"
        me = api.get(
            "/api/v1/auth/me",
            headers={**_bearer(access), "X-Request-ID": run.traced_request_id,
                     "Cookie": "session=cookie-secret-value"},
        )
        assert me.status_code == 200, me.text
        run.user_id = me.json()["id"]
        laps = api.get(
            "/api/v1/telemetry/sessions/2024/Hungary/Q/laps",
            params={"driver": "NOR", "token": "query-secret-value"},
            headers=_bearer(access),
        )
        assert laps.status_code == 200, laps.text
        changed = api.post(
            "/api/v1/auth/me/password",
            json={"current_password": first, "new_password": second},
            headers=_bearer(access),
        )
        assert changed.status_code == 204, changed.text
        refused = api.post("/api/v1/auth/login", json={"email": email, "password": wrong})
        assert refused.status_code == 401
        access, new_refresh = _tokens(
            api.post("/api/v1/auth/login", json={"email": email, "password": second}), run
        )
        _report(api, access)
        _bad_tokens(api, stack, access)
        logout = api.post("/api/v1/auth/logout", json={"refresh_token": new_refresh})
        assert logout.status_code == 204
        gone = api.request(
            "DELETE", "/api/v1/auth/me", json={"password": second}, headers=_bearer(access)
        )
        assert gone.status_code == 204, gone.text


def _report(api: httpx.Client, access: str) -> None:
    job = api.post(
        "/api/v1/reports",
        json={"kind": "lap_comparison", "year": 2024, "event": "Hungary", "session": "Q",
              "drivers": ["NOR", "PIA"]},
        headers=_bearer(access),
    )
    assert job.status_code == 202, job.text
    status = job.json()
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and status["status"] not in ("succeeded", "failed"):
        time.sleep(0.5)
        status = api.get(f"/api/v1/reports/{status['id']}", headers=_bearer(access)).json()
    assert status["status"] == "succeeded", status


def _bad_tokens(api: httpx.Client, stack: Stack, access: str) -> None:
    tampered = access[:-4] + ("AAAA" if not access.endswith("AAAA") else "BBBB")
    for token in (tampered, "not-a-token-at-all-123456", access + "x"):
        assert api.get("/api/v1/auth/me", headers=_bearer(token)).status_code == 401
    direct = httpx.get(
        f"{stack.url('telemetry')}/api/v1/telemetry/sessions/2024/Hungary/Q",
        headers=_bearer(tampered), timeout=30,
    )
    assert direct.status_code == 401  # the service's own check, its own access line


def _read_logs(stack: Stack) -> dict[str, list[dict[str, Any]]]:
    logs: dict[str, list[dict[str, Any]]] = {}
    for spec in SERVICES:
        text = Path(stack.log_path(spec.name)).read_text()
        lines = []
        for number, raw in enumerate(text.splitlines(), 1):
            try:
                line = orjson.loads(raw)
            except orjson.JSONDecodeError:
                pytest.fail(f"{spec.name}.log line {number} is not JSON: {raw[:300]}")
            assert isinstance(line, dict) and line.keys() >= BASE_FIELDS, raw[:300]
            assert line["service"] == spec.name, raw[:300]
            lines.append(line)
        logs[spec.name] = lines
    return logs


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    result = Run()
    with Stack.start(tmp_path_factory.mktemp("logs-stack")) as stack:
        try:
            _journey(stack, result)
        finally:
            stack.stop_all()  # every process flushed and gone, shutdown lines included
        result.logs = _read_logs(stack)
        result.secrets = [s for s in result.secrets if s]
        result.raw = {
            spec.name: Path(stack.log_path(spec.name)).read_text() for spec in SERVICES
        }
    yield result


def test_every_line_of_every_service_is_json(run: Run) -> None:
    assert set(run.logs) == {spec.name for spec in SERVICES}
    for name, lines in run.logs.items():
        assert lines, f"{name} wrote no log at all"
        starts = [line for line in lines if line["logger"].startswith("uvicorn")]
        assert starts, f"{name}: uvicorn's own lines are missing"


def test_no_password_token_cookie_or_secret_in_any_log(run: Run) -> None:
    assert len(run.secrets) >= 15
    for name, text in run.raw.items():
        for secret in run.secrets:
            assert secret not in text, f"{name}.log holds a secret ({secret[:6]}...)"
        assert not BEARER_VALUE.search(text), f"{name}.log holds a bearer value"
        assert not JWT.search(text), f"{name}.log holds a JWT"


def test_every_service_writes_access_lines_with_the_expected_fields(run: Run) -> None:
    for name, lines in run.logs.items():
        access = [line for line in lines if line["logger"] == "pitwall.access"]
        assert access, f"{name} wrote no access line"
        for line in access:
            assert line.keys() >= ACCESS_FIELDS, line
            assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
            assert line["route"].startswith("/") or line["route"] == "unmatched", line
        signed_in = [line for line in access if line["user_id"] == run.user_id]
        if name != "gateway":
            continue
        assert signed_in, "no gateway line names the signed-in user"
        assert all({"upstream", "path"} <= line.keys() for line in access
                   if line["route"].startswith("/api/")), "gateway lines without upstream"


def test_one_request_is_one_line_in_the_gateway_and_one_in_its_service(run: Run) -> None:
    traced = {
        name: [line for line in lines if line["request_id"] == run.traced_request_id
               and line["logger"] == "pitwall.access"]
        for name, lines in run.logs.items()
    }
    [at_gateway] = traced["gateway"]
    [at_auth] = traced["auth"]
    assert at_gateway["route"] == "/api/v1/auth/{path:path}"
    assert at_gateway["path"] == "/api/v1/auth/me"
    assert (at_gateway["upstream"], at_gateway["upstream_status"]) == ("auth", 200)
    assert at_gateway["user_id"] == at_auth["user_id"] == run.user_id
    assert (at_auth["route"], at_auth["status"], at_auth["method"]) == ("/api/v1/auth/me", 200,
                                                                        "GET")
    assert not any(traced[name] for name in ("telemetry", "analysis", "report"))


def test_the_reports_background_work_is_logged_under_the_service_token(run: Run) -> None:
    analysis = [line for line in run.logs["analysis"] if line["logger"] == "pitwall.access"]
    assert any(str(line["user_id"]).startswith("service:") for line in analysis), (
        "analysis-svc logged no call from report-svc's service token"
    )
