"""The render pool under uvloop, the loop uvicorn serves report-svc on.

uvloop leaves a file descriptor it watched non-blocking; a worker's pipe must be blocking
again before the next large payload is sent, or the send fails half-way and the worker
counts as lost (a lap comparison's telemetry is several hundred kilobytes).
"""

from __future__ import annotations

import uvloop

from pitwall_report.services.render_pool import RenderPool

PAYLOAD_BYTES = 8 * 1024 * 1024


async def _lengths() -> list[int]:
    pool = RenderPool(1, render_timeout=60)
    pool.warm_up()
    try:
        return [await pool.run(len, b"x" * size, timeout=120)
                for size in (1_000, PAYLOAD_BYTES, PAYLOAD_BYTES)]
    finally:
        await pool.shutdown()


def test_large_payloads_reach_the_worker_under_uvloop() -> None:
    assert uvloop.run(_lengths()) == [1_000, PAYLOAD_BYTES, PAYLOAD_BYTES]
