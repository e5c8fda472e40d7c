"""The render pool under uvloop, the loop uvicorn serves report-svc on.

A pool that watches a worker's pipe with the event loop gets it back non-blocking from
uvloop, and then a large payload (a lap comparison's telemetry is several hundred kilobytes)
fails half-way as a lost worker; ``make demo`` failed that way once. Whatever the pool's
mechanism, large payloads must reach the worker and come back.
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
