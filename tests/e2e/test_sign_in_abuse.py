"""Password guessing against real processes: the gateway and auth-svc on loopback ports,
auth's accounts in MariaDB (or SQLite when none answers), production argon2id cost.

The gateway is told to trust 127.0.0.1 as a proxy, so each test can play clients at
different addresses through X-Forwarded-For; the gateway passes the address it decided on
to auth-svc, which counts sign-in attempts per (email, address). The gateway's own
per-address login limit is raised out of the way: it is tested in gateway/tests.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from pitwall_shared.testing import temporary_database_url
from scripts.stack import Stack

PASSWORD = "Grid-Walk-2024-owner"
WRONG = "Wrong-Pass-2024"
LIMIT = 5  # AUTH_LOGIN_MAX_FAILURES, the default
LOGIN = "/api/v1/auth/login"


@pytest.fixture(scope="module")
def gateway_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data_dir: Path = tmp_path_factory.mktemp("abuse-stack")
    env = {
        "GATEWAY_TRUSTED_PROXIES": "127.0.0.1/32",
        "GATEWAY_RATE_LIMIT_LOGIN": "1000/minute",
        "GATEWAY_RATE_LIMIT_PER_IP": "1000/minute",
    }
    with temporary_database_url(data_dir) as url, Stack.start(
        data_dir, env={"AUTH_DATABASE_URL": url, **env}, services=("auth", "gateway")
    ) as stack:
        yield stack.url("gateway")


def _from(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


def registered(gateway_url: str) -> str:
    email = f"owner-{uuid.uuid4().hex[:8]}@example.com"
    created = httpx.post(f"{gateway_url}/api/v1/auth/register", timeout=60,
                         json={"email": email, "password": PASSWORD, "display_name": "O"})
    assert created.status_code == 201, created.text
    return email


def login(gateway_url: str, email: str, password: str, address: str) -> httpx.Response:
    return httpx.post(f"{gateway_url}{LOGIN}", json={"email": email, "password": password},
                      headers=_from(address), timeout=60)


def locked(response: httpx.Response) -> bool:
    return (response.status_code == 429
            and response.headers["content-type"].startswith("application/problem+json")
            and response.json()["type"].endswith("/login-locked")
            and int(response.headers["retry-after"]) > 0)


def test_a_burst_of_17_guesses_is_evaluated_only_up_to_the_limit(gateway_url: str) -> None:
    """16 wrong guesses at once, and the right password sent in the same burst as soon as
    the first refusal is back (while guesses are still being checked). Once, all 17 were
    checked and the right password signed in."""
    email = registered(gateway_url)
    attacker = "203.0.113.17"

    async def attack() -> tuple[list[httpx.Response], httpx.Response]:
        refused = asyncio.Event()
        limits = httpx.Limits(max_connections=32)
        async with httpx.AsyncClient(base_url=gateway_url, timeout=120, limits=limits) as client:

            async def guess() -> httpx.Response:
                response = await client.post(LOGIN, json={"email": email, "password": WRONG},
                                             headers=_from(attacker))
                if response.status_code == 429:
                    refused.set()
                return response

            guesses = [asyncio.create_task(guess()) for _ in range(16)]
            await asyncio.wait_for(refused.wait(), 120)
            right = await client.post(LOGIN, json={"email": email, "password": PASSWORD},
                                      headers=_from(attacker))
            return list(await asyncio.gather(*guesses)), right

    wrong, right = asyncio.run(attack())
    statuses = sorted(r.status_code for r in wrong)
    assert statuses == [401] * LIMIT + [429] * (16 - LIMIT), statuses
    assert all(locked(r) for r in wrong if r.status_code == 429)
    assert locked(right), right.text  # the right password, refused while locked
    assert locked(login(gateway_url, email, PASSWORD, attacker))
    # The owner, at their own address, is not locked out by any of it.
    assert login(gateway_url, email, PASSWORD, "198.51.100.17").status_code == 200


def test_guesses_from_elsewhere_do_not_lock_the_owner_out(gateway_url: str) -> None:
    email = registered(gateway_url)
    for n in range(3):  # three attacking addresses, each locked out in turn
        attempts = [login(gateway_url, email, WRONG, f"203.0.113.{40 + n}")
                    for _ in range(LIMIT + 2)]
        assert [r.status_code for r in attempts] == [401] * LIMIT + [429, 429]
    owner = login(gateway_url, email, PASSWORD, "198.51.100.40")
    assert owner.status_code == 200, owner.text


def test_a_locked_out_owner_signed_in_can_still_change_the_password(gateway_url: str) -> None:
    email = registered(gateway_url)
    home = "198.51.100.60"
    token = login(gateway_url, email, PASSWORD, home).json()["access_token"]
    # Someone at the same address (a shared connection) locks the email out there.
    for _ in range(LIMIT):
        login(gateway_url, email, WRONG, home)
    assert locked(login(gateway_url, email, PASSWORD, home))
    changed = httpx.post(f"{gateway_url}/api/v1/auth/me/password", timeout=60,
                         headers={"Authorization": f"Bearer {token}", **_from(home)},
                         json={"current_password": PASSWORD,
                               "new_password": "Fresh-Tyres-2024"})
    assert changed.status_code == 204, changed.text
