"""(a) Warm telemetry-svc requests against the naive per-request approach, in one run.

Two questions, each with its naive baseline computed per request in the same run:

- laps: ``GET .../2024/Spain/Q/laps?driver=VER`` against FastF1 itself: ``get_session`` +
  ``session.load()`` from FastF1's own warm cache, then ``laps.pick_drivers('VER')``;
- lap telemetry: ``GET .../2024/Hungary/Q/laps/NOR/fastest/telemetry`` (default channels,
  300 points) against building the same answer from the session's source files. Three
  baselines, heaviest first: build the session from its source files the way the loader does
  (every table, the analogue of ``session.load``), then pick and resample the lap; parse the
  session's JSON file and shape only NOR's lap; parse only NOR's own file (a lower bound).

The warm side is measured two ways: "in process" calls the service's ASGI app directly (its
lifespan, middleware, token check, memory cache; no client library, no sockets), and "socket"
is the median latency ``wrk`` sees from telemetry-svc running as its own process (one
keep-alive connection, loopback round trip included).

Target: naive / warm >= 300. Run: .venv/bin/python bench/telemetry_warm_requests.py
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import numpy as np
from asgi_lifespan import LifespanManager
from wrk_load import run_wrk, wrk_available

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pitwall_shared.responses import dumps  # noqa: E402
from pitwall_shared.testing import TestSigner  # noqa: E402
from pitwall_telemetry.config import Settings  # noqa: E402
from pitwall_telemetry.fastf1_setup import configure_offline  # noqa: E402
from pitwall_telemetry.loading.hungary import (  # noqa: E402
    SESSION_FILE,
    build_hungary_bundle,
    lap_telemetry_frame,
)
from pitwall_telemetry.main import create_app  # noqa: E402
from pitwall_telemetry.sample_pack import (  # noqa: E402
    SAMPLE_DATA_DIR,
    frozen_http_dir,
    hungary_raw_dir,
)
from pitwall_telemetry.services.traces import DEFAULT_CHANNELS, DEFAULT_POINTS, shape_trace  # noqa: E402
from scripts.stack import Stack, new_account_token  # noqa: E402

SPAIN_LAPS = "/api/v1/telemetry/sessions/2024/Spain/Q/laps?driver=VER"
HUNGARY_LAP = "/api/v1/telemetry/sessions/2024/Hungary/Q/laps/NOR/fastest/telemetry"
IN_PROCESS_ROUNDS, NAIVE_ROUNDS, SOCKET_SECONDS = 3000, 7, 5


def median_ms(run: Callable[[], object], rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


async def call_app(app: Any, target: str, headers: list[tuple[bytes, bytes]]) -> int:
    """One GET straight into the ASGI app; returns the status it answered with."""
    path, _, query = target.partition("?")
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "GET", "scheme": "http", "path": path, "raw_path": path.encode(),
             "query_string": query.encode(), "root_path": "", "headers": headers,
             "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8002)}
    status = 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


async def in_process_ms(data_dir: Path) -> dict[str, float]:
    settings = Settings(PITWALL_DATA_DIR=data_dir, offline=True, warm_pool=False,
                        load_workers=1, sample_dir=SAMPLE_DATA_DIR)
    app = create_app(settings)
    signer = TestSigner()  # stands in for auth-svc: the token is still checked per request
    app.state.token_verifier = signer.verifier()
    headers = [(b"host", b"telemetry"), (b"authorization", f"Bearer {signer.token()}".encode())]
    results = {}
    async with LifespanManager(app):
        for name, target in (("laps", SPAIN_LAPS), ("lap", HUNGARY_LAP)):
            for _ in range(2):  # cold (snapshot build or read), then warm
                assert await call_app(app, target, headers) == 200
            samples = []
            for _ in range(IN_PROCESS_ROUNDS):
                started = time.perf_counter()
                status = await call_app(app, target, headers)
                samples.append(time.perf_counter() - started)
                assert status == 200
            results[name] = statistics.median(samples) * 1000
    return results


def socket_ms(data_dir: Path) -> dict[str, float]:
    """p50 seen by wrk over one keep-alive connection to telemetry-svc's own process."""
    with Stack.start(data_dir, env={"LOG_LEVEL": "WARNING"},
                     services=("auth", "telemetry")) as stack:
        token = new_account_token(stack.url("auth"))
        results = {}
        for name, target in (("laps", SPAIN_LAPS), ("lap", HUNGARY_LAP)):
            url = stack.url("telemetry") + target
            for _ in range(2):
                httpx.get(url, headers={"Authorization": f"Bearer {token}"},
                          timeout=300).raise_for_status()
            results[name] = run_wrk(url, 1, SOCKET_SECONDS, token).p50_ms
    return results


