"""(d) Lap-telemetry latency and throughput through the gateway, at 1 and 32 concurrent
clients, against the same requests sent to telemetry-svc directly, in one run.

Starts auth, telemetry and gateway as real processes (scripts/stack.py, free loopback ports,
offline sample pack), signs a user in and warms the 20 Hungary 2024 Q laps. The load comes
from ``wrk`` (bench/wrk_load.py): 1 or 32 keep-alive connections cycling over the drivers'
fastest-lap telemetry (default channels and points). The
gateway's per-user and per-IP rate limits are raised for the run: they are not measured.
Target: p99 <= 50 ms at 32 clients through the gateway.

Run: .venv/bin/python bench/telemetry_gateway_latency.py [--seconds 10]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from wrk_load import WrkResult, run_wrk, wrk_available  # noqa: E402

from scripts.stack import Stack, new_account_token  # noqa: E402

LAP = "/api/v1/telemetry/sessions/2024/Hungary/Q/laps/{driver}/fastest/telemetry"
DRIVERS = ["NOR", "PIA", "VER", "SAI", "HAM", "LEC", "ALO", "STR", "RIC", "TSU", "HUL", "BOT",
           "ALB", "SAR", "MAG", "PER", "RUS", "ZHO", "OCO", "GAS"]

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10, help="duration of each arm")
    args = parser.parse_args()
    if not wrk_available():
        print("wrk is required (apt-get install wrk)", file=sys.stderr)
        return 2
    env = {"GATEWAY_RATE_LIMIT_PER_USER": "1000000000/minute",
           "GATEWAY_RATE_LIMIT_PER_IP": "1000000000/minute", "LOG_LEVEL": "WARNING"}
    laps = [LAP.format(driver=driver) for driver in DRIVERS]
    results: dict[tuple[str, int], WrkResult] = {}
    with tempfile.TemporaryDirectory() as tmp, \
            Stack.start(Path(tmp), env=env, services=("auth", "telemetry", "gateway")) as stack:
        token = new_account_token(stack.url("auth"))
        headers = {"Authorization": f"Bearer {token}"}
        # The first request waits for JWKS, schedule and snapshot reads: make it with patience,
        # then touch every lap on both paths so that what is measured is the warm path.
        httpx.get(stack.url("telemetry") + LAP.format(driver="NOR"), timeout=120,
                  headers=headers).raise_for_status()
        for target in ("gateway", "telemetry"):
            for driver in DRIVERS:
                httpx.get(stack.url(target) + LAP.format(driver=driver), timeout=30,
                          headers=headers).raise_for_status()
        body = httpx.get(stack.url("gateway") + LAP.format(driver="NOR"), headers=headers)
        print(f"response: {len(body.content)} bytes of JSON per lap (default channels, points)")
        for clients in (1, 32):
            for target in ("telemetry", "gateway"):
                results[(target, clients)] = run_wrk(stack.url(target), clients,
                                                     args.seconds, token, laps)
    for (target, clients), r in results.items():
        print(f"{target:<9} {clients:>2} clients: p50 {r.p50_ms:7.2f} ms  p99 {r.p99_ms:7.2f} ms"
              f"  {r.requests_per_second:7.0f} req/s  ({r.requests} requests)")
    gateway, direct = results[("gateway", 32)], results[("telemetry", 32)]
    print(f"p99 at 32 clients through the gateway: {gateway.p99_ms:.1f} ms (target <= 50 ms); "
          f"gateway / direct: p99 {gateway.p99_ms / direct.p99_ms:.2f}, "
          f"throughput {gateway.requests_per_second / direct.requests_per_second:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
