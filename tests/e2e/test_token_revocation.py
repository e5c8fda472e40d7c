"""A password change or an account deletion ends the account's access tokens at the gateway
at once, not when they expire: auth-svc, report-svc (account deletion goes through it) and
the gateway as real processes sharing the Redis on 127.0.0.1."""

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
        services = ("auth", "telemetry", "report", "gateway")
        with Stack.start(data_dir, env=env, services=services) as stack, \
                httpx.Client(base_url=stack.url("gateway"), timeout=30) as client:
            yield client


def signed_up(gateway: httpx.Client) -> tuple[str, dict[str, str]]:
    email = f"revoked-{uuid.uuid4().hex[:8]}@example.com"
    created = gateway.post("/api/v1/auth/register",
                           json={"email": email, "password": PASSWORD, "display_name": "R"})
    assert created.status_code == 201, created.text
    return email, login(gateway, email, PASSWORD)


def login(gateway: httpx.Client, email: str, password: str) -> dict[str, str]:
    response = gateway.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


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
