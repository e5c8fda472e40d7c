"""Requests generated from auth-svc's own OpenAPI document never yield a 5xx or a non-problem.

auth-svc runs as a real uvicorn server on 127.0.0.1 (in a thread) over a fresh database;
schemathesis sends a bounded number of valid and invalid requests per documented operation,
carrying a real user's token.
"""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import schemathesis
import uvicorn
from hypothesis import given

from pitwall_auth.main import create_app
from pitwall_auth.migrate import migrate
from pitwall_shared.testing import (
    free_port,
    generated_requests_settings,
    temporary_database_url,
)

EXAMPLES_PER_OPERATION = 5


def _serve(app: Any, port: int) -> tuple[uvicorn.Server, threading.Thread]:
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=lambda: asyncio.run(server.serve()), daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "auth-svc did not start"
        time.sleep(0.05)
    return server, thread


def _problem_free(
    operation: Any, base: str, headers: dict[str, str], failures: list[str], statuses: list[int]
) -> None:
    @given(case=operation.as_strategy())
    @generated_requests_settings(EXAMPLES_PER_OPERATION)
    def exercise(case: Any) -> None:
        response = case.call(base_url=base, headers=headers, timeout=30)
        statuses.append(response.status_code)
        content_type = response.headers.get("content-type", [""])
        content_type = content_type[0] if isinstance(content_type, list) else content_type
        if response.status_code >= 500:
            failures.append(f"{operation.label}: {response.status_code} {response.text[:300]}")
        elif response.status_code >= 400 and not content_type.startswith(
            "application/problem+json"
        ):
            failures.append(f"{operation.label}: {response.status_code} without problem+json")

    exercise()


def test_generated_requests_get_problems_not_crashes(tmp_path: Path, settings_for_server):
    with temporary_database_url(tmp_path) as url:
        migrate(url)
        port = free_port()
        server, thread = _serve(create_app(settings_for_server(url)), port)
        base = f"http://127.0.0.1:{port}"
        try:
            with httpx.Client(base_url=base, timeout=30) as client:
                body = {"email": "fuzz@example.com", "password": "Grid-Walk-2024"}
                registered = client.post(
                    "/api/v1/auth/register", json={**body, "display_name": "F"}
                )
                assert registered.status_code == 201, registered.text
                token = client.post("/api/v1/auth/login", json=body).json()["access_token"]
            schema = schemathesis.openapi.from_url(f"{base}/openapi.json")
            failures: list[str] = []
            statuses: list[int] = []
            labels = []
            for result in schema.get_all_operations():
                operation = result.ok()
                labels.append(operation.label)
                auth = {"Authorization": f"Bearer {token}"}
                _problem_free(operation, base, auth, failures, statuses)
            assert "POST /api/v1/auth/register" in labels and len(labels) >= 9, labels
            assert not failures, "\n".join(failures[:20])
            # Both accepted and refused requests were generated, for every operation.
            assert len(statuses) >= 2 * len(labels), statuses
            assert any(s < 300 for s in statuses) and any(400 <= s < 500 for s in statuses)
        finally:
            server.should_exit = True
            thread.join(timeout=10)
