"""Pitwall's own time per tool call (what an answer spends outside the model), warm.

Starts auth, telemetry and analysis as real processes on free loopback ports, signs in, then
calls every tool of the catalog through ``POST /api/v1/analysis/tools/{name}`` (token check,
validation, reads from telemetry-svc, facts through the memo, compact JSON) in interleaved
rounds after a warm-up. The ask loop runs tools in-process, without this HTTP hop and token
check, so these numbers are an upper bound for a tool call inside an answer. ``chart`` only
names the chart; drawing it is report-svc's work and is not counted.

Baseline, measured in the same rounds: the bare session-info request to telemetry-svc that
every session tool makes at least once (the smallest read a tool can wrap). For reference the
same calls are made through the gateway's ``/mcp`` with the SDK's own streamable-HTTP client
(one session, warm; ``chart`` left out there, as it would draw the PNG).

Target: p50 <= 50 ms per tool. Run: .venv/bin/python bench/ask_tools.py
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import httpx2
from mcp.client.session import ClientSession
from mcp.client.streamable_http import streamable_http_client

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from scripts.stack import Stack, new_account_token  # noqa: E402

BAKU = {"year": 2018, "event": "Azerbaijan", "session": "R"}
HUNGARY = {"year": 2024, "event": "Hungary", "session": "Q"}
CALLS: list[tuple[str, dict[str, Any]]] = [
    ("schedule", {"year": 2024}),
    ("session_info", BAKU),
    ("results", BAKU),
    ("laps", {**BAKU, "drivers": ["VET", "HAM"], "lap_from": 10, "lap_to": 30}),
    ("compare_laps", {**HUNGARY, "driver_a": "NOR", "driver_b": "PIA"}),
    ("race_pace", {**BAKU, "drivers": ["VET", "HAM", "BOT"]}),
    ("race_trace", {**BAKU, "every": 5}),
    ("strategy", BAKU),
    ("session_summary", BAKU),
    ("fastest_laps", HUNGARY),
    ("chart", {**BAKU, "chart": "positions", "drivers": ["VET", "HAM"]}),
]
BASELINE = "/api/v1/telemetry/sessions/2018/Azerbaijan/R"
WARMUP, ROUNDS = 3, 40
TARGET_MS = 50.0
# The rounds send ~500 MCP requests a minute from one address and user; the limits are not
# what is measured here (gateway/tests covers them).
GENEROUS_LIMITS = {"GATEWAY_RATE_LIMIT_PER_IP": "1000000/minute",
                   "GATEWAY_RATE_LIMIT_PER_USER": "1000000/minute"}


def percentile(samples: list[float], q: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1] * 1000


async def timed(client: httpx.AsyncClient, method: str, path: str, **kwargs: Any) -> float:
    started = time.perf_counter()
    response = await client.request(method, path, **kwargs)
    elapsed = time.perf_counter() - started
    response.raise_for_status()
    return elapsed


async def mcp_call(session: ClientSession, name: str, args: dict[str, Any]) -> float:
    started = time.perf_counter()
    result = await session.call_tool(name, args)
    elapsed = time.perf_counter() - started
    if result.is_error:
        raise RuntimeError(f"{name} over MCP failed: {result.content}")
    return elapsed


async def measure(stack: Stack, bearer: str) -> bool:
    headers = {"Authorization": f"Bearer {bearer}"}
    samples: dict[str, list[float]] = {name: [] for name, _ in CALLS}
    over_mcp: dict[str, list[float]] = {name: [] for name, _ in CALLS if name != "chart"}
    baseline: list[float] = []
    async with httpx.AsyncClient(base_url=stack.url("telemetry"), headers=headers,
                                 timeout=120) as tel, \
            httpx.AsyncClient(base_url=stack.url("analysis"), headers=headers,
                              timeout=120) as ana, \
            httpx2.AsyncClient(headers=headers, timeout=120) as http, \
            streamable_http_client(f"{stack.url('gateway')}/mcp",
                                   http_client=http) as (read, write), \
            ClientSession(read, write) as session:
        await session.initialize()
        for i in range(WARMUP + ROUNDS):
            base = await timed(tel, "GET", BASELINE)
            calls = [await timed(ana, "POST", f"/api/v1/analysis/tools/{name}", json=args)
                     for name, args in CALLS]
            mcp = [await mcp_call(session, name, args) for name, args in CALLS
                   if name in over_mcp]
            if i >= WARMUP:
                baseline.append(base)
                for (name, _), elapsed in zip(CALLS, calls, strict=True):
                    samples[name].append(elapsed)
                for name, elapsed in zip(over_mcp, mcp, strict=True):
                    over_mcp[name].append(elapsed)
    base_p50 = percentile(baseline, 50)
    print(f"rounds: {ROUNDS} (warm, after {WARMUP}), one call of each tool per round")
    print(f"{'baseline: session info from telemetry-svc':44s} p50 {base_p50:6.2f} ms  "
          f"p95 {percentile(baseline, 95):6.2f} ms")
    met = True
    for name, _ in CALLS:
        p50, p95 = percentile(samples[name], 50), percentile(samples[name], 95)
        ok = p50 <= TARGET_MS
        met &= ok
        via_mcp = (f"  via /mcp p50 {percentile(over_mcp[name], 50):6.2f} ms"
                   if name in over_mcp else "")
        print(f"{'tool ' + name:44s} p50 {p50:6.2f} ms  p95 {p95:6.2f} ms  "
              f"{p50 / base_p50:5.1f}x baseline  {'PASS' if ok else 'FAIL'}{via_mcp}")
    print(f"target p50 <= {TARGET_MS:.0f} ms for every tool -> {'PASS' if met else 'FAIL'}")
    return met


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp, \
            Stack.start(Path(tmp), services=("auth", "telemetry", "analysis", "gateway"),
                        env=GENEROUS_LIMITS) as stack:
        met = asyncio.run(measure(stack, new_account_token(stack.url("auth"))))
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
