"""(d) Lap-telemetry latency and throughput through the gateway, at 1 and 32 concurrent
clients, against the same requests sent to telemetry-svc directly, in one run.

Starts auth, telemetry and gateway as real processes (scripts/stack.py, free loopback ports,
offline sample pack), signs a user in, warms the 20 Hungary 2024 Q laps, then each client
loops over the drivers' fastest-lap telemetry (default channels and points). The gateway's
per-user and per-IP rate limits are raised for the run: they are not what is measured.
Target: p99 <= 50 ms at 32 clients. Run: .venv/bin/python bench/telemetry_gateway_latency.py
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from scripts.stack import Stack  # noqa: E402

LAP = "/api/v1/telemetry/sessions/2024/Hungary/Q/laps/{driver}/fastest/telemetry"
DRIVERS = ["NOR", "PIA", "VER", "SAI", "HAM", "LEC", "ALO", "STR", "RIC", "TSU", "HUL", "BOT",
           "ALB", "SAR", "MAG", "PER", "RUS", "ZHO", "OCO", "GAS"]
REQUESTS_PER_LEVEL = {1: 200, 32: 960}


def sign_in(auth_url: str) -> str:
    email = f"bench-{uuid.uuid4().hex[:8]}@example.com"
    password = f"bench-{uuid.uuid4().hex}"
    with httpx.Client(base_url=auth_url, timeout=30) as client:
        client.post("/api/v1/auth/register",
                    json={"email": email, "password": password, "display_name": "Bench"})
        login = client.post("/api/v1/auth/login", json={"email": email, "password": password})
        login.raise_for_status()
        return str(login.json()["access_token"])


async def run_level(base_url: str, token: str, clients: int) -> dict[str, float]:
    total = REQUESTS_PER_LEVEL[clients]
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base_url, timeout=30, limits=limits,
                                 headers={"Authorization": f"Bearer {token}"}) as http:
        for driver in DRIVERS:  # warm: every lap in the service's memory cache
            (await http.get(LAP.format(driver=driver))).raise_for_status()

        async def client(index: int) -> None:
            for i in range(index, total, clients):
                started = time.perf_counter()
                response = await http.get(LAP.format(driver=DRIVERS[i % len(DRIVERS)]))
                latencies.append(time.perf_counter() - started)
                response.raise_for_status()

        started = time.perf_counter()
        await asyncio.gather(*(client(i) for i in range(clients)))
        elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    return {"p50": statistics.median(ordered) * 1000,
            "p99": ordered[int(len(ordered) * 0.99) - 1] * 1000,
            "rps": len(ordered) / elapsed}


def main() -> None:
    env = {"GATEWAY_RATE_LIMIT_PER_USER": "1000000/minute",
           "GATEWAY_RATE_LIMIT_PER_IP": "1000000/minute"}
    with tempfile.TemporaryDirectory() as tmp, \
            Stack.start(Path(tmp), env=env, services=("auth", "telemetry", "gateway")) as stack:
        token = sign_in(stack.url("auth"))
        # the first request waits for JWKS, schedule and snapshot reads (and competes with
        # the loader warm-up): make it directly, with patience, before measuring
        httpx.get(stack.url("telemetry") + LAP.format(driver="NOR"), timeout=120,
                  headers={"Authorization": f"Bearer {token}"}).raise_for_status()
        with httpx.Client(base_url=stack.url("telemetry")) as plain:
            floor = []
            for _ in range(100):
                started = time.perf_counter()
                plain.get("/healthz")
                floor.append(time.perf_counter() - started)
        print(f"floor: GET /healthz on telemetry-svc, 1 client, p50 "
              f"{statistics.median(floor) * 1000:.2f} ms (this machine's round trip)")
        results = {}
        for target in ("gateway", "telemetry"):
            for clients in (1, 32):
                results[(target, clients)] = asyncio.run(
                    run_level(stack.url(target), token, clients))
    for (target, clients), r in results.items():
        print(f"{target:<9} {clients:>2} clients: p50 {r['p50']:6.2f} ms  p99 {r['p99']:6.2f} ms"
              f"  {r['rps']:6.0f} req/s")
    gateway, direct = results[("gateway", 32)], results[("telemetry", 32)]
    print(f"p99 at 32 clients: gateway {gateway['p99']:.1f} ms (target <= 50 ms); "
          f"gateway / direct p99 ratio {gateway['p99'] / direct['p99']:.2f}")


if __name__ == "__main__":
    main()
