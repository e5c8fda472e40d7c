"""Outages of a dependency: clear 503 problems at the gateway, then recovery by itself."""

from __future__ import annotations

import concurrent.futures
import threading
import time
from collections.abc import Callable

import httpx

from tests.compose.conftest import (
    Account,
    assert_problem,
    gateway_client,
    register,
    sign_in,
)
from tests.compose.stack import SERVICES, ComposeStack

LAP_COMPARISON = "/api/v1/analysis/sessions/2024/Hungary/Q/lap-comparison"


def started_at(stack: ComposeStack) -> dict[str, str]:
    return {name: stack.inspect(name)["State"]["StartedAt"] for name in SERVICES}


def wait_for(check: Callable[[], bool], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "no recovery"
        time.sleep(1)


def test_mysql_restart_mid_traffic(stack: ComposeStack, client: httpx.Client) -> None:
    before = started_at(stack)
    account = register(client)
    stop = threading.Event()
    answers: list[httpx.Response] = []
    registered: list[tuple[str, str]] = []

    def traffic() -> None:
        with gateway_client(stack, timeout=30) as http:
            n = 0
            while not stop.is_set():
                answers.append(http.get("/api/v1/reports", headers=account.headers))
                n += 1
                email, password = f"outage-{n}-{time.time_ns()}@pitwall.example", "Outage-pass-42"
                created = http.post(
                    "/api/v1/auth/register",
                    json={"email": email, "password": password, "display_name": "Outage"},
                )
                answers.append(created)
                if created.status_code == 201:
                    registered.append((email, password))
                time.sleep(0.2)

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        running = pool.submit(traffic)
        time.sleep(2)
        # Stopped until the traffic has met the outage: a plain restart can be quicker than
        # the next request on an idle machine, and then nothing here would be tested.
        stack.compose("stop", "mysql")
        wait_for(lambda: any(answer.status_code >= 400 for answer in list(answers)), timeout=60)
        stack.compose("start", "mysql")
        stack.wait_healthy(("mysql",))
        wait_for(lambda: client.get("/api/v1/reports", headers=account.headers).status_code == 200)
        stop.set()
        running.result()

    failures = [a for a in answers if a.status_code >= 400]
    assert failures, "no request met the database outage"
    for failure in failures:
        assert_problem(failure, 503)
    # Every acknowledged registration survived the restart.
    for email, password in registered:
        sign_in(client, email, password)
    assert started_at(stack) == before, "a service was restarted"


def test_service_killed_mid_request(
    stack: ComposeStack, client: httpx.Client, account: Account
) -> None:
    params = {"driver_a": "VER", "driver_b": "LEC"}

    def compare() -> tuple[httpx.Response, float]:
        began = time.monotonic()
        with gateway_client(stack) as http:
            answer = http.get(LAP_COMPARISON, params=params, headers=account.headers)
        return answer, time.monotonic() - began

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        in_flight = pool.submit(compare)
        time.sleep(0.3)
        stack.compose("kill", "analysis-svc")
        answer, took = in_flight.result()
    if answer.status_code != 200:  # finished before the kill otherwise
        assert_problem(answer, 502, 503)
        assert took < 10, f"the in-flight request took {took:.1f}s to fail"

    began = time.monotonic()
    while_down = client.get(LAP_COMPARISON, params=params, headers=account.headers)
    assert_problem(while_down, 503)
    assert time.monotonic() - began < 5, "the gateway was slow to refuse"

    stack.compose("start", "analysis-svc")
    stack.wait_healthy(("analysis-svc",))
    wait_for(
        lambda: client.get(LAP_COMPARISON, params=params, headers=account.headers).status_code
        == 200
    )
