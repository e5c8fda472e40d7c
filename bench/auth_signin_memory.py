"""auth-svc peak memory and sign-in latency under 50 parallel sign-ins, against the budget.

argon2id holds 64 MiB per hash for the whole hash, so the process's peak memory follows how
many hashes run at once. Starts auth-svc as a real process (scripts/stack.py, production
argon2id cost: t=3, 64 MiB, p=4; MariaDB when reachable) twice, and each time sends one
burst of parallel sign-ins for one account (right password, each from its own address) and
reads the process's peak
RSS (VmHWM in /proc/<pid>/status):

- baseline, measured in the same run: the old behaviour on this machine, hashes in Python's
  default thread pool (min(32, CPUs + 4) threads, 6 on 2 cores) and no queue limit,
  reproduced by a budget of that many hashes and a queue as long as the burst;
- the defaults (AUTH_HASH_MEMORY_BUDGET_MB=192, AUTH_HASH_QUEUE_LIMIT=32).

Prints peak RSS and its growth over the idle process, sign-in p50/p99 of the requests that
were answered (200) and how many got 503 + Retry-After, plus the after/before ratios.

    .venv/bin/python bench/auth_signin_memory.py [--parallel 50]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pitwall_shared.testing import temporary_database_url  # noqa: E402
from scripts.stack import Stack  # noqa: E402

PASSWORD = "Grid-Walk-2024-bench"  # noqa: S105 (a throwaway account in a throwaway database)
HASH_MIB = 64
# What the old code used on this machine: asyncio.to_thread's default pool size.
OLD_POOL_THREADS = min(32, (os.cpu_count() or 1) + 4)


def proc_status_mib(pid: int, field: str) -> float:
    """``VmHWM`` (peak resident set) or ``VmRSS`` of a process, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise LookupError(f"{field} not in /proc/{pid}/status")


@dataclass
class Burst:
    statuses: list[int]
    latencies: list[float]  # seconds, of every request
    retry_after: list[str | None]
    problem_types: list[str | None]  # the problem ``type`` of problem+json answers

    def count(self, status: int) -> int:
        return self.statuses.count(status)

    def answered_latencies(self, status: int) -> list[float]:
        return [t for s, t in zip(self.statuses, self.latencies, strict=True) if s == status]


async def burst(
    base_url: str, bodies: list[dict[str, str]], addresses: list[str] | None = None
) -> Burst:
    """Send every body to ``/api/v1/auth/login`` at once, each from its address (sent as
    X-Forwarded-For, believed from a loopback peer) when given."""
    limits = httpx.Limits(max_connections=len(bodies), max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=base_url, timeout=120, limits=limits) as client:

        async def one(body: dict[str, str], address: str | None) -> tuple[httpx.Response, float]:
            headers = {"X-Forwarded-For": address} if address else {}
            started = time.perf_counter()
            response = await client.post("/api/v1/auth/login", json=body, headers=headers)
            return response, time.perf_counter() - started

        results = await asyncio.gather(
            *(one(body, address) for body, address in zip(
                bodies, addresses or [None] * len(bodies), strict=True))
        )
    return Burst(
        statuses=[r.status_code for r, _ in results],
        latencies=[t for _, t in results],
        retry_after=[r.headers.get("retry-after") for r, _ in results],
        problem_types=[
            r.json().get("type") if r.headers.get("content-type", "").startswith(
                "application/problem+json") else None
            for r, _ in results
        ],
    )


def p(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def measure(label: str, env: dict[str, str], parallel: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp, temporary_database_url(Path(tmp)) as url, \
            Stack.start(Path(tmp), env={"AUTH_DATABASE_URL": url, **env},
                        services=("auth",)) as stack:
        pid = stack.processes["auth"].pid
        email = "bench-burst@example.com"
        httpx.post(f"{stack.url('auth')}/api/v1/auth/register", timeout=60,
                   json={"email": email, "password": PASSWORD, "display_name": "B"}
                   ).raise_for_status()
        idle = proc_status_mib(pid, "VmRSS")
        # One address per sign-in: 50 people signing in, not one client hammering (whose
        # parallel attempts the per-address limit would cap at five).
        addresses = [f"192.0.2.{n + 1}" for n in range(parallel)]
        result = asyncio.run(burst(stack.url("auth"),
                                   [{"email": email, "password": PASSWORD}] * parallel,
                                   addresses))
        peak = proc_status_mib(pid, "VmHWM")
    signed_in = result.answered_latencies(200)
    row = {
        "peak": peak, "growth": peak - idle, "idle": idle, "ok": result.count(200),
        "busy": result.count(503), "p50": p(signed_in, 50) * 1000, "p99": p(signed_in, 99) * 1000,
    }
    other = sorted(s for s in result.statuses if s not in (200, 503))
    print(f"{label:<44} idle {idle:6.0f} MiB  peak {peak:6.0f} MiB  (+{peak - idle:4.0f})  "
          f"200: {row['ok']:2.0f}  503: {row['busy']:2.0f}  other: {other}  "
          f"p50 {row['p50']:6.0f} ms  p99 {row['p99']:6.0f} ms")
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--parallel", type=int, default=50)
    args = parser.parse_args()
    print(f"{args.parallel} parallel sign-ins, argon2id t=3 m=64 MiB p=4, auth-svc process")
    before = measure(
        f"baseline: {OLD_POOL_THREADS} hashes at once, no queue limit",
        {"AUTH_HASH_MEMORY_BUDGET_MB": str(OLD_POOL_THREADS * HASH_MIB),
         "AUTH_HASH_QUEUE_LIMIT": str(args.parallel)},
        args.parallel,
    )
    after = measure("defaults: budget 192 MB, queue 32", {}, args.parallel)
    print(f"peak RSS after / baseline: {after['peak'] / before['peak']:.2f}; "
          f"growth over idle after / baseline: {after['growth'] / before['growth']:.2f}; "
          f"p99 after / baseline: {after['p99'] / before['p99']:.2f}")


if __name__ == "__main__":
    main()
