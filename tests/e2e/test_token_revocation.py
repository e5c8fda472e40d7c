"""A password change, an account deletion, a logout or a refresh token presented twice ends
access tokens at the gateway at once, not when they expire: auth-svc, report-svc (account
deletion goes through it) and the gateway as real processes sharing the Redis on 127.0.0.1."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from pitwall_shared.testing import LOCAL_REDIS_URL, redis_key_prefix
from scripts.stack import Stack

PASSWORD = "revocation-correct-horse-battery"
ME = "/api/v1/auth/me"


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    with redis_key_prefix("pitwall-e2e-limits") as limits_prefix:
        env = {"REDIS_URL": LOCAL_REDIS_URL, "GATEWAY_RATE_LIMIT_KEY_PREFIX": limits_prefix}
        data_dir: Path = tmp_path_factory.mktemp("revocation-stack")
        # Account deletion also clears the user's reports and Ask conversations.
        services = ("auth", "telemetry", "analysis", "report", "gateway")
        with Stack.start(data_dir, env=env, services=services) as stack, \
                httpx.Client(base_url=stack.url("gateway"), timeout=30) as client:
            yield client


def signed_up(gateway: httpx.Client) -> tuple[str, dict[str, str]]:
    email = f"revoked-{uuid.uuid4().hex[:8]}@example.com"
    created = gateway.post("/api/v1/auth/register",
                           json={"email": email, "password": PASSWORD, "display_name": "R"})
    assert created.status_code == 201, created.text
    return email, login(gateway, email, PASSWORD)


def sign_in(gateway: httpx.Client, email: str, password: str) -> dict[str, str]:
    """The token pair as the client receives it."""
    response = gateway.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return dict(response.json())


def login(gateway: httpx.Client, email: str, password: str) -> dict[str, str]:
    return bearer(sign_in(gateway, email, password))


def bearer(pair: dict[str, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {pair['access_token']}"}


def refused(response: httpx.Response) -> bool:
    return (response.status_code == 401
            and response.headers["content-type"].startswith("application/problem+json")
            and "sign-in has ended" in response.json()["detail"])


def test_password_change_ends_earlier_access_tokens_at_once(gateway: httpx.Client) -> None:
    email, old = signed_up(gateway)
    telemetry = "/api/v1/telemetry/sessions/2024/Hungary/Q"
    assert gateway.get(ME, headers=old).status_code == 200
    assert gateway.get(telemetry, headers=old).status_code == 200
    changed = gateway.post(f"{ME}/password", headers=old,
                           json={"current_password": PASSWORD,
                                 "new_password": "a-brand-new-correct-horse"})
    assert changed.status_code == 204, changed.text
    # The old token has not expired, and the gateway refuses it for every upstream.
    assert refused(gateway.get(ME, headers=old))
    assert refused(gateway.get(telemetry, headers=old))
    new = login(gateway, email, "a-brand-new-correct-horse")
    assert gateway.get(ME, headers=new).status_code == 200
    assert gateway.get(telemetry, headers=new).status_code == 200


def test_account_deletion_ends_its_access_tokens_at_once(gateway: httpx.Client) -> None:
    _email, token = signed_up(gateway)
    telemetry = "/api/v1/telemetry/sessions/2024/Hungary/Q/laps"
    assert gateway.get(telemetry, headers=token).status_code == 200
    deleted = gateway.request("DELETE", ME, headers=token, json={"password": PASSWORD})
    assert deleted.status_code == 204, deleted.text
    assert refused(gateway.get(telemetry, headers=token))


def test_logout_ends_the_access_tokens_of_that_sign_in_at_once(gateway: httpx.Client) -> None:
    email, _ = signed_up(gateway)
    laptop, phone = sign_in(gateway, email, PASSWORD), sign_in(gateway, email, PASSWORD)
    refreshed = gateway.post("/api/v1/auth/refresh",
                             json={"refresh_token": laptop["refresh_token"]})
    assert refreshed.status_code == 200, refreshed.text
    telemetry = "/api/v1/telemetry/sessions/2024/Hungary/Q"
    for pair in (laptop, refreshed.json(), phone):
        assert gateway.get(ME, headers=bearer(pair)).status_code == 200
    out = gateway.post("/api/v1/auth/logout",
                       json={"refresh_token": refreshed.json()["refresh_token"]})
    assert out.status_code == 204, out.text
    # Both access tokens of the laptop's sign-in (before and after its refresh) are refused
    # everywhere, long before they expire; the phone's sign-in goes on.
    for pair in (laptop, refreshed.json()):
        assert refused(gateway.get(ME, headers=bearer(pair)))
        assert refused(gateway.get(telemetry, headers=bearer(pair)))
    assert gateway.get(ME, headers=bearer(phone)).status_code == 200
    assert gateway.get(telemetry, headers=bearer(phone)).status_code == 200


def test_a_reused_refresh_token_ends_that_sign_ins_access_tokens(gateway: httpx.Client) -> None:
    email, _ = signed_up(gateway)
    stolen = sign_in(gateway, email, PASSWORD)
    spend = {"refresh_token": stolen["refresh_token"]}
    successor = gateway.post("/api/v1/auth/refresh", json=spend)
    assert successor.status_code == 200, successor.text
    replay = gateway.post("/api/v1/auth/refresh", json=spend)
    assert replay.status_code == 401 and replay.json()["type"].endswith("/refresh-token-reused")
    assert refused(gateway.get(ME, headers=bearer(successor.json())))
    assert refused(gateway.get(ME, headers=bearer(stolen)))
    assert gateway.get(ME, headers=login(gateway, email, PASSWORD)).status_code == 200
