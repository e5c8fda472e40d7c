"""Who may make the service load a session that is not in the store, and a failed load
remembered with growing backoff instead of retried on every request."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from pitwall_shared.problems import ProblemError
from pitwall_shared.testing import TestSigner
from pitwall_telemetry.loading.errors import LoadError
from pitwall_telemetry.services.ingest import LoadBackoff
from pitwall_telemetry.snapshots.store import SessionId

from .conftest import make_settings, running_client

HUNGARY = "/api/v1/telemetry/sessions/2024/Hungary/Q"  # in the shipped store
SPAIN = "/api/v1/telemetry/sessions/2024/Spain/Q"  # frozen responses only: needs a load
MONZA = "/api/v1/telemetry/sessions/2021/Monza/FP2"
MONACO = "/api/v1/telemetry/sessions/2024/Monaco/R"  # in the schedule, not in the sample pack
PROBLEM = "application/problem+json"


def refused(response: httpx.Response, status: int, slug: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["type"].endswith(f"/{slug}") and "not in the snapshot store" in body["detail"]
    return body  # type: ignore[no-any-return]


async def test_admin_policy_refuses_users_serves_the_store_and_lets_admins_load(
        tmp_path: Path, signer: TestSigner):
    settings = make_settings(tmp_path, ingest_policy="admin")
    admin = {"Authorization": f"Bearer {signer.token(sub='boss', role='admin')}"}
    async with running_client(settings, signer) as (client, app):
        pool = app.state.catalog.pool
        body = refused(await client.get(f"{SPAIN}/laps"), 403, "ingest-not-allowed")
        assert "2024 Spanish Grand Prix Q" in body["detail"] and "administrators" in body["detail"]
        refused(await client.post(f"{SPAIN}/prewarm"), 403, "ingest-not-allowed")
        assert (await client.get(f"{SPAIN}/status")).json()["state"] == "not_loaded"
        assert (await client.get(f"{HUNGARY}/laps")).status_code == 200  # the store is open
        assert sum(pool.load_counts.values()) == 0  # nothing loaded for the refused requests

        started = await client.post(f"{SPAIN}/prewarm", headers=admin)
        assert started.status_code == 202
        assert started.json()["status_url"] == f"{SPAIN}/status"
        assert started.headers["location"] == f"{SPAIN}/status"
        for _ in range(1200):
            status = (await client.get(f"{SPAIN}/status")).json()
            if status["state"] != "loading":
                break
            await asyncio.sleep(0.1)
        assert status["state"] == "ready"
        assert (await client.get(f"{SPAIN}/laps")).json()["count"] == 257  # users read it now
        assert pool.load_counts["2024-10-Q"] == 1


async def test_none_policy_refuses_even_admins(tmp_path: Path, signer: TestSigner):
    admin = {"Authorization": f"Bearer {signer.token(role='admin')}"}
    async with running_client(make_settings(tmp_path, ingest_policy="none"), signer) as (
            client, app):
        body = refused(await client.get(SPAIN, headers=admin), 403, "ingest-not-allowed")
        assert body["ingest_policy"] == "none" and "switched off" in body["detail"]
        assert (await client.get(HUNGARY, headers=admin)).status_code == 200
        assert sum(app.state.catalog.pool.load_counts.values()) == 0


async def test_year_range_refuses_loads_outside_it(tmp_path: Path, signer: TestSigner):
    settings = make_settings(tmp_path, ingest_min_year=2023, ingest_max_year=2025)
    async with running_client(settings, signer) as (client, app):
        body = refused(await client.get(f"{MONZA}/weather"), 422, "ingest-year-not-allowed")
        assert body["valid_range"] == [2023, 2025] and "2021" in body["detail"]
        refused(await client.post(f"{MONZA}/prewarm"), 422, "ingest-year-not-allowed")
        assert (await client.get(HUNGARY)).status_code == 200
        assert sum(app.state.catalog.pool.load_counts.values()) == 0


async def test_failed_load_backs_off_instead_of_retrying_every_request(
        tmp_path: Path, signer: TestSigner):
    async with running_client(make_settings(tmp_path), signer) as (client, app):
        catalog = app.state.catalog
        now = [1000.0]
        catalog.backoff.clock = lambda: now[0]  # stands in for waiting out the backoff
        response = await client.post(f"{MONACO}/prewarm")
        assert response.status_code == 202 and response.json()["state"] == "loading"
        for _ in range(1200):
            status = (await client.get(f"{MONACO}/status")).json()
            if status["state"] != "loading":
                break
            await asyncio.sleep(0.1)
        assert status["state"] == "failed" and "offline" in status["reason"]
        assert status["retry_after_s"] == 30

        during = await client.get(f"{MONACO}/laps")
        assert during.status_code == 404 and during.headers["retry-after"] == "30"
        body = during.json()
        assert "not in the offline data set" in body["detail"] and "in 30 s" in body["detail"]
        assert body["attempts"] == 1 and body["failure"] == "not_available"
        assert catalog.pool.load_counts["2024-08-R"] == 1  # answered without a second load

        now[0] += 31
        again = await client.get(f"{MONACO}/laps")  # the backoff is over: loaded again
        assert again.status_code == 404 and catalog.pool.load_counts["2024-08-R"] == 2
        assert (await client.get(f"{MONACO}/status")).json()["retry_after_s"] == 60
        now[0] += 59
        assert (await client.get(MONACO)).headers["retry-after"] == "1"
        assert catalog.pool.load_counts["2024-08-R"] == 2


def test_backoff_doubles_to_an_hour_honours_the_source_and_forgets_on_success():
    now = [0.0]
    backoff = LoadBackoff(clock=lambda: now[0])
    session = SessionId(2024, 8, "R")
    waits = []
    for _ in range(9):
        backoff.record_failure(session, LoadError("unreachable", "No answer.", 30))
        waits.append(backoff.retry_after_s(session))
    assert waits == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]
    with pytest.raises(ProblemError) as problem:
        backoff.check(session, "2024 Monaco Grand Prix R")
    assert problem.value.status == 503 and problem.value.headers == {"Retry-After": "3600"}
    assert problem.value.slug == "load-backing-off" and "No answer" in problem.value.detail
    now[0] += 3600
    backoff.check(session, "2024 Monaco Grand Prix R")  # may load again: no problem raised
    backoff.forget(session)
    backoff.record_failure(session, LoadError("rate_limited", "Rate limit hit.", 60))
    assert backoff.retry_after_s(session) == 60  # the source's own wait beats 30 s
