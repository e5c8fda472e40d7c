"""Lap-comparison facts cost against fetching the two laps' telemetry, in the same run.

Starts auth, telemetry and analysis as real processes on free loopback ports, signs in,
then measures (warm, after a warm-up):

- fetch: both laps' telemetry from telemetry-svc, requested concurrently as analysis-svc
  does, including JSON decoding and contract validation (the baseline);
- facts: building the two traces and computing the lap-comparison facts from the fetched
  payloads (what analysis-svc adds);
- endpoint: the whole analysis request (session info, two laps, circuit, laps table, facts,
  deterministic narrative), for reference.

Target: facts p50 <= fetch p50. Run: .venv/bin/python bench/analysis_lap_comparison.py
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pitwall_analysis.facts.lap_comparison import CornerMark, compare_laps  # noqa: E402
from pitwall_analysis.facts.traces import trace_from_contract  # noqa: E402
from pitwall_shared.contracts.telemetry import Circuit, LapTelemetry  # noqa: E402
from scripts.stack import Stack, new_account_token  # noqa: E402

SESSION = "/api/v1/telemetry/sessions/2024/Hungary/Q"
ANALYSIS = "/api/v1/analysis/sessions/2024/Hungary/Q/lap-comparison"
CHANNELS = "distance,time,speed,throttle,brake,gear,drs"
PAIRS = [("NOR", "VER"), ("PIA", "LEC"), ("HAM", "RUS"), ("SAI", "PER")]
WARMUP, ROUNDS = 5, 60


def p50(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


async def measure(stack: Stack, bearer: str) -> None:
    headers = {"Authorization": f"Bearer {bearer}"}
    async with httpx.AsyncClient(base_url=stack.url("telemetry"), headers=headers,
                                 timeout=60) as tel, \
            httpx.AsyncClient(base_url=stack.url("analysis"), headers=headers,
                              timeout=60) as ana:
        circuit = Circuit.model_validate((await tel.get(f"{SESSION}/circuit")).json())
        corners = [CornerMark(c.number, c.letter, c.distance_m) for c in circuit.corners]

        async def fetch(driver: str) -> LapTelemetry:
            response = await tel.get(f"{SESSION}/laps/{driver}/fastest/telemetry",
                                     params={"channels": CHANNELS, "points": "raw"})
            response.raise_for_status()
            return LapTelemetry.model_validate(response.json())

        fetch_s, facts_s, endpoint_s = [], [], []
        for i in range(WARMUP + ROUNDS):
            a, b = PAIRS[i % len(PAIRS)]
            started = time.perf_counter()
            tel_a, tel_b = await asyncio.gather(fetch(a), fetch(b))
            fetched = time.perf_counter()
            compare_laps(trace_from_contract(tel_a), trace_from_contract(tel_b), corners,
                         track_length_m=circuit.track_length_m)
            computed = time.perf_counter()
            response = await ana.get(ANALYSIS, params={"driver_a": a, "driver_b": b})
            response.raise_for_status()
            done = time.perf_counter()
            if i >= WARMUP:
                fetch_s.append(fetched - started)
                facts_s.append(computed - fetched)
                endpoint_s.append(done - computed)
    fetch_ms, facts_ms = p50(fetch_s), p50(facts_s)
    print(f"samples per lap: {len(tel_a.channels['speed'])}, rounds: {ROUNDS} (warm)")
    print(f"fetch two laps' telemetry  p50 {fetch_ms:7.2f} ms")
    print(f"lap-comparison facts       p50 {facts_ms:7.2f} ms")
    print(f"whole analysis request     p50 {p50(endpoint_s):7.2f} ms (reference)")
    print(f"facts / fetch ratio: {facts_ms / fetch_ms:.2f} (target <= 1.00) -> "
          f"{'PASS' if facts_ms <= fetch_ms else 'FAIL'}")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp, \
            Stack.start(Path(tmp), services=("auth", "telemetry", "analysis")) as stack:
        asyncio.run(measure(stack, new_account_token(stack.url("auth"))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
