"""Metrics of real report jobs: a PDF built end to end, a job the upstream refuses, the queue
depth counted from the shared table while the runner is paused, the render workers."""

from __future__ import annotations

import pytest

from pitwall_report.services.jobs import JobRunner
from pitwall_shared.testing_metrics import MetricMoves, sample

from .conftest import Stack
from .harness import bearer, counted, wait_for_job

pytestmark = pytest.mark.asyncio(loop_scope="module")

LAP_COMPARISON = {"kind": "lap_comparison", "year": 2024, "event": "Hungary", "session": "Q",
                  "drivers": ["NOR", "PIA"]}


async def _create(stack: Stack, user: str, body: dict[str, object]) -> str:
    response = await stack.client.post("/api/v1/reports", json=body,
                                       headers=bearer(stack.signer, user))
    assert response.status_code == 202, response.text
    return str(response.json()["id"])


async def test_a_job_that_succeeds_and_one_that_fails_are_counted(stack: Stack) -> None:
    moved = MetricMoves()
    headers = bearer(stack.signer, "u-metrics")
    ok = await _create(stack, "u-metrics", LAP_COMPARISON)
    assert (await wait_for_job(stack.client, ok, headers))["status"] == "succeeded"
    assert await counted(lambda: moved(
        "pitwall_report_jobs_total", kind="lap_comparison", outcome="succeeded") == 1)
    assert moved("pitwall_report_job_duration_seconds_count",
                 kind="lap_comparison", outcome="succeeded") == 1
    assert moved("pitwall_report_job_duration_seconds_sum",
                 kind="lap_comparison", outcome="succeeded") > 0
    assert sample("pitwall_report_render_workers") == 2
    assert sample("pitwall_report_render_workers_busy") == 0

    # telemetry-svc answers 404 for a lap the session does not have: not worth a retry
    bad = await _create(stack, "u-metrics", {**LAP_COMPARISON, "laps": ["fastest", "999"]})
    assert (await wait_for_job(stack.client, bad, headers))["status"] == "failed"
    assert moved("pitwall_report_job_failures_total", kind="lap_comparison",
                 reason="rejected") == 1
    assert await counted(lambda: moved(
        "pitwall_report_jobs_total", kind="lap_comparison", outcome="failed") == 1)

    scraped = (await stack.client.get("/metrics")).text
    assert 'pitwall_report_jobs_total{kind="lap_comparison",outcome="succeeded"}' in scraped


async def test_queue_depth_is_read_from_the_shared_table(stack: Stack) -> None:
    runner: JobRunner = stack.app.state.jobs
    headers = bearer(stack.signer, "u-queue")
    await runner.stop()  # nothing claims while the queue is counted
    try:
        jobs = [await _create(stack, "u-queue", {**LAP_COMPARISON, "title": f"Queued {n}"})
                for n in range(2)]
        assert await runner.count_queue() == {"queued": 2, "running": 0}
        assert sample("pitwall_report_queue_jobs", status="queued") == 2
        assert sample("pitwall_report_queue_jobs", status="running") == 0
    finally:
        await runner.start()
    for job in jobs:
        assert (await wait_for_job(stack.client, job, headers))["status"] == "succeeded"
    await runner.count_queue()
    assert sample("pitwall_report_queue_jobs", status="queued") == 0
