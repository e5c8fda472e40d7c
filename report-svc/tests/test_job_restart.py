"""Jobs survive their process: a clean stop hands a running job back to the queue, a job whose
process died is resumed once its lease lapses, a live job is never taken from its runner by
another replica, and a runner whose job was taken over can no longer write to it."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from pitwall_report.config import Settings
from pitwall_report.models import ReportJob
from pitwall_report.repositories import reports as repo
from pitwall_report.schemas import ReportCreate
from pitwall_shared.db import create_engine, create_session_factory, session_scope
from pitwall_shared.orm_types import utcnow
from pitwall_shared.testing import TestSigner

from .auth_standin import AuthStandIn
from .harness import (
    UpstreamApps,
    bearer,
    report_settings,
    running_report,
    running_upstreams,
    wait_for_job,
)
from .pdf_checks import read_pdf

pytestmark = pytest.mark.asyncio(loop_scope="module")

BODY = {"kind": "lap_comparison", "year": 2024, "event": "Hungary", "session": "Q",
        "drivers": ["VER", "HAM"]}


async def job_row(database_url: str, job_id: str) -> ReportJob:
    engine = create_engine(database_url)
    try:
        async with create_session_factory(engine)() as session:
            job = await session.get(ReportJob, job_id)
            assert job is not None
            return job
    finally:
        await engine.dispose()


@contextlib.asynccontextmanager
async def report_env(module_tmp: Path, database_urls: tuple[str, str], **overrides: Any
                     ) -> AsyncIterator[tuple[Settings, UpstreamApps, TestSigner]]:
    """Stand-in auth, in-process upstreams and report settings on the module's databases."""
    report_url, analysis_url = database_urls
    signer = TestSigner()
    async with (
        AuthStandIn(signer).running() as auth,
        running_upstreams(module_tmp, signer, analysis_url) as upstreams,
    ):
        yield (report_settings(report_url, module_tmp / "reports", auth, **overrides),
               upstreams, signer)


async def test_restart_mid_job_resumes_and_finishes(
    module_tmp: Path, database_urls: tuple[str, str]
) -> None:
    report_url = database_urls[0]
    async with report_env(module_tmp, database_urls) as (settings, upstreams, signer):
        headers = bearer(signer, "u-restart")
        gate = upstreams.telemetry_gate
        # Hold the job at its first data fetch, so the restart lands mid-job.
        gate.matches = lambda path: path.endswith("/circuit")
        gate.open.clear()
        async with running_report(settings, upstreams, signer) as (_app, client):
            created = await client.post("/api/v1/reports", json=BODY, headers=headers)
            assert created.status_code == 202, created.text
            job_id = created.json()["id"]
            for _ in range(400):
                if gate.waiting:
                    break
                await asyncio.sleep(0.05)
            assert gate.waiting, "the job never reached telemetry-svc"
            running = await wait_for_job(client, job_id, headers, until=("running",))
            assert (running["stage"], running["progress"]) == ("fetching data", 10)
        # The first process stopped cleanly and handed its running job back to the queue.
        handed_back = await job_row(report_url, job_id)
        assert (handed_back.status, handed_back.attempts) == ("queued", 1)
        assert handed_back.stage == "queued (its worker stopped)"

        gate.open.set()
        async with running_report(settings, upstreams, signer) as (_app, client):
            done = await wait_for_job(client, job_id, headers)
            assert done["status"] == "succeeded", done
            assert done["attempts"] == 2
            pdf = await client.get(f"/api/v1/reports/{job_id}/pdf", headers=headers)
            assert pdf.status_code == 200
            text = read_pdf(pdf.content).text
            assert "Verstappen" in text and "Hamilton" in text


# What the API stores for BODY with NOR and PIA (pitwall_report.schemas.ReportCreate).
PARAMS = ReportCreate(**{**BODY, "drivers": ["NOR", "PIA"]}).job_params("light")


