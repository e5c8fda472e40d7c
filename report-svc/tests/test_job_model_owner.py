"""A report job's model calls count against the report's owner, not against the report
service: the job calls analysis-svc with its service token and ``X-On-Behalf-Of: <owner>``.

Real report-svc, analysis-svc and telemetry-svc in process; analysis-svc's model is the
scripted OpenAI-compatible server on 127.0.0.1 (the provider is not under test); one model
call per user per hour.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from pitwall_analysis.narrative.limits import LIMIT_REACHED
from pitwall_shared.testing import TestSigner
from pitwall_shared.testing_model import Reply, ScriptedModelServer, answer

from .auth_standin import AuthStandIn
from .harness import (
    UpstreamApps,
    bearer,
    report_settings,
    running_report,
    running_upstreams,
    wait_for_job,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

BODY = {"kind": "lap_comparison", "year": 2024, "event": "Hungary", "session": "Q",
        "drivers": ["NOR", "PIA"]}
SUMMARY = "/api/v1/analysis/sessions/2024/Hungary/Q/summary"


@contextlib.asynccontextmanager
async def model_stack(module_tmp: Path, database_urls: tuple[str, str], server: str
                      ) -> AsyncIterator[tuple[httpx.AsyncClient, UpstreamApps, TestSigner]]:
    report_url, analysis_url = database_urls
    signer = TestSigner()
    async with (
        AuthStandIn(signer).running() as auth,
        running_upstreams(module_tmp, signer, analysis_url, openai_api_key="sk-local-test",
                          openai_base_url=server, model="local-model", model_retries=0,
                          model_calls_per_hour=1) as upstreams,
        running_report(report_settings(report_url, module_tmp / "reports", auth), upstreams,
                       signer) as (_app, client),
    ):
        yield client, upstreams, signer


async def ask_analysis(upstreams: UpstreamApps, headers: dict[str, str]) -> dict[str, str]:
    transport = httpx.ASGITransport(upstreams.analysis)
    async with httpx.AsyncClient(transport=transport, base_url="http://analysis") as client:
        response = await client.get(SUMMARY, headers=headers)
    assert response.status_code == 200, response.text
    narrative: dict[str, str] = response.json()["insights"]
    return narrative


async def test_a_report_jobs_model_call_is_the_owners(
    module_tmp: Path, database_urls: tuple[str, str]
) -> None:
    server = ScriptedModelServer()
    await server.start()
    try:
        async with model_stack(module_tmp, database_urls, server.url) as (
                client, upstreams, signer):
            server.script(Reply(answer()), Reply(answer()))
            owner = bearer(signer, "u-owner")
            created = await client.post("/api/v1/reports", json=BODY, headers=owner)
            assert created.status_code == 202, created.text
            done = await wait_for_job(client, created.json()["id"], owner)
            assert done["status"] == "succeeded", done
            assert len(server.requests) == 1  # the report's narrative asked the model

            # The owner's hourly call is spent by their report...
            spent = await ask_analysis(upstreams, owner)
            assert (spent["source"], spent["fallback_reason"]) == ("deterministic",
                                                                   LIMIT_REACHED)
            assert len(server.requests) == 1
            # ...not the report service's, nor anyone else's.
            other = await ask_analysis(upstreams, bearer(signer, "u-other"))
            assert other["fallback_reason"] != LIMIT_REACHED
            assert len(server.requests) == 2
    finally:
        await server.stop()
