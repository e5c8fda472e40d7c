"""End-to-end fixtures: one real stack (five processes on free loopback ports) per module."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from scripts.stack import Stack


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    data_dir: Path = tmp_path_factory.mktemp("stack")
    with Stack.start(data_dir) as running:
        yield running


@pytest.fixture(scope="module")
def gateway(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.url("gateway"), timeout=60) as client:
        yield client


# Fuzzing sends thousands of requests from one address; the limits themselves are tested
# in gateway/tests.
GENEROUS_LIMITS = {
    "GATEWAY_RATE_LIMIT_PER_IP": "1000000/minute",
    "GATEWAY_RATE_LIMIT_PER_USER": "1000000/minute",
    "GATEWAY_RATE_LIMIT_LOGIN": "1000000/minute",
}


@pytest.fixture(scope="session")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    """A stack without rate limits and a logged-in user, shared by the fuzzing suites."""
    with Stack.start(tmp_path_factory.mktemp("fuzz-stack"), env=GENEROUS_LIMITS) as running:
        base = running.url("gateway")
        email = f"fuzz-{uuid.uuid4().hex[:8]}@example.com"
        password = "fuzzing-correct-horse-battery"
        with httpx.Client(base_url=base, timeout=30) as client:
            created = client.post(
                "/api/v1/auth/register",
                json={"email": email, "password": password, "display_name": "Fuzz"},
            )
            assert created.status_code == 201, created.text
            login = client.post("/api/v1/auth/login", json={"email": email, "password": password})
            assert login.status_code == 200, login.text
        yield base, {"Authorization": f"Bearer {login.json()['access_token']}"}
