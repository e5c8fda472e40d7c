"""(a) Warm telemetry-svc requests against the naive per-request approach, in one run.

- laps: ``GET .../2024/Spain/Q/laps?driver=VER`` (snapshot + memory cache) against FastF1
  itself: ``get_session`` + ``session.load()`` from its own warm cache, then
  ``laps.pick_drivers('VER')``, per request;
- lap telemetry: ``GET .../2024/Hungary/Q/laps/NOR/fastest/telemetry`` against parsing the
  session's source file (JSON, timedeltas, a DataFrame) and picking the lap, per request;
  parsing only that driver's own file is printed too.

The service runs in process with its lifespan (ASGI transport: routing, token verification,
serialization included; no sockets, see telemetry_gateway_latency.py for those).
Target: naive / warm >= 300. Run: .venv/bin/python bench/telemetry_warm_requests.py
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pandas as pd
from asgi_lifespan import LifespanManager

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pitwall_shared.testing import TestSigner  # noqa: E402
from pitwall_telemetry.config import Settings  # noqa: E402
from pitwall_telemetry.fastf1_setup import configure_offline  # noqa: E402
from pitwall_telemetry.main import create_app  # noqa: E402
from pitwall_telemetry.sample_pack import (  # noqa: E402
    SAMPLE_DATA_DIR,
    frozen_http_dir,
    hungary_raw_dir,
)

SPAIN_LAPS = "/api/v1/telemetry/sessions/2024/Spain/Q/laps"
HUNGARY_LAP = "/api/v1/telemetry/sessions/2024/Hungary/Q/laps/NOR/fastest/telemetry"
WARM_ROUNDS, NAIVE_ROUNDS = 300, 5


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


async def service_timings(data_dir: Path) -> tuple[float, float]:
    settings = Settings(PITWALL_DATA_DIR=data_dir, offline=True, warm_pool=False,
                        load_workers=1, sample_dir=SAMPLE_DATA_DIR)
    app = create_app(settings)
    signer = TestSigner()  # stands in for auth-svc: token checks still run per request
    app.state.token_verifier = signer.verifier()
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t",
                                     headers={"Authorization": f"Bearer {signer.token()}"},
                                     timeout=600) as client:
            (await client.get(SPAIN_LAPS, params={"driver": "VER"})).raise_for_status()  # cold
            results = []
            for path, params in ((SPAIN_LAPS, {"driver": "VER"}), (HUNGARY_LAP, {})):
                (await client.get(path, params=params)).raise_for_status()
                samples = []
                for _ in range(WARM_ROUNDS):
                    started = time.perf_counter()
                    response = await client.get(path, params=params)
                    samples.append(time.perf_counter() - started)
                    assert response.status_code == 200
                results.append(median_ms(samples))
    return results[0], results[1]


def naive_laps_ms(cache_dir: Path) -> float:
    import fastf1

    configure_offline(frozen_http_dir(SAMPLE_DATA_DIR), cache_dir)

    def once() -> int:
        session = fastf1.get_session(2024, "Spain", "Q")
        session.load(laps=True, telemetry=True, weather=True, messages=True)
        return len(session.laps.pick_drivers("VER"))

    once()  # fills FastF1's own cache: the naive approach at its best
    samples = []
    for _ in range(NAIVE_ROUNDS):
        started = time.perf_counter()
        once()
        samples.append(time.perf_counter() - started)
    return median_ms(samples)


def naive_lap_telemetry_ms(source: str) -> float:
    """``session``: parse the session's source file (every driver's lap, like a session
    load) then pick NOR; ``driver``: parse only NOR's own file (a lower bound)."""
    raw = hungary_raw_dir(SAMPLE_DATA_DIR)
    path = raw / "2024_Hungarian_GP_Qualifying.json" if source == "session" else \
        raw / "2024_Hungarian_GP_Qualifying_telemetry" / "NOR_telemetry.json"

    def once() -> int:
        document = json.loads(path.read_text())
        lap = document["drivers"]["NOR"] if source == "session" else document
        frame = pd.DataFrame(lap["telemetry"])
        for column in ("Time", "SessionTime"):
            frame[column] = pd.to_timedelta(frame[column])
        seconds = frame["Time"].dt.total_seconds()
        frame["Distance"] = (frame["Speed"] / 3.6 * seconds.diff().fillna(seconds)).cumsum()
        return len(frame[["Distance", "Speed", "Throttle", "Brake", "nGear"]].to_dict("list"))

    samples = []
    for _ in range(NAIVE_ROUNDS * 4):
        started = time.perf_counter()
        once()
        samples.append(time.perf_counter() - started)
    return median_ms(samples)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        warm_laps, warm_lap = asyncio.run(service_timings(Path(tmp) / "data"))
        naive_laps = naive_laps_ms(Path(tmp) / "ff1")
        naive_lap = naive_lap_telemetry_ms("session")
        naive_driver_file = naive_lap_telemetry_ms("driver")
    print(f"laps of one driver:  warm {warm_laps:.3f} ms  naive {naive_laps:.1f} ms  "
          f"ratio {naive_laps / warm_laps:.0f}x")
    print(f"one lap's telemetry: warm {warm_lap:.3f} ms  naive {naive_lap:.1f} ms  "
          f"ratio {naive_lap / warm_lap:.0f}x  (session source file)")
    print(f"one lap's telemetry: warm {warm_lap:.3f} ms  naive {naive_driver_file:.1f} ms  "
          f"ratio {naive_driver_file / warm_lap:.0f}x  (only that driver's file)")
    print("target: ratio >= 300x")


if __name__ == "__main__":
    main()
