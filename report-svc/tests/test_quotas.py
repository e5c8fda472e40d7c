"""Per-user quotas through the API: a flood of report requests stops at the active-jobs
quota (exactly that many accepted, however concurrent), the stored-reports quota refuses the
one too many until an old report is deleted, a retry cannot slip past the active quota, and
a refusal creates nothing."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from pitwall_report.models import ReportJob
from pitwall_report.repositories import reports as repo
from pitwall_report.services.quotas import Quotas, admit
from pitwall_shared.db import create_engine, create_session_factory, session_scope
from pitwall_shared.problems import ProblemError

from .conftest import Stack
from .db_fixtures import BACKENDS, add_jobs, report_sessions
from .harness import bearer

pytestmark = pytest.mark.asyncio(loop_scope="module")

BODY = {"kind": "lap_comparison", "year": 2024, "event": "Hungary", "session": "Q",
        "drivers": ["NOR", "PIA"]}
ACTIVE_LIMIT = 5
STORED_LIMIT = 50


async def owner_counts(stack: Stack, owner: str) -> tuple[int, int]:
    engine = create_engine(stack.report_database_url)
    try:
        async with session_scope(create_session_factory(engine)) as session:
            return await repo.owner_counts(session, owner)
    finally:
        await engine.dispose()


async def insert_jobs(stack: Stack, owner: str, count: int, **columns: Any) -> list[str]:
    engine = create_engine(stack.report_database_url)
    try:
        return await add_jobs(create_session_factory(engine), owner, count, **columns)
    finally:
        await engine.dispose()


def assert_quota_problem(response: httpx.Response, quota: str, limit: int) -> dict[str, Any]:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem: dict[str, Any] = response.json()
    assert problem["type"].endswith("/quota-exceeded")
    assert (problem["quota"], problem["limit"], problem["current"]) == (quota, limit, limit)
    assert str(limit) in problem["detail"]
    return problem


async def test_a_flood_stops_at_the_active_jobs_quota(stack: Stack) -> None:
    headers = bearer(stack.signer, "u-flood")
    gate = stack.upstreams.telemetry_gate
    # Hold every job at its first data fetch, so none finishes and frees room mid-flood.
    gate.matches = lambda path: path.endswith("/circuit")
    gate.open.clear()
    try:
        flood = await asyncio.gather(*(
            stack.client.post("/api/v1/reports", json=BODY, headers=headers)
            for _ in range(ACTIVE_LIMIT + 7)))
        accepted = [r for r in flood if r.status_code == 202]
        refused = [r for r in flood if r.status_code != 202]
        assert len(accepted) == ACTIVE_LIMIT, [r.status_code for r in flood]
        assert len(refused) == 7
        for response in refused:
            problem = assert_quota_problem(response, "active_jobs", ACTIVE_LIMIT)
            assert int(response.headers["retry-after"]) > 0
            assert "queued or running" in problem["detail"]
        assert await owner_counts(stack, "u-flood") == (ACTIVE_LIMIT, ACTIVE_LIMIT)
        listed = await stack.client.get("/api/v1/reports", headers=headers)
        assert listed.json()["total"] == ACTIVE_LIMIT
        # Someone else is not held back by this user's quota.
        other = await stack.client.post("/api/v1/reports", json=BODY,
                                        headers=bearer(stack.signer, "u-bystander"))
        assert other.status_code == 202, other.text
        # Room again once the user's jobs are gone.
        for user in ("u-flood", "u-bystander"):
            deleted = await stack.client.delete("/api/v1/reports/mine",
                                                headers=bearer(stack.signer, user))
            assert deleted.status_code == 200
    finally:
        gate.open.set()
    again = await stack.client.post("/api/v1/reports", json=BODY, headers=headers)
    assert again.status_code in (201, 202), again.text  # 201: an identical report reused
    await stack.client.delete("/api/v1/reports/mine", headers=headers)


async def test_the_report_past_the_stored_quota_is_refused_until_one_is_deleted(
    stack: Stack,
) -> None:
    headers = bearer(stack.signer, "u-hoard")
    kept = await insert_jobs(stack, "u-hoard", STORED_LIMIT, status="failed")
    response = await stack.client.post("/api/v1/reports", json=BODY, headers=headers)
    problem = assert_quota_problem(response, "stored_reports", STORED_LIMIT)
    assert "delete" in problem["detail"].lower()
    assert "retry-after" not in response.headers  # waiting does not help; deleting does
    assert await owner_counts(stack, "u-hoard") == (0, STORED_LIMIT)

    gone = await stack.client.delete(f"/api/v1/reports/{kept[0]}", headers=headers)
    assert gone.status_code == 204
    room = await stack.client.post("/api/v1/reports", json=BODY, headers=headers)
    assert room.status_code in (201, 202), room.text  # 201: an identical report reused
    assert (await owner_counts(stack, "u-hoard"))[1] == STORED_LIMIT
    await stack.client.delete("/api/v1/reports/mine", headers=headers)


async def test_a_retry_cannot_slip_past_the_active_quota(stack: Stack) -> None:
    headers = bearer(stack.signer, "u-retry")
    [failed] = await insert_jobs(stack, "u-retry", 1, status="failed")
    # A full queue, written straight to the table.
    await insert_jobs(stack, "u-retry", ACTIVE_LIMIT)
    gate = stack.upstreams.telemetry_gate
    gate.matches = lambda path: path.endswith("/circuit")
    gate.open.clear()  # the queued jobs may start, but none finishes and frees room
    try:
        response = await stack.client.post(f"/api/v1/reports/{failed}/retry",
                                           headers=headers)
        assert_quota_problem(response, "active_jobs", ACTIVE_LIMIT)
        status = await stack.client.get(f"/api/v1/reports/{failed}", headers=headers)
        assert status.json()["status"] == "failed"
        await stack.client.delete("/api/v1/reports/mine", headers=headers)
    finally:
        gate.open.set()


@pytest.mark.parametrize("backend", BACKENDS)
async def test_concurrent_admissions_never_pass_the_limit(backend: str, tmp_path: Path) -> None:
    """The lock row at work on both databases, without the API: twelve sessions check and
    insert at once for one new owner; exactly the limit get in."""
    quotas = Quotas(max_active_jobs=ACTIVE_LIMIT, max_stored_reports=STORED_LIMIT)
    async with report_sessions(backend, tmp_path) as sessions:

        async def admit_and_add() -> bool:
            try:
                async with session_scope(sessions) as session:
                    await admit(session, "u-race", quotas, adds_report=True)
                    await repo.add(session, ReportJob(
                        id=str(uuid.uuid4()), owner_id="u-race", kind="lap_comparison",
                        title="t", params={}, status="queued", stage="queued", progress=0,
                        attempts=0))
            except ProblemError as exc:
                assert exc.status == 429 and exc.extra["quota"] == "active_jobs"
                return False
            return True

        admitted = await asyncio.gather(*(admit_and_add() for _ in range(12)))
        assert sum(admitted) == ACTIVE_LIMIT
        async with session_scope(sessions) as session:
            assert await repo.owner_counts(session, "u-race") == (ACTIVE_LIMIT, ACTIVE_LIMIT)
