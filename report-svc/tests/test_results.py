"""Content-addressed results through the API (real MariaDB, real WeasyPrint): an identical
request is answered with the stored PDF and nothing is rendered; another style, title or a
newer snapshot renders anew; a file shared by several reports stays until the last of them
is deleted (one by one, by account deletion, or by retention, and when a reuse commits while
the last delete waits); quotas still apply."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, update

from pitwall_report.models import ReportJob, ReportResult
from pitwall_report.repositories import reports as reports_repo
from pitwall_report.services import results
from pitwall_report.services.results import REUSED_STAGE
from pitwall_report.services.storage import ReportFiles
from pitwall_report.services.sweeper import Sweeper
from pitwall_shared.db import session_scope
from pitwall_shared.orm_types import utcnow
from pitwall_shared.testing_metrics import MetricMoves

from .conftest import Stack
from .db_fixtures import add_jobs, report_sessions
from .harness import bearer, counted, wait_for_job

pytestmark = pytest.mark.asyncio(loop_scope="module")

BODY = {"kind": "lap_comparison", "year": 2024, "event": "Hungary", "session": "Q",
        "drivers": ["VER", "LEC"], "style": "light"}
RENDERED = {"kind": "lap_comparison", "outcome": "succeeded"}


async def post(stack: Stack, user: str, body: dict[str, Any]) -> httpx.Response:
    response = await stack.client.post("/api/v1/reports", json=body,
                                       headers=bearer(stack.signer, user))
    assert response.status_code in (201, 202), response.text
    assert response.headers["location"] == f"/api/v1/reports/{response.json()['id']}"
    return response


async def rendered(stack: Stack, user: str, body: dict[str, Any]) -> dict[str, Any]:
    """A report that had to be rendered: queued, then run once (and counted, so a reuse
    right after it cannot see its count arrive late)."""
    moved = MetricMoves()
    response = await post(stack, user, body)
    assert response.status_code == 202 and response.json()["status"] == "queued"
    done = await wait_for_job(stack.client, response.json()["id"], bearer(stack.signer, user))
    assert done["status"] == "succeeded" and done["attempts"] == 1, done
    assert await counted(lambda: moved("pitwall_report_jobs_total", **RENDERED) == 1)
    return done


async def reused(stack: Stack, user: str, body: dict[str, Any]) -> dict[str, Any]:
    """A report answered at once from a stored result: done, never claimed by a worker."""
    moved = MetricMoves()
    response = await post(stack, user, body)
    job = response.json()
    assert response.status_code == 201, job
    assert (job["status"], job["progress"], job["stage"]) == ("succeeded", 100, REUSED_STAGE)
    assert job["attempts"] == 0 and job["pdf_url"] == f"/api/v1/reports/{job['id']}/pdf"
    assert moved("pitwall_report_results_total", outcome="reused") == 1
    assert moved("pitwall_report_jobs_total", **RENDERED) == 0
    return dict(job)


async def pdf(stack: Stack, user: str, job: dict[str, Any]) -> httpx.Response:
    return await stack.client.get(f"/api/v1/reports/{job['id']}/pdf",
                                  headers=bearer(stack.signer, user))


async def file_of(stack: Stack, job_id: str) -> str:
    async with session_scope(stack.app.state.sessions) as session:
        name = await session.scalar(select(ReportJob.file_name).where(ReportJob.id == job_id))
    assert name
    return str(name)


async def results_stored(stack: Stack) -> int:
    async with session_scope(stack.app.state.sessions) as session:
        return int(await session.scalar(select(func.count()).select_from(ReportResult)) or 0)


async def clear(stack: Stack, *users: str) -> None:
    for user in users:
        response = await stack.client.delete("/api/v1/reports/mine",
                                             headers=bearer(stack.signer, user))
        assert response.status_code == 200


async def test_an_identical_repeat_is_answered_from_the_stored_result(stack: Stack) -> None:
    moved = MetricMoves()
    first = await rendered(stack, "u-a", BODY)
    assert moved("pitwall_report_results_total", outcome="rendered") == 1
    again = await reused(stack, "u-a", BODY)  # the same user asking again
    other = await reused(stack, "u-b", BODY)  # and another user
    assert moved("pitwall_report_jobs_total", **RENDERED) == 1  # one render for three reports
    original = await pdf(stack, "u-a", first)
    assert original.status_code == 200
    for user, job in (("u-a", again), ("u-b", other)):
        copy = await pdf(stack, user, job)
        assert copy.status_code == 200 and copy.content == original.content
        assert job["page_count"] == first["page_count"]
    # Each report is still its owner's alone.
    assert (await pdf(stack, "u-b", first)).status_code == 404
    listed = await stack.client.get("/api/v1/reports", headers=bearer(stack.signer, "u-b"))
    assert [item["id"] for item in listed.json()["items"]] == [other["id"]]
    await clear(stack, "u-a", "u-b")


async def test_another_style_title_or_snapshot_renders_anew(stack: Stack) -> None:
    first = await rendered(stack, "u-c", BODY)
    original = (await pdf(stack, "u-c", first)).content
    dark = await rendered(stack, "u-c", {**BODY, "style": "dark"})
    titled = await rendered(stack, "u-c", {**BODY, "title": "Max against Charles"})
    gate = stack.upstreams.telemetry_gate
    gate.snapshot_tag = "newer-snapshot"
    try:
        newer = await rendered(stack, "u-c", BODY)
        await reused(stack, "u-c", BODY)  # the newer snapshot's result is reused in turn
    finally:
        gate.snapshot_tag = ""
    files = {await file_of(stack, job["id"]) for job in (first, dark, titled, newer)}
    assert len(files) == 4
    for job in (dark, titled):
        assert (await pdf(stack, "u-c", job)).content != original
    await reused(stack, "u-c", BODY)  # the older snapshot's result was not replaced
    await clear(stack, "u-c")


async def test_deleting_one_sharer_keeps_the_others_file(stack: Stack) -> None:
    first = await rendered(stack, "u-d", BODY)
    shared = await reused(stack, "u-e", BODY)
    path = stack.output_dir / await file_of(stack, first["id"])
    gone = await stack.client.delete(f"/api/v1/reports/{first['id']}",
                                     headers=bearer(stack.signer, "u-d"))
    assert gone.status_code == 204
    assert path.is_file() and (await pdf(stack, "u-e", shared)).status_code == 200
    await reused(stack, "u-f", BODY)  # the result outlives the report that rendered it
    await clear(stack, "u-f")
    assert path.is_file()
    last = await stack.client.delete(f"/api/v1/reports/{shared['id']}",
                                     headers=bearer(stack.signer, "u-e"))
    assert last.status_code == 204
    assert not path.exists() and await results_stored(stack) == 0
    await rendered(stack, "u-e", BODY)  # nothing stored any more: rendered again
    await clear(stack, "u-e")


async def test_account_deletion_keeps_files_other_users_share(stack: Stack) -> None:
    mine = await rendered(stack, "u-leaving", BODY)
    own = await rendered(stack, "u-leaving", {**BODY, "style": "print"})
    theirs = await reused(stack, "u-staying", BODY)
    shared_path = stack.output_dir / await file_of(stack, mine["id"])
    own_path = stack.output_dir / await file_of(stack, own["id"])
    response = await stack.client.delete("/api/v1/reports/mine",
                                         headers=bearer(stack.signer, "u-leaving"))
    assert response.status_code == 200 and response.json() == {"deleted": 2}
    assert not own_path.exists() and shared_path.is_file()
    assert (await pdf(stack, "u-leaving", mine)).status_code == 404
    assert (await pdf(stack, "u-staying", theirs)).status_code == 200
    await clear(stack, "u-staying")
    assert not shared_path.exists() and await results_stored(stack) == 0


async def test_retention_keeps_a_file_a_newer_report_shares(stack: Stack) -> None:
    old = await rendered(stack, "u-old", BODY)
    recent = await reused(stack, "u-recent", BODY)
    path = stack.output_dir / await file_of(stack, old["id"])
    async with session_scope(stack.app.state.sessions) as session:
        await session.execute(update(ReportJob).where(ReportJob.id == old["id"])
                              .values(finished_at=utcnow() - timedelta(days=40)))
    sweeper = Sweeper(stack.app.state.sessions, stack.app.state.files,
                      retention=timedelta(days=30), interval_s=3600, leftover_age_s=0)
    swept = await sweeper.sweep()
    assert swept.expired == 1 and swept.leftover_files == 0
    assert path.is_file() and (await pdf(stack, "u-recent", recent)).status_code == 200
    await clear(stack, "u-recent")
    assert not path.exists()


async def test_quotas_apply_to_a_reused_report(stack: Stack) -> None:
    await rendered(stack, "u-maker", BODY)
    await add_jobs(stack.app.state.sessions, "u-full", 50, status="failed")
    refused = await stack.client.post("/api/v1/reports", json=BODY,
                                      headers=bearer(stack.signer, "u-full"))
    assert refused.status_code == 429 and refused.json()["quota"] == "stored_reports"
    listed = await stack.client.get("/api/v1/reports", headers=bearer(stack.signer, "u-full"))
    assert listed.json()["total"] == 50
    await clear(stack, "u-maker", "u-full")


async def test_a_repeat_racing_the_last_delete_never_names_a_missing_file(
    stack: Stack,
) -> None:
    last = await rendered(stack, "u-race", BODY)
    for _ in range(4):
        delete = stack.client.delete(f"/api/v1/reports/{last['id']}",
                                     headers=bearer(stack.signer, "u-race"))
        repeat = post(stack, "u-race", BODY)
        deleted, answered = await asyncio.gather(delete, repeat)
        assert deleted.status_code == 204
        last = answered.json()
        if answered.status_code == 202:  # the delete won: rendered again
            last = await wait_for_job(stack.client, last["id"], bearer(stack.signer, "u-race"))
        assert last["status"] == "succeeded"
        assert (await pdf(stack, "u-race", last)).status_code == 200
    await clear(stack, "u-race")


async def test_the_last_delete_counts_a_reuse_committed_while_it_waited(tmp_path: Path) -> None:
    """MariaDB: the delete read its job (taking its snapshot) before a reuse of the same file
    committed; the count under the result's lock must still see that reuse."""
    files = ReportFiles(tmp_path / "reports")
    files.ensure()
    async with report_sessions("mariadb", tmp_path) as sessions:
        [first] = await add_jobs(sessions, "u-1", 1, status="succeeded", file_name="f.pdf",
                                 result_key="k" * 64)
        files.write("f.pdf", b"%PDF-1.7 stand-in")
        async with session_scope(sessions) as session:
            session.add(ReportResult(result_key="k" * 64, file_name="f.pdf", file_size=17,
                                     page_count=1))
        async with session_scope(sessions) as deleting:
            assert await reports_repo.get_owned(deleting, first, "u-1") is not None
            async with session_scope(sessions) as reusing:  # commits before the delete locks
                job = ReportJob(id=str(uuid.uuid4()), owner_id="u-2", kind="lap_comparison",
                                title="t", params={}, status="queued", stage="queued",
                                progress=0, attempts=0, result_key="k" * 64)
                assert await results.reuse(reusing, files, job)
                await reports_repo.add(reusing, job)

            async def delete_row() -> None:
                await reports_repo.delete_owned(deleting, first, "u-1")

            unused = await results.release(deleting, [("k" * 64, "f.pdf")], delete_row)
        assert unused == [] and files.path("f.pdf").is_file()
