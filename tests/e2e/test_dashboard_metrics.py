"""The Grafana dashboard reads only metrics that exist: every name in every panel query is
found in a live ``/metrics`` scrape of the real services.

Five real service processes (scripts/stack.py); the model is the scripted OpenAI-compatible
server on 127.0.0.1 (the provider is not under test). Each path the dashboard watches is
exercised once first, so its labelled series exist: a FastF1 load from the frozen sample
data and one that cannot load, cache hits, a report job that succeeds and one that fails,
model calls with a failure, both budget refusals, a refused sign-in burst, and an upstream
killed until the gateway's breaker opens. The gateway is scraped on its metrics port; its
public port answers 404 for ``/metrics``.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from pitwall_shared.testing import free_port
from pitwall_shared.testing_model import Reply, ScriptedModelServer
from scripts.stack import Stack
from tests.e2e.promql_names import exposed_names, metric_names, panel_queries, sample_value

DASHBOARD = Path(__file__).resolve().parents[2] / "deploy" / "grafana" / "pitwall.json"
PASSWORD = "metrics-correct-horse-battery"
SESSION = "/api/v1/telemetry/sessions/2024"
ANALYSIS = "/api/v1/analysis/sessions/2024/Hungary/Q"
REPORTS = "/api/v1/reports"
LAP_COMPARISON = {"kind": "lap_comparison", "year": 2024, "event": "Hungary", "session": "Q",
                  "drivers": ["NOR", "PIA"]}


class ModelInThread:
    """The scripted model server on its own event loop, for a test that is synchronous."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.server = ScriptedModelServer()

    def __enter__(self) -> ScriptedModelServer:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self.server.start(), self.loop).result(10)
        return self.server

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.server.stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


@pytest.fixture(scope="module")
def model() -> Iterator[ScriptedModelServer]:
    with ModelInThread() as server:
        yield server


@pytest.fixture(scope="module")
def metered(tmp_path_factory: pytest.TempPathFactory,
            model: ScriptedModelServer) -> Iterator[tuple[Stack, int]]:
    metrics_port = free_port()
    env = {
        "GATEWAY_METRICS_PORT": str(metrics_port),
        "GATEWAY_RATE_LIMIT_LOGIN": "2/minute",
        "GATEWAY_BREAKER_FAILURE_THRESHOLD": "2",
        "OPENAI_API_KEY": "sk-local-test",
        "OPENAI_BASE_URL": model.url,
        "ANALYSIS_MODEL_RETRIES": "0",
        "ANALYSIS_MODEL_CALLS_PER_HOUR": "1",
        "ANALYSIS_MODEL_CALLS_PER_HOUR_TOTAL": "2",
    }
    with Stack.start(tmp_path_factory.mktemp("metrics-stack"), env=env) as running:
        yield running, metrics_port


def account(stack: Stack, name: str) -> dict[str, str]:
    """Registered and signed in at auth-svc itself: the gateway's sign-in limit is kept for
    the refusals this test wants to see."""
    email = f"{name}-{uuid.uuid4().hex[:8]}@example.com"
    with httpx.Client(base_url=stack.url("auth"), timeout=30) as auth:
        created = auth.post("/api/v1/auth/register",
                            json={"email": email, "password": PASSWORD, "display_name": name})
        assert created.status_code == 201, created.text
        login = auth.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


def loaded(gateway: httpx.Client, session: str, auth: dict[str, str]) -> str:
    deadline = time.monotonic() + 600  # a busy machine loads FastF1 slowly
    while time.monotonic() < deadline:
        state = gateway.get(f"{session}/status", headers=auth).json()["state"]
        if state != "loading":
            return str(state)
        time.sleep(0.5)
    return "still loading"


def finished(gateway: httpx.Client, report_id: str, auth: dict[str, str]) -> str:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        status = gateway.get(f"{REPORTS}/{report_id}", headers=auth).json()["status"]
        if status in ("succeeded", "failed"):
            return str(status)
        time.sleep(0.5)
    return "still running"


