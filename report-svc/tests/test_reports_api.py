"""Report jobs through the API: real PDFs from the sample data, ownership, lifecycle."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from .conftest import Stack
from .harness import bearer, wait_for_job
from .pdf_checks import read_pdf

pytestmark = pytest.mark.asyncio(loop_scope="module")

LAP_COMPARISON = {"kind": "lap_comparison", "year": 2024, "event": "Hungary", "session": "Q",
                  "drivers": ["NOR", "PIA"]}


async def create(stack: Stack, user: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    """A report that renders: by default one with a title of its own, so it is never an
    identical repeat of another test's (which would be answered at once, already done)."""
    body = body or {**LAP_COMPARISON, "title": f"Lifecycle {uuid.uuid4().hex[:12]}"}
    response = await stack.client.post("/api/v1/reports", json=body,
                                       headers=bearer(stack.signer, user))
    assert response.status_code == 202, response.text
    created: dict[str, Any] = response.json()
    assert response.headers["location"] == f"/api/v1/reports/{created['id']}"
    assert created["status"] == "queued" and created["progress"] == 0
    return created


async def test_lap_comparison_report_is_a_real_pdf(stack: Stack) -> None:
    headers = bearer(stack.signer, "u-pdf")
    created = await create(stack, "u-pdf", {**LAP_COMPARISON, "style": "team"})
    done = await wait_for_job(stack.client, created["id"], headers)
    assert done["status"] == "succeeded", done
    assert done["progress"] == 100 and done["stage"] == "done"
    assert done["pdf_url"] == f"/api/v1/reports/{created['id']}/pdf"

    response = await stack.client.get(done["pdf_url"], headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert "attachment" in response.headers["content-disposition"]
    pdf = read_pdf(response.content)
    assert pdf.pages == done["page_count"] >= 4
    assert pdf.title == "Lando Norris vs Oscar Piastri"
    assert "Norris" in pdf.page_texts[0] and "Piastri" in pdf.page_texts[0]
    assert "1:15.227" in pdf.page_texts[0]  # Norris's pole lap, from the real timing data
    assert "Key insights" in pdf.text and "Source: deterministic writer" in pdf.text
    for page_number, text in enumerate(pdf.page_texts, start=1):
        assert f"Page {page_number} of {pdf.pages}" in text
        assert "FastF1" in text and "snapshot" in text and "generated" in text
    # the Hungary export did not record its FastF1 version: say so, do not print "unknown"
    assert "not recorded by the source export" in pdf.page_texts[0]
    assert "unknown" not in pdf.text
    # Chart titles and axis labels are text inside the placed charts.
    for label in ("Speed trace · NOR vs PIA", "Throttle and brake", "Delta time",
                  "Distance (m)", "Speed (km/h)", "Where each driver was quicker"):
        assert label in pdf.text, label
    assert "Corner by corner" in pdf.text and "T4" in pdf.text
    # Chart pages carry thousands of vector segments (the traces), the cover the track map.
    assert max(pdf.line_segments) > 1000 and pdf.line_segments[0] > 200


async def test_race_pace_and_summary_reports_render(stack: Stack) -> None:
    headers = bearer(stack.signer, "u-kinds")
    jobs = [
        await create(stack, "u-kinds", {"kind": "session_summary", "year": 2024,
                                        "event": "Hungary", "session": "Q", "style": "print"}),
        await create(stack, "u-kinds", {"kind": "race_pace", "year": 2018,
                                        "event": "Azerbaijan", "session": "R",
                                        "drivers": ["HAM", "VET", "BOT"]}),
    ]
    # A qualifying's summary is the qualifying overview; race pace keeps its lap-time charts.
    expected = [("Gap to pole", "Runs and tyres"), ("Tyre strategy", "Lap times by compound")]
    for job, titles in zip(jobs, expected, strict=True):
        done = await wait_for_job(stack.client, job["id"], headers)
        assert done["status"] == "succeeded", done
        pdf = read_pdf((await stack.client.get(done["pdf_url"], headers=headers)).content)
        assert pdf.pages >= 2
        assert all(title in pdf.text for title in titles), titles
        assert "Page 1 of" in pdf.page_texts[0]
    summary = read_pdf((await stack.client.get(f"/api/v1/reports/{jobs[0]['id']}/pdf",
                                               headers=headers)).content)
    assert "Classification" in summary.text and "NOR" in summary.text
    race = read_pdf((await stack.client.get(f"/api/v1/reports/{jobs[1]['id']}/pdf",
                                            headers=headers)).content)
    assert "Stints" in race.text and "Race positions" in race.text
    assert all(code in race.text for code in ("HAM", "VET", "BOT"))


async def test_list_is_mine_only_newest_first_and_paginated(stack: Stack) -> None:
    mine = [await create(stack, "u-list") for _ in range(3)]
    await create(stack, "u-list-other")
    headers = bearer(stack.signer, "u-list")
    first = (await stack.client.get("/api/v1/reports?limit=2", headers=headers)).json()
    second = (await stack.client.get("/api/v1/reports?limit=2&offset=2",
                                     headers=headers)).json()
    assert first["total"] == second["total"] == 3
    ids = [item["id"] for item in first["items"] + second["items"]]
    assert ids == [job["id"] for job in reversed(mine)]
    bad = await stack.client.get("/api/v1/reports?limit=0", headers=headers)
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    # Free the workers for the next tests (running jobs stop at their next stage).
    for user in ("u-list", "u-list-other"):
        await stack.client.delete("/api/v1/reports/mine", headers=bearer(stack.signer, user))


async def test_another_users_report_is_invisible(stack: Stack) -> None:
    job = await create(stack, "u-owner")
    intruder = bearer(stack.signer, "u-intruder")
    for method, path in [("GET", f"/api/v1/reports/{job['id']}"),
                         ("GET", f"/api/v1/reports/{job['id']}/pdf"),
                         ("DELETE", f"/api/v1/reports/{job['id']}"),
                         ("POST", f"/api/v1/reports/{job['id']}/retry")]:
        response = await stack.client.request(method, path, headers=intruder)
        assert response.status_code == 404, (method, path, response.text)
        assert response.json()["detail"] == f"No report {job['id']} among yours."
    unknown = await stack.client.get("/api/v1/reports/00000000-0000-0000-0000-000000000000",
                                     headers=intruder)
    assert unknown.json()["detail"].startswith("No report")  # same answer: ids not probed
    wiped = await stack.client.delete("/api/v1/reports/mine", headers=intruder)
    assert wiped.json() == {"deleted": 0}
    still = await stack.client.get(f"/api/v1/reports/{job['id']}",
                                   headers=bearer(stack.signer, "u-owner"))
    assert still.status_code == 200 and still.json()["id"] == job["id"]
    await stack.client.delete("/api/v1/reports/mine", headers=bearer(stack.signer, "u-owner"))


async def test_delete_removes_row_and_file(stack: Stack) -> None:
    headers = bearer(stack.signer, "u-del")
    job = await create(stack, "u-del")
    done = await wait_for_job(stack.client, job["id"], headers)
    pdf_file = Path(stack.output_dir) / f"{job['id']}-{done['attempts']}.pdf"
    assert pdf_file.is_file()
    assert (await stack.client.delete(f"/api/v1/reports/{job['id']}", headers=headers)
            ).status_code == 204
    assert not pdf_file.exists()
    assert (await stack.client.get(f"/api/v1/reports/{job['id']}", headers=headers)
            ).status_code == 404
    assert (await stack.client.delete(f"/api/v1/reports/{job['id']}", headers=headers)
            ).status_code == 404


async def test_delete_mine_removes_all_of_mine_only(stack: Stack) -> None:
    jobs = [await create(stack, "u-leaving") for _ in range(2)]
    kept = await create(stack, "u-staying")
    files = []
    for job in jobs:
        done = await wait_for_job(stack.client, job["id"], bearer(stack.signer, "u-leaving"))
        files.append(Path(stack.output_dir) / f"{job['id']}-{done['attempts']}.pdf")
        assert files[-1].is_file()
    response = await stack.client.delete("/api/v1/reports/mine",
                                         headers=bearer(stack.signer, "u-leaving"))
    assert response.status_code == 200 and response.json() == {"deleted": 2}
    for pdf_file in files:
        assert not pdf_file.exists()
    listing = await stack.client.get("/api/v1/reports",
                                     headers=bearer(stack.signer, "u-leaving"))
    assert listing.json()["total"] == 0
    other = await stack.client.get(f"/api/v1/reports/{kept['id']}",
                                   headers=bearer(stack.signer, "u-staying"))
    assert other.status_code == 200


async def test_pdf_of_unfinished_report_is_409(stack: Stack) -> None:
    headers = bearer(stack.signer, "u-early")
    stack.upstreams.telemetry_gate.matches = lambda path: path.endswith("/circuit")
    stack.upstreams.telemetry_gate.open.clear()
    try:
        job = await create(stack, "u-early")
        early = await stack.client.get(f"/api/v1/reports/{job['id']}/pdf", headers=headers)
        assert early.status_code == 409
        assert early.json()["status_value"] in ("queued", "running")
    finally:
        stack.upstreams.telemetry_gate.open.set()
    done = await wait_for_job(stack.client, job["id"], headers)
    assert done["status"] == "succeeded"


async def test_failure_is_recorded_with_reason_and_retry_succeeds(stack: Stack) -> None:
    headers = bearer(stack.signer, "u-retry")
    stack.auth.service_secret = "rotated"  # auth-svc refuses report-svc's service token
    stack.app.state.upstreams.auth.forget_token()
    try:
        job = await create(stack, "u-retry")
        failed = await wait_for_job(stack.client, job["id"], headers)
    finally:
        stack.auth.service_secret = None
    assert failed["status"] == "failed"
    assert failed["stage"] == "failed while fetching data"
    assert "refused the report service" in failed["error"]
    not_ready = await stack.client.get(f"/api/v1/reports/{job['id']}/pdf", headers=headers)
    assert not_ready.status_code == 409

    retried = await stack.client.post(f"/api/v1/reports/{job['id']}/retry", headers=headers)
    assert retried.status_code == 202 and retried.json()["status"] == "queued"
    done = await wait_for_job(stack.client, job["id"], headers)
    assert done["status"] == "succeeded" and done["attempts"] == 2 and done["error"] is None
    again = await stack.client.post(f"/api/v1/reports/{job['id']}/retry", headers=headers)
    assert again.status_code == 409


async def test_missing_lap_fails_the_job_with_the_upstream_reason(stack: Stack) -> None:
    headers = bearer(stack.signer, "u-nolap")
    job = await create(stack, "u-nolap", {**LAP_COMPARISON, "laps": ["fastest", "999"]})
    failed = await wait_for_job(stack.client, job["id"], headers)
    assert failed["status"] == "failed" and failed["attempts"] == 1
    assert "999" in failed["error"]


@pytest.mark.parametrize(
    ("body", "status", "needle"),
    [
        ({**LAP_COMPARISON, "drivers": ["NOR"]}, 422, "exactly two drivers"),
        ({**LAP_COMPARISON, "drivers": ["NOR", "NOR"]}, 422, "must not repeat"),
        ({**LAP_COMPARISON, "drivers": ["NOR", "XYZ"]}, 404, "No driver XYZ in 2024"),
        ({**LAP_COMPARISON, "year": 1950}, 422, "year"),
        ({**LAP_COMPARISON, "session": "Q9"}, 422, "session"),
        ({**LAP_COMPARISON, "style": "neon"}, 422, "style"),
        ({**LAP_COMPARISON, "laps": ["fastest", "-3"]}, 422, "lap"),
        ({**LAP_COMPARISON, "kind": "horoscope"}, 422, "kind"),
        ({**LAP_COMPARISON, "kind": "race_pace"}, 422, "wrong-session-type"),
        ({**LAP_COMPARISON, "surprise": 1}, 422, "surprise"),
        ({**LAP_COMPARISON, "event": "Atlantis"}, 404, ""),
    ],
)
async def test_bad_report_requests_change_nothing(
    stack: Stack, body: dict[str, Any], status: int, needle: str
) -> None:
    headers = bearer(stack.signer, "u-invalid")
    response = await stack.client.post("/api/v1/reports", json=body, headers=headers)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert needle in response.text
    listing = await stack.client.get("/api/v1/reports", headers=headers)
    assert listing.json()["total"] == 0


async def test_driver_a_b_form_is_accepted(stack: Stack) -> None:
    body = {"year": 2024, "event": "Hungary", "session": "Q", "driver_a": "ver",
            "driver_b": "lec", "lap_b": "fastest"}
    job = await create(stack, "u-ab", body)
    assert job["params"]["drivers"] == ["VER", "LEC"]
    assert job["params"]["laps"] == ["fastest", "fastest"]
    assert job["params"]["style"] == "light"
    assert job["title"] == "Lap comparison · 2024 Hungary Q · VER vs LEC"
    await stack.client.delete("/api/v1/reports/mine", headers=bearer(stack.signer, "u-ab"))
