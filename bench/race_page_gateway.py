"""The race page's API calls through the gateway, warm, against the same calls sent straight
to the services, in one run.

Starts the five services as real processes (scripts/stack.py, free loopback ports, offline
sample pack), signs a user in and opens 2018 Azerbaijan R once so every answer is warm. Then,
in interleaved rounds, it makes the calls the web app's race page makes, the way the page
makes them: the load status first, then the user, the session, its laps, the summary and the
three race analyses (race trace, strategy, pace distribution; the page asks for strategy and
pace only when their tab opens) at once over a pool of six keep-alive connections, as a
browser would. Each round is timed as a whole (the page's wait for its data) and per call;
so is the opening view alone (everything but strategy and pace). Each call is also timed
alone, one request in flight, which separates what a call costs from what the calls cost
each other on a small machine. The baseline is the same requests sent to telemetry-svc,
analysis-svc and auth-svc directly. The gateway's rate limits are raised for the run: they
are not measured. Target: page p50 <= 150 ms through the gateway.

Run: .venv/bin/python bench/race_page_gateway.py [--rounds 30]
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
# Per arm: the opening view's wall times, and each call's times when alone.
Extra = dict[str, tuple[list[float], list[list[float]]]]


async def timed(client: httpx.AsyncClient, url: str) -> float:
    started = time.perf_counter()
    response = await client.get(url)
    await response.aread()
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}: {response.text[:300]}")
    return (time.perf_counter() - started) * 1000


OPENING = tuple(call for call in THEN if not call[1].endswith(("/strategy", "/pace-distribution")))


async def page_round(client: httpx.AsyncClient, base: dict[str, str],
                     calls: tuple[tuple[str, str], ...] = THEN) -> tuple[float, list[float]]:
    """One page load: status, then the other calls at once. Returns (wall ms, per-call ms)."""
    started = time.perf_counter()
    first = await timed(client, base[FIRST[0]] + FIRST[1])
    rest = await asyncio.gather(*(timed(client, base[service] + path) for service, path in calls))
    return (time.perf_counter() - started) * 1000, [first, *rest]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def measure(stack: Stack, token: str, rounds: int) -> tuple[Timings, Extra]:
    headers = {"Authorization": f"Bearer {token}"}
    arms = {
        "gateway": {name: stack.url("gateway") for name in ("auth", "telemetry", "analysis")},
        "direct": {name: stack.url(name) for name in ("auth", "telemetry", "analysis")},
    }
    limits = httpx.Limits(max_connections=6, max_keepalive_connections=6)
    results: Timings = {arm: ([], []) for arm in arms}
    extra: Extra = {arm: ([], []) for arm in arms}
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
                extra[name][0].append((await page_round(client, arm, OPENING))[0])
                extra[name][1].append([await timed(client, arm[service] + path)
                                       for service, path in (FIRST, *THEN)])
    return results, extra


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    env = {"GATEWAY_RATE_LIMIT_PER_USER": "1000000000/minute",
           "GATEWAY_RATE_LIMIT_PER_IP": "1000000000/minute", "LOG_LEVEL": "WARNING"}
    with tempfile.TemporaryDirectory() as tmp, Stack.start(Path(tmp), env=env) as stack:
        token = new_account_token(stack.url("auth"))
        results, extra = asyncio.run(measure(stack, token, args.rounds))
    names = [FIRST[1], *(path for _, path in THEN)]
    print(f"{args.rounds} warm rounds of the race page ({len(names)} calls), 6 connections")
    print(f"{'call (p50)':<56} {'in the page':>24} {'alone':>24}")
    print(f"{'':<56} {'gateway':>12}{'direct':>12} {'gateway':>12}{'direct':>12}")
    for i, name in enumerate(names):
        row = [statistics.median(calls[i] for calls in table[arm][1])
               for table in (results, extra) for arm in ("gateway", "direct")]
        print(f"{name.removeprefix('/api/v1/'):<56} " + "".join(f"{v:9.1f} ms" for v in row))
    for arm in ("gateway", "direct"):
        walls = results[arm][0]
        print(f"page via {arm:<8} p50 {statistics.median(walls):7.1f} ms  p90 "
              f"{percentile(walls, 0.9):7.1f} ms  max {max(walls):7.1f} ms;  opening view "
              f"p50 {statistics.median(extra[arm][0]):7.1f} ms")
    gateway_p50 = statistics.median(results["gateway"][0])
    direct_p50 = statistics.median(results["direct"][0])
    verdict = "met" if gateway_p50 <= TARGET_P50_MS else "NOT met"
    print(f"page p50 through the gateway {gateway_p50:.1f} ms (target <= {TARGET_P50_MS:.0f} ms: "
          f"{verdict}); gateway / direct {gateway_p50 / direct_p50:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