def naive_laps_ms(cache_dir: Path) -> float:
    import fastf1

    configure_offline(frozen_http_dir(SAMPLE_DATA_DIR), cache_dir)

    def once() -> int:
        session = fastf1.get_session(2024, "Spain", "Q")
        session.load(laps=True, telemetry=True, weather=True, messages=True)
        return len(session.laps.pick_drivers("VER"))

    once()  # fills FastF1's own cache: the naive approach at its best
    return median_ms(once, NAIVE_ROUNDS)


def lap_answer(samples: dict[str, np.ndarray], lap: dict[str, Any]) -> bytes:
    """The default lap-telemetry answer: 300 points of the default channels, as JSON."""
    trace = shape_trace(samples, DEFAULT_CHANNELS, DEFAULT_POINTS)
    return dumps({"lap": lap, "points": DEFAULT_POINTS, "resampled": True, "channels": trace})


def naive_lap_baselines() -> dict[str, float]:
    raw = hungary_raw_dir(SAMPLE_DATA_DIR)

    def whole_session() -> bytes:
        bundle = build_hungary_bundle(raw)
        laps = bundle.tables["laps"]
        fastest = laps[laps["driver"] == "NOR"].sort_values("lap_time_s").iloc[0]
        frame = bundle.telemetry["NOR"]
        frame = frame[frame["lap_number"] == fastest["lap_number"]]
        samples = {name: frame[name].to_numpy() for name in frame.columns}
        return lap_answer(samples, {"driver": "NOR", "lap_number": int(fastest["lap_number"])})

    def from_file(path: Path, pick: Callable[[dict[str, Any]], dict[str, Any]]) -> bytes:
        lap = pick(json.loads(path.read_text()))
        frame = lap_telemetry_frame("NOR", lap)
        samples = {name: frame[name].to_numpy() for name in frame.columns}
        return lap_answer(samples, {"driver": "NOR", "lap_number": int(lap["lap_number"])})

    session_file = raw / SESSION_FILE
    driver_file = raw / "2024_Hungarian_GP_Qualifying_telemetry" / "NOR_telemetry.json"
    nor_position = json.loads(session_file.read_text())["drivers"]["NOR"]["position_data"]
    return {
        "session built from its source files": median_ms(whole_session, NAIVE_ROUNDS),
        "session JSON parsed, NOR's lap shaped": median_ms(
            lambda: from_file(session_file, lambda doc: doc["drivers"]["NOR"]), NAIVE_ROUNDS * 3),
        # NOR's own file has no position data; lend it the session's so the shaping is equal
        "NOR's own file parsed (lower bound)": median_ms(
            lambda: from_file(driver_file, lambda doc: {**doc, "position_data": nor_position}),
            NAIVE_ROUNDS * 3),
    }


def main() -> int:
    if not wrk_available():
        print("wrk is required (apt-get install wrk)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        in_process = asyncio.run(in_process_ms(Path(tmp) / "in-process"))
        over_socket = socket_ms(Path(tmp) / "socket")
        naive_laps = naive_laps_ms(Path(tmp) / "ff1")
        naive_laps_by = {"FastF1 session.load + pick_drivers": naive_laps}
        naive_lap_by = naive_lap_baselines()
    print(f"warm, in process: laps {in_process['laps']:.3f} ms, lap {in_process['lap']:.3f} ms")
    print(f"warm, socket:     laps {over_socket['laps']:.3f} ms, lap {over_socket['lap']:.3f} ms")
    for name, baselines in (("laps", naive_laps_by), ("lap", naive_lap_by)):
        for baseline, naive in baselines.items():
            print(f"{name:<4} naive {naive:8.1f} ms ({baseline}): ratio in process "
                  f"{naive / in_process[name]:6.0f}x, socket {naive / over_socket[name]:6.0f}x")
    print("target: ratio >= 300x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
