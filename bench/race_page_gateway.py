"""The race page's API calls through the gateway, warm, against the same calls sent straight
to the services, in one run.

Starts the five services as real processes (scripts/stack.py, free loopback ports, offline
sample pack), signs a user in and opens 2018 Azerbaijan R once so every answer is warm. Then,
in interleaved rounds, it makes the calls the web app's race page makes, the way the page
makes them: the load status first, then the session, its laps, the summary and the three
race analyses (race trace, strategy, pace distribution) at once over a pool of six keep-alive
connections, as a browser would. Each round is timed as a whole (the page's wait for its
data) and per call. The baseline is the same round sent to telemetry-svc, analysis-svc and
auth-svc directly. The gateway's rate limits are raised for the run: they are not measured.
Target: page p50 <= 150 ms through the gateway.

Run: .venv/bin/python bench/race_page_gateway.py [--rounds 40]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from scripts.stack import Stack, new_account_token  # noqa: E402

SESSION = "2018/Azerbaijan/R"
FIRST = ("telemetry", f"/api/v1/telemetry/sessions/{SESSION}/status")
THEN = (
    ("auth", "/api/v1/auth/me"),
    ("telemetry", f"/api/v1/telemetry/sessions/{SESSION}"),
    ("telemetry", f"/api/v1/telemetry/sessions/{SESSION}/laps"),
    ("analysis", f"/api/v1/analysis/sessions/{SESSION}/summary"),
    ("analysis", f"/api/v1/analysis/sessions/{SESSION}/race-trace"),
    ("analysis", f"/api/v1/analysis/sessions/{SESSION}/strategy"),
    ("analysis", f"/api/v1/analysis/sessions/{SESSION}/pace-distribution"),
)
TARGET_P50_MS = 150.0
# Per arm: the wall time of each round, and each round's per-call times.
Timings = dict[str, tuple[list[float], list[list[float]]]]


async def timed(client: httpx.AsyncClient, url: str) -> float:
    started = time.perf_counter()
    response = await client.get(url)
    await response.aread()
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}: {response.text[:300]}")
    return (time.perf_counter() - started) * 1000


async def page_round(client: httpx.AsyncClient, base: dict[str, str]) -> tuple[float, list[float]]:
    """One page load: status, then everything else at once. Returns (wall ms, per-call ms)."""
    started = time.perf_counter()
    first = await timed(client, base[FIRST[0]] + FIRST[1])
    rest = await asyncio.gather(*(timed(client, base[service] + path) for service, path in THEN))
    return (time.perf_counter() - started) * 1000, [first, *rest]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def measure(stack: Stack, token: str, rounds: int) -> Timings:
    headers = {"Authorization": f"Bearer {token}"}
    arms = {
        "gateway": {name: stack.url("gateway") for name in ("auth", "telemetry", "analysis")},
        "direct": {name: stack.url(name) for name in ("auth", "telemetry", "analysis")},
    }
    limits = httpx.Limits(max_connections=6, max_keepalive_connections=6)
    results: Timings = {arm: ([], []) for arm in arms}
    async with httpx.AsyncClient(headers=headers, timeout=120, limits=limits) as client:
        # The first visit loads the session from the sample pack and computes every analysis.
        for arm in arms.values():
            for _ in range(3):
                await page_round(client, arm)
        for _ in range(rounds):
            for name, arm in arms.items():
                wall, calls = await page_round(client, arm)
                results[name][0].append(wall)
                results[name][1].append(calls)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    env = {"GATEWAY_RATE_LIMIT_PER_USER": "1000000000/minute",
           "GATEWAY_RATE_LIMIT_PER_IP": "1000000000/minute", "LOG_LEVEL": "WARNING"}
    with tempfile.TemporaryDirectory() as tmp, Stack.start(Path(tmp), env=env) as stack:
        token = new_account_token(stack.url("auth"))
        results = asyncio.run(measure(stack, token, args.rounds))
    names = [FIRST[1], *(path for _, path in THEN)]
    print(f"{args.rounds} warm rounds of the race page ({len(names)} calls), 6 connections")
    print(f"{'call':<62} {'gateway p50':>12} {'direct p50':>11}")
    for i, name in enumerate(names):
        gateway = statistics.median(calls[i] for calls in results["gateway"][1])
        direct = statistics.median(calls[i] for calls in results["direct"][1])
        print(f"{name.removeprefix('/api/v1/'):<62} {gateway:9.1f} ms {direct:8.1f} ms")
    for arm in ("gateway", "direct"):
        walls = results[arm][0]
        print(f"page via {arm:<8} p50 {statistics.median(walls):7.1f} ms  p90 "
              f"{percentile(walls, 0.9):7.1f} ms  max {max(walls):7.1f} ms")
    gateway_p50 = statistics.median(results["gateway"][0])
    direct_p50 = statistics.median(results["direct"][0])
    verdict = "met" if gateway_p50 <= TARGET_P50_MS else "NOT met"
    print(f"page p50 through the gateway {gateway_p50:.1f} ms (target <= {TARGET_P50_MS:.0f} ms: "
          f"{verdict}); gateway / direct {gateway_p50 / direct_p50:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
