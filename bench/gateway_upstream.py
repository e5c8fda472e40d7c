"""A minimal upstream for the gateway benchmark, built like a service (``create_service_app``).

It is not what the benchmark measures: ``/api/v1/analysis/ping`` answers a tiny JSON object;
``/api/v1/telemetry/lap`` a lap-telemetry-sized document (six channels of 800 samples, the
shape of a resampled lap) for when telemetry-svc cannot run; and it publishes the JWKS of the
benchmark's token signer (for the gateway and for telemetry-svc).

    python bench/gateway_upstream.py PORT JWKS_FILE
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import orjson
import uvicorn
from fastapi import APIRouter, FastAPI
from starlette.responses import Response

from pitwall_shared.app import create_service_app

SAMPLES = 800


def lap_document() -> bytes:
    distance = [i * 4.3 for i in range(SAMPLES)]
    speed = [180 + 120 * math.sin(i / 37) for i in range(SAMPLES)]
    return orjson.dumps(
        {
            "driver": "VER",
            "lap": "fastest",
            "points": SAMPLES,
            "channels": {
                "distance": distance,
                "speed": speed,
                "throttle": [
                    max(0.0, min(100.0, 60 + 50 * math.sin(i / 23))) for i in range(SAMPLES)
                ],
                "brake": [1.0 if math.sin(i / 23) < -0.6 else 0.0 for i in range(SAMPLES)],
                "gear": [float(2 + int(s // 50)) for s in speed],
                "rpm": [9000 + 2500 * math.sin(i / 31) for i in range(SAMPLES)],
            },
        }
    )


def create_app(jwks: bytes) -> FastAPI:
    router = APIRouter()
    lap = lap_document()

    @router.get("/api/v1/analysis/ping")
    async def ping() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/api/v1/telemetry/lap")
    async def lap_telemetry() -> Response:
        return Response(lap, media_type="application/json")

    @router.get("/.well-known/jwks.json")
    async def jwks_document() -> Response:
        return Response(jwks, media_type="application/json")

    return create_service_app(service="bench-upstream", title="bench upstream", routers=[router])


if __name__ == "__main__":
    port, jwks_file = int(sys.argv[1]), Path(sys.argv[2])
    uvicorn.run(
        create_app(jwks_file.read_bytes()),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
    )
