"""A restart in the middle of a job: the next process resumes it from the database."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from pitwall_report.models import ReportJob
from pitwall_shared.db import create_engine, create_session_factory
from pitwall_shared.testing import TestSigner

from .auth_standin import AuthStandIn
from .harness import bearer, report_settings, running_report, running_upstreams, wait_for_job
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


async def test_restart_mid_job_resumes_and_finishes(
    module_tmp: Path, database_urls: tuple[str, str]
) -> None:
    report_url, analysis_url = database_urls
    signer = TestSigner()
    headers = bearer(signer, "u-restart")
    async with (
        AuthStandIn(signer).running() as auth,
        running_upstreams(module_tmp, signer, analysis_url) as upstreams,
    ):
        settings = report_settings(report_url, module_tmp / "reports", auth)
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
        # The first process is gone; its job is still marked running in the database.
        stranded = await job_row(report_url, job_id)
        assert (stranded.status, stranded.attempts) == ("running", 1)

        gate.open.set()
        async with running_report(settings, upstreams, signer) as (_app, client):
            done = await wait_for_job(client, job_id, headers)
            assert done["status"] == "succeeded", done
            assert done["attempts"] == 2
            pdf = await client.get(f"/api/v1/reports/{job_id}/pdf", headers=headers)
            assert pdf.status_code == 200
            text = read_pdf(pdf.content).text
            assert "Verstappen" in text and "Hamilton" in text
