"""`docker-compose down` then `up`: accounts and reports are kept (named volumes)."""

from __future__ import annotations

import time

import httpx

from tests.compose.conftest import Account, gateway_client, sign_in
from tests.compose.stack import ComposeStack


def create_report(client: httpx.Client, account: Account) -> str:
    job = client.post(
        "/api/v1/reports",
        headers=account.headers,
        json={"kind": "lap_comparison", "year": 2024, "event": "Hungary", "session": "Q",
              "drivers": ["VER", "HAM"]},
    )
    assert job.status_code == 202, job.text
    report_id = str(job.json()["id"])
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        status = client.get(f"/api/v1/reports/{report_id}", headers=account.headers).json()
        if status["status"] in ("succeeded", "failed"):
            assert status["status"] == "succeeded", status
            return report_id
        time.sleep(1)
    raise AssertionError("the report did not finish")


def test_down_and_up_keeps_accounts_and_reports(
    stack: ComposeStack, client: httpx.Client, account: Account
) -> None:
    report_id = create_report(client, account)
    before = client.get(f"/api/v1/reports/{report_id}/pdf", headers=account.headers)
    assert before.status_code == 200

    stack.compose("down", timeout=180)
    stack.compose("up", "-d", "--no-build", timeout=600)
    stack.wait_healthy()

    with gateway_client(stack) as fresh:
        token = sign_in(fresh, account.email, account.password)
        headers = {"Authorization": f"Bearer {token}"}
        listed = fresh.get("/api/v1/reports", headers=headers)
        assert listed.status_code == 200
        assert report_id in listed.text
        after = fresh.get(f"/api/v1/reports/{report_id}/pdf", headers=headers)
        assert after.status_code == 200
        assert after.content == before.content