async def add_job(database_url: str, **columns: Any) -> str:
    """A job row as another (possibly dead) process would have left it."""
    job_id = str(uuid.uuid4())
    engine = create_engine(database_url)
    try:
        async with create_session_factory(engine)() as session:
            session.add(ReportJob(id=job_id, owner_id="u-lease", kind="lap_comparison",
                                  title="NOR vs PIA", params=PARAMS,
                                  progress=10, **columns))
            await session.commit()
    finally:
        await engine.dispose()
    return job_id


async def test_a_job_whose_process_died_is_resumed_when_its_lease_lapses(
    module_tmp: Path, database_urls: tuple[str, str]
) -> None:
    report_url = database_urls[0]
    async with report_env(module_tmp, database_urls, job_lease_seconds=1.0) as (
            settings, upstreams, signer):
        headers = bearer(signer, "u-lease")
        async with running_report(settings, upstreams, signer) as (_app, client):
            # Left "running" by a replica that died 10 s ago, noticed while this one runs.
            job_id = await add_job(report_url, status="running", stage="fetching data",
                                   attempts=1, updated_at=utcnow() - timedelta(seconds=10))
            done = await wait_for_job(client, job_id, headers)
            assert done["status"] == "succeeded", done
            assert done["attempts"] == 2


async def test_a_live_job_stays_with_its_runner_and_a_taken_over_run_cannot_write(
    module_tmp: Path, database_urls: tuple[str, str]
) -> None:
    report_url = database_urls[0]
    # Long enough that a busy machine's event-loop stalls never outlast a lease, short
    # enough that three of them pass quickly: without the heartbeat the job is taken over.
    lease = 3.0
    async with report_env(module_tmp, database_urls, job_lease_seconds=lease) as (
            settings, upstreams, signer):
        headers = bearer(signer, "u-live")
        gate = upstreams.telemetry_gate
        gate.matches = lambda path: path.endswith("/circuit")
        gate.open.clear()
        async with (running_report(settings, upstreams, signer) as (_a, first),
                    running_report(settings, upstreams, signer) as (_b, _second)):
            # A title of its own: an identical report from the test before would be reused.
            created = await first.post("/api/v1/reports", json={**BODY, "title": "Live lease"},
                                       headers=headers)
            job_id = created.json()["id"]
            for _ in range(400):
                if gate.waiting:
                    break
                await asyncio.sleep(0.05)
            assert gate.waiting == 1
            # Three leases long, both replicas sweep for abandoned jobs; this one is alive.
            await asyncio.sleep(3 * lease)
            held = await job_row(report_url, job_id)
            assert (held.status, held.attempts, held.stage) == ("running", 1, "fetching data")
            gate.open.set()
            done = await wait_for_job(first, job_id, headers)
            assert done["status"] == "succeeded" and done["attempts"] == 1, done

    # Fencing, at the queries: once a job is claimed again, the earlier run's writes miss.
    stale_id = await add_job(report_url, status="running", stage="drawing charts", attempts=1,
                             updated_at=utcnow() - timedelta(seconds=60))
    engine = create_engine(report_url)
    try:
        sessions = create_session_factory(engine)
        async with session_scope(sessions) as session:
            assert await repo.requeue_abandoned(session, utcnow() - timedelta(seconds=30)) >= 1
            assert await repo.claim(session, stale_id) == 2
        async with session_scope(sessions) as session:
            assert not await repo.set_progress(session, stale_id, 1, 70, "rendering PDF")
            assert not await repo.heartbeat(session, stale_id, 1)
            assert not await repo.mark_succeeded(session, stale_id, 1, file_name="x.pdf",
                                                 file_size=1, page_count=1)
            assert await repo.set_progress(session, stale_id, 2, 40, "drawing charts")
    finally:
        await engine.dispose()
    row = await job_row(report_url, stale_id)
    assert (row.status, row.attempts, row.stage, row.file_name) == (
        "running", 2, "drawing charts", None)