def exercise(stack: Stack, gateway: httpx.Client, model: ScriptedModelServer) -> None:
    first, second, third = (account(stack, n) for n in ("first", "second", "third"))
    # telemetry: a real FastF1 load of frozen responses, a session that cannot load, reuse
    assert gateway.post(f"{SESSION}/Spain/Q/prewarm", headers=first).status_code == 202
    assert loaded(gateway, f"{SESSION}/Spain/Q", first) == "ready"
    assert gateway.get(f"{SESSION}/Spain/Q/laps", headers=first).status_code == 200
    assert gateway.get(f"{SESSION}/Monaco/R/laps", headers=first).status_code == 404
    for _ in range(2):
        assert gateway.get(f"{SESSION}/Hungary/Q/laps", headers=first).status_code == 200

    # analysis: a failed model call, then each limit refusing (1 per user, 2 in all)
    model.script(Reply(status=500), Reply(content="not json"))
    for auth, path in ((first, "fastest-laps"), (first, "summary"), (second, "fastest-laps"),
                       (third, "summary")):
        answer = gateway.get(f"{ANALYSIS}/{path}", headers=auth)
        assert answer.status_code == 200, answer.text
        assert answer.json()["insights"]["source"] == "deterministic"
    assert len(model.requests) == 2

    # reports: one built, one failing on a lap the session does not have
    jobs = [gateway.post(REPORTS, json=body, headers=first).json()["id"]
            for body in (LAP_COMPARISON, {**LAP_COMPARISON, "laps": ["fastest", "999"]})]
    assert [finished(gateway, job, first) for job in jobs] == ["succeeded", "failed"]

    # the gateway: sign-ins over the limit
    statuses = [gateway.post("/api/v1/auth/login",
                             json={"email": "nobody@example.com", "password": "wrong-one"}
                             ).status_code for _ in range(3)]
    assert statuses[-1] == 429


def scrape(url: str) -> str:
    response = httpx.get(url, timeout=10)
    assert response.status_code == 200, url
    return response.text


def test_every_dashboard_query_names_a_metric_the_services_expose(
    metered: tuple[Stack, int], model: ScriptedModelServer
) -> None:
    stack, metrics_port = metered
    gateway_metrics = f"http://127.0.0.1:{metrics_port}/metrics"
    with httpx.Client(base_url=stack.url("gateway"), timeout=120) as gateway:
        exercise(stack, gateway, model)
        assert gateway.get("/metrics").status_code == 404  # never on the public port
        exposed = set().union(*(exposed_names(scrape(f"{stack.url(name)}/metrics"))
                                for name in ("auth", "telemetry", "analysis", "report")))

        # an upstream killed: the gateway's breaker for it opens
        auth = account(stack, "breaker")
        stack.stop_service("analysis", kill=True)
        for _ in range(3):
            assert gateway.get(f"{ANALYSIS}/summary", headers=auth).status_code == 503
    gateway_scrape = scrape(gateway_metrics)
    assert sample_value(gateway_scrape, "pitwall_gateway_breaker_state", upstream="analysis") == 2
    assert sample_value(gateway_scrape, "pitwall_gateway_breaker_transitions_total",
                        upstream="analysis", state="open") == 1
    errors = sample_value(gateway_scrape, "pitwall_gateway_upstream_errors_total",
                          upstream="analysis", kind="connect")
    assert errors is not None and errors >= 2
    exposed |= exposed_names(gateway_scrape)

    dashboard = json.loads(DASHBOARD.read_text())
    queries = list(panel_queries(dashboard))
    used = {name: title for title, expr in queries for name in metric_names(expr)}
    assert len(queries) >= 30 and len(used) >= 25
    missing = {name: title for name, title in used.items() if name not in exposed}
    assert not missing, f"dashboard panels read metrics no service exposes: {missing}"
