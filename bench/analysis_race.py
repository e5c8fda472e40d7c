"""Race-weekend facts of a full 20-driver race (2018 Azerbaijan R, 848 laps) against
fetching the data they are computed from, in the same run.

Starts auth, telemetry and analysis as real processes on free loopback ports, signs in,
then measures (warm, after a warm-up):

- fetch (baseline): session info and the laps table from telemetry-svc, concurrently as
  analysis-svc asks for them, including JSON decoding and contract validation;
- facts: indexing the laps and computing race trace + strategy (stints with Theil-Sen fits,
  pit-stop costs, battles) + pace distribution from the fetched payloads;
- endpoints: the three analysis requests (race-trace, strategy, pace-distribution) with the
  deterministic narrative, one after the other, for reference.

Target: facts p50 <= 100 ms. Run: .venv/bin/python bench/analysis_race.py
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

from pitwall_analysis.facts.pace_distribution import pace_distribution  # noqa: E402
from pitwall_analysis.facts.race_laps import finishing_order, index_laps  # noqa: E402
from pitwall_analysis.facts.race_trace import race_trace  # noqa: E402
from pitwall_analysis.facts.strategy import strategy  # noqa: E402
from pitwall_shared.contracts.telemetry import LapTable, SessionInfo  # noqa: E402
from scripts.stack import Stack, new_account_token  # noqa: E402

SESSION = "/api/v1/telemetry/sessions/2018/Azerbaijan/R"
ANALYSIS = "/api/v1/analysis/sessions/2018/Azerbaijan/R"
KINDS = ("race-trace", "strategy", "pace-distribution")
WARMUP, ROUNDS = 3, 30
TARGET_MS = 100.0


def p50(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


async def measure(stack: Stack, bearer: str) -> None:
    headers = {"Authorization": f"Bearer {bearer}"}
    async with httpx.AsyncClient(base_url=stack.url("telemetry"), headers=headers,
                                 timeout=120) as tel, \
            httpx.AsyncClient(base_url=stack.url("analysis"), headers=headers,
                              timeout=120) as ana:

        async def fetch() -> tuple[SessionInfo, LapTable]:
            info, laps = await asyncio.gather(tel.get(SESSION), tel.get(f"{SESSION}/laps"))
            info.raise_for_status()
            laps.raise_for_status()
            return SessionInfo.model_validate(info.json()), LapTable.model_validate(laps.json())

        fetch_s, facts_s, endpoint_s = [], [], []
        for i in range(WARMUP + ROUNDS):
            started = time.perf_counter()
            info, laps = await fetch()
            fetched = time.perf_counter()
            race, order = index_laps(laps.laps), finishing_order(info)
            race_trace(race, order, info.results)
            strategy(race, order)
            pace_distribution(race, order)
            computed = time.perf_counter()
            for kind in KINDS:
                (await ana.get(f"{ANALYSIS}/{kind}")).raise_for_status()
            done = time.perf_counter()
            if i >= WARMUP:
                fetch_s.append(fetched - started)
                facts_s.append(computed - fetched)
                endpoint_s.append(done - computed)
    fetch_ms, facts_ms = p50(fetch_s), p50(facts_s)
    print(f"laps: {laps.count}, drivers: {len(info.drivers)}, rounds: {ROUNDS} (warm)")
    print(f"fetch session + laps (baseline)           p50 {fetch_ms:7.2f} ms")
    print(f"race trace + strategy + pace facts        p50 {facts_ms:7.2f} ms")
    print(f"three analysis requests, one after other  p50 {p50(endpoint_s):7.2f} ms (reference)")
    print(f"facts / fetch ratio: {facts_ms / fetch_ms:.2f}")
    verdict = "PASS" if facts_ms <= TARGET_MS else "FAIL"
    print(f"facts p50 target <= {TARGET_MS:.0f} ms -> {verdict}")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp, \
            Stack.start(Path(tmp), services=("auth", "telemetry", "analysis")) as stack:
        asyncio.run(measure(stack, new_account_token(stack.url("auth"))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
