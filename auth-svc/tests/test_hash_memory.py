"""A burst of sign-ins against a real auth-svc process stays within the hashing memory
budget, and the overflow is told to come back (503 + Retry-After) instead of the process
growing until the kernel kills it.

Production argon2id cost (64 MiB per hash): the point is the memory a real hash holds. The
peak is the process's own high-water mark (VmHWM in /proc/<pid>/status) of the process this
test started.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bench.auth_signin_memory import burst, proc_status_mib
from pitwall_shared.testing import temporary_database_url
from scripts.stack import Stack

BUDGET_MB = 128  # two 64 MiB hashes at once
QUEUE = 6
PARALLEL = 50
# Thread stacks, the allocator's bookkeeping and the requests themselves: well under one
# more hash, so a third hash running at once would break the bound.
SLACK_MIB = 40
PASSWORD = "Grid-Walk-2024-burst"


@pytest.fixture
def auth_process(tmp_path: Path) -> Iterator[Stack]:
    with temporary_database_url(tmp_path) as url, Stack.start(
        tmp_path,
        env={
            "AUTH_DATABASE_URL": url,
            "AUTH_HASH_MEMORY_BUDGET_MB": str(BUDGET_MB),
            "AUTH_HASH_QUEUE_LIMIT": str(QUEUE),
        },
        services=("auth",),
    ) as stack:
        yield stack


def test_parallel_sign_ins_stay_within_the_memory_budget(auth_process: Stack) -> None:
    base_url = auth_process.url("auth")
    registered = httpx.post(
        f"{base_url}/api/v1/auth/register",
        json={"email": "lena@example.com", "password": PASSWORD, "display_name": "B"},
        timeout=60,
    )
    assert registered.status_code == 201, registered.text
    pid = auth_process.processes["auth"].pid
    idle = proc_status_mib(pid, "VmRSS")

    body = {"email": "lena@example.com", "password": PASSWORD}
    # Each from its own address, so the per-address sign-in limit is not what answers.
    addresses = [f"192.0.2.{n + 1}" for n in range(PARALLEL)]
    result = asyncio.run(burst(base_url, [body] * PARALLEL, addresses))

    growth = proc_status_mib(pid, "VmHWM") - idle
    assert growth <= BUDGET_MB + SLACK_MIB, f"peak grew {growth:.0f} MiB over idle"
    assert set(result.statuses) == {200, 503}, result.statuses
    assert result.count(200) >= 2 + QUEUE  # everyone admitted was answered
    for status, retry_after, problem in zip(
        result.statuses, result.retry_after, result.problem_types, strict=True
    ):
        if status == 503:
            assert problem is not None and problem.endswith("/auth-busy")
            assert retry_after is not None and int(retry_after) >= 1
    # The process is still serving and signs in a latecomer.
    again = httpx.post(f"{base_url}/api/v1/auth/login", json=body, timeout=60)
    assert again.status_code == 200, again.text
