"""Fixtures for the container tests: the stack started by ``make compose-test``.

These tests need a Docker engine and the stack that ``deploy/compose-test.sh`` brings up;
without an engine they are skipped with the reason, and under ``CI`` they fail instead.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from tests.compose.stack import DOCKER, ComposeStack


def _unavailable(reason: str) -> None:
    (pytest.fail if os.environ.get("CI") else pytest.skip)(reason)


def _engine_runs() -> bool:
    if not shutil.which(DOCKER):
        return False
    result = subprocess.run([DOCKER, "info"], capture_output=True, timeout=30, check=False)
    return result.returncode == 0


@pytest.fixture(scope="session")
def stack() -> ComposeStack:
    if not _engine_runs():
        _unavailable(f"no Docker engine answers through {DOCKER}: run `make compose-test`")
    found = ComposeStack.from_environment()
    if found is None:
        _unavailable("no compose stack of this run: `make compose-test` starts one, then these")
    assert found is not None
    found.wait_healthy()
    return found


def as_many_clients(request: httpx.Request) -> None:
    """Each request comes from a client address of its own, through the proxy the test stack
    trusts (GATEWAY_TRUSTED_PROXIES): the suite registers and signs in far more often than
    one person would, and the gateway's per-address sign-in limit is not under test here."""
    host = f"198.18.{secrets.randbelow(256)}.{secrets.randbelow(254) + 1}"
    request.headers["X-Forwarded-For"] = host


def gateway_client(stack: ComposeStack, timeout: float = 60) -> httpx.Client:
    return httpx.Client(base_url=stack.gateway_url, timeout=timeout,
                        event_hooks={"request": [as_many_clients]})


@pytest.fixture
def client(stack: ComposeStack) -> Iterator[httpx.Client]:
    with gateway_client(stack) as http:
        yield http


@dataclass(frozen=True)
class Account:
    email: str
    password: str
    access_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


def register(client: httpx.Client) -> Account:
    email = f"fan-{secrets.token_hex(4)}@pitwall.example"
    password = f"Pit-{secrets.token_hex(8)}"
    created = client.post(
        "/api/v1/auth/register",
        json={"email": email, "password": password, "display_name": "Container test"},
    )
    assert created.status_code == 201, created.text
    return Account(email, password, sign_in(client, email, password))


def sign_in(client: httpx.Client, email: str, password: str) -> str:
    response = client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


@pytest.fixture
def account(client: httpx.Client) -> Account:
    return register(client)


def assert_problem(response: httpx.Response, *statuses: int) -> None:
    """An RFC 9457 answer with one of ``statuses``, never a bare error page."""
    assert response.status_code in statuses, (response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == response.status_code
    assert body["request_id"]
