"""Render workers: a render that outlives its timeout has its worker process killed (the PID
is gone afterwards) and a fresh worker takes its place, so the next render works; a caller
that stops waiting does not cost a worker."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from pitwall_report.rendering.pdf import html_to_pdf
from pitwall_report.services.render_pool import RenderPool
from pitwall_shared.problems import ProblemError

pytestmark = pytest.mark.asyncio(loop_scope="module")

# Long enough for a fresh worker's first real PDF (fonts load on first use; the worker is
# forked with matplotlib and WeasyPrint imported) on a busy machine, with room to spare.
RENDER_TIMEOUT_S = 10.0
# A render that ends well within its deadline, well after its caller gave up.
SHORT_RENDER_S = 1.0
# Starting a worker imports matplotlib and WeasyPrint: slow on a busy machine.
GENEROUS_S = 180.0


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def pool() -> AsyncIterator[RenderPool]:
    pool = RenderPool(1, render_timeout=RENDER_TIMEOUT_S)
    pool.warm_up()
    async with asyncio.timeout(GENEROUS_S):
        while not pool.warm:
            await asyncio.sleep(0.1)
    try:
        yield pool
    finally:
        pids = pool.worker_pids
        await pool.shutdown()
        assert not any(alive(pid) for pid in pids)


async def test_a_render_over_its_timeout_loses_its_worker_and_the_next_one_works(
    pool: RenderPool,
) -> None:
    [pid] = pool.worker_pids
    started = time.monotonic()
    with pytest.raises(ProblemError) as refused:
        # time.sleep stands in for a render that never ends (the pool is under test, not a
        # particular pathological chart): it runs in the worker like any render function.
        await pool.run(time.sleep, 600, timeout=GENEROUS_S)
    assert (refused.value.status, refused.value.slug) == (503, "render-timeout")
    assert refused.value.headers["Retry-After"]
    assert time.monotonic() - started < RENDER_TIMEOUT_S + 30
    assert not alive(pid), "the worker that overran is still running"

    pdf = await pool.run(html_to_pdf, "<h1>After a timeout</h1>", timeout=GENEROUS_S)
    assert pdf.content.startswith(b"%PDF") and pdf.pages == 1
    [replacement] = pool.worker_pids
    assert replacement != pid and alive(replacement)


async def test_a_caller_that_gives_up_does_not_cost_a_worker(pool: RenderPool) -> None:
    [pid] = pool.worker_pids
    with pytest.raises(ProblemError) as refused:
        await pool.run(time.sleep, SHORT_RENDER_S, timeout=0.2)
    assert refused.value.slug == "render-timeout"
    # The render finishes within its own deadline and the same worker serves the next one.
    pdf = await pool.run(html_to_pdf, "<p>Same worker</p>", timeout=GENEROUS_S)
    assert pdf.pages == 1
    assert pool.worker_pids == [pid] and alive(pid)
