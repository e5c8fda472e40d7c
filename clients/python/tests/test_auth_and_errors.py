"""Signing in, renewing before expiry, and typed problem errors, against the real stack."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from pitwall_client import (
    AsyncPitwall,
    NotFound,
    Pitwall,
    Unauthorized,
    ValidationFailed,
)

Account = Any  # tests/conftest.py's Account: email, password, url


def _paths_sent(client: Pitwall | AsyncPitwall) -> list[str]:
    sent: list[str] = []

    def record(request: httpx.Request) -> None:
        sent.append(request.url.path)

    async def record_async(request: httpx.Request) -> None:
        sent.append(request.url.path)

    hook = record_async if isinstance(client, AsyncPitwall) else record
    client.http.event_hooks["request"].append(hook)  # type: ignore[arg-type]
    return sent


def test_password_sign_in_then_refresh_before_expiry(account: Account) -> None:
    with Pitwall(account.url, email=account.email, password=account.password) as client:
        sent = _paths_sent(client)
        assert client.me()["email"] == account.email
        assert sent == ["/api/v1/auth/login", "/api/v1/auth/me"]
        first_access = client.credentials.access_token
        first_refresh = client.credentials.refresh_token
        assert first_refresh

        # 30 s left is inside the 60 s margin: the next call renews first, with the refresh
        # token (not the password), and never sends the old access token again.
        client.credentials.expires_at = time.time() + 30
        assert client.me()["email"] == account.email
        assert sent[2:] == ["/api/v1/auth/refresh", "/api/v1/auth/me"]
        assert client.credentials.access_token != first_access
        assert client.credentials.refresh_token not in (None, first_refresh)
        assert client.credentials.expires_at > time.time() + 600

        # The spent refresh token is refused by the server: the rotation really happened.
        reused = httpx.post(f"{account.url}/api/v1/auth/refresh",
                            json={"refresh_token": first_refresh}, timeout=30)
        assert reused.status_code == 401


def test_concurrent_async_calls_refresh_once(make_account: Callable[[str], Account]) -> None:
    account = make_account("async")

    async def scenario() -> tuple[list[str], set[str]]:
        async with AsyncPitwall(account.url, email=account.email,
                                password=account.password) as client:
            await client.me()
            sent = _paths_sent(client)
            client.credentials.expires_at = time.time() + 10
            answers = await asyncio.gather(*(client.me() for _ in range(5)))
            return sent, {answer["email"] for answer in answers}

    sent, emails = asyncio.run(scenario())
    assert emails == {account.email}
    # one renewal for five concurrent calls: a refresh token presented twice would end the
    # whole sign-in (reuse detection), so the lock matters
    assert sent.count("/api/v1/auth/refresh") == 1
    assert sent.count("/api/v1/auth/me") == 5


def test_token_only_client(account: Account) -> None:
    token = httpx.post(f"{account.url}/api/v1/auth/login", timeout=30, json={
        "email": account.email, "password": account.password}).json()["access_token"]
    with Pitwall(account.url, token=token) as client:
        assert client.me()["email"] == account.email
    with Pitwall(account.url, token="not-a-token") as client, pytest.raises(Unauthorized) as err:
        client.me()
    assert err.value.status == 401 and err.value.request_id


def test_unknown_driver_carries_the_problem_fields(pitwall: Pitwall) -> None:
    with pytest.raises(NotFound) as err:
        pitwall.laps(2024, "Hungary", "Q", driver="XXX")
    problem = err.value
    assert problem.status == 404
    assert problem.slug == "unknown-driver"
    assert "NOR" in (problem.valid_values or [])
    assert problem.request_id
    assert problem.instance == "/api/v1/telemetry/sessions/2024/Hungary/Q/laps"
    assert problem.extra["asked"] == ["XXX"]
    assert "No driver XXX" in str(problem)


def test_invalid_points_is_a_validation_problem(pitwall: Pitwall) -> None:
    with pytest.raises(ValidationFailed) as err:
        pitwall.lap_telemetry(2024, "Hungary", "Q", "NOR", "fastest", points=3)
    assert err.value.status == 422
    assert err.value.extra["valid_range"] == [10, 5000]


def test_missing_lap_lists_the_valid_laps(pitwall: Pitwall) -> None:
    with pytest.raises(NotFound) as err:
        pitwall.lap_telemetry(2024, "Hungary", "Q", "NOR", 99)
    assert err.value.valid_values == ["fastest", 17]
