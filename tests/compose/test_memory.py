"""Memory limits: compose and Kubernetes agree, and auth-svc survives a sign-in burst."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import httpx
import yaml

from tests.compose.conftest import Account, assert_problem
from tests.compose.stack import DATA, SERVICES, ComposeStack

REPO = Path(__file__).resolve().parents[2]
K8S_FILES = {
    **{name: REPO / "deploy/k8s/base" / f"{name}.yaml" for name in SERVICES},
    "redis": REPO / "deploy/k8s/base/redis.yaml",
    "mysql": REPO / "deploy/k8s/components/mysql-statefulset/mysql.yaml",
}
UNITS = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30}
BURST = 50
# cgroup v1 names the figure memory.max_usage_in_bytes, v2 memory.peak.
PRINT_PEAK_MEMORY = """
import pathlib
for name in ("memory/memory.max_usage_in_bytes", "memory.peak"):
    figure = pathlib.Path("/sys/fs/cgroup", name)
    if figure.exists():
        print(figure.read_text().strip())
        break
"""


def k8s_memory_limit(name: str) -> int:
    for doc in yaml.safe_load_all(K8S_FILES[name].read_text()):
        if doc and doc["kind"] in ("Deployment", "StatefulSet"):
            container: dict[str, Any] = next(
                c for c in doc["spec"]["template"]["spec"]["containers"] if c["name"] == name
            )
            value = container["resources"]["limits"]["memory"]
            number, unit = re.fullmatch(r"(\d+)(Ki|Mi|Gi)", value).groups()  # type: ignore[union-attr]
            return int(number) * UNITS[unit]
    raise AssertionError(f"no workload named {name} in {K8S_FILES[name]}")


def test_container_memory_limits_match_kubernetes(stack: ComposeStack) -> None:
    running = {name: stack.inspect(name)["HostConfig"]["Memory"] for name in SERVICES + DATA}
    expected = {name: k8s_memory_limit(name) for name in SERVICES + DATA}
    assert running == expected


def peak_memory(stack: ComposeStack, service: str) -> int:
    """The container's peak memory since it started, from its cgroup (v1 or v2)."""
    answer = stack.exec(service, "python", "-c", PRINT_PEAK_MEMORY).stdout.strip()
    assert answer.isdigit(), f"no peak memory figure in {service}'s cgroup"
    return int(answer)


async def _burst(url: str, account: Account) -> list[httpx.Response]:
    async with httpx.AsyncClient(base_url=url, timeout=120) as http:
        # Distinct client addresses through the trusted proxy (GATEWAY_TRUSTED_PROXIES), so
        # the gateway's per-address sign-in limit lets the whole burst reach auth-svc.
        answers = await asyncio.gather(*(
            http.post(
                "/api/v1/auth/login",
                json={"email": account.email, "password": account.password},
                headers={"X-Forwarded-For": f"203.0.113.{i + 1}"},
            )
            for i in range(BURST)
        ))
    return list(answers)


def test_parallel_sign_in_burst_stays_inside_auth_limit(
    stack: ComposeStack, account: Account
) -> None:
    before = stack.inspect("auth-svc")
    answers = asyncio.run(_burst(stack.gateway_url, account))
    after = stack.inspect("auth-svc")
    statuses = sorted(answer.status_code for answer in answers)
    print(f"sign-in burst: {statuses.count(200)} of {BURST} signed in; others {set(statuses)}")
    assert 200 in statuses, statuses
    # Beyond what auth-svc can hash in time the answer is a 503/504 problem, never a 500.
    for answer in answers:
        if answer.status_code != 200:
            assert_problem(answer, 503, 504)
    assert after["State"]["OOMKilled"] is False
    assert after["RestartCount"] == before["RestartCount"]
    assert after["State"]["StartedAt"] == before["State"]["StartedAt"]
    peak, limit = peak_memory(stack, "auth-svc"), after["HostConfig"]["Memory"]
    print(f"auth-svc peak memory {peak / 2**20:.0f} MiB of {limit / 2**20:.0f} MiB")
    assert peak < limit
