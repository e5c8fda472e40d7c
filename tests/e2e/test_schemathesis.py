"""Property-based requests generated from the merged OpenAPI document, with a valid token.

Every operation the gateway documents gets a bounded number of generated requests (valid and
invalid data, per the schema). No answer may be a 5xx other than the documented upstream
502/503/504, and every error must be an RFC 9457 problem. Services whose package cannot run
yet are left out of the stack (their paths are then absent from the merged document).
"""

from __future__ import annotations

import importlib.util
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings

from scripts.stack import SERVICES, Stack

EXAMPLES_PER_OPERATION = 6
UPSTREAM_STATUSES = {502, 503, 504}
# Operations that would end the test's own session rather than exercise the API.
SKIPPED = {"DELETE /api/v1/auth/me", "POST /api/v1/auth/logout"}
GENEROUS_LIMITS = {
    "GATEWAY_RATE_LIMIT_PER_IP": "1000000/minute",
    "GATEWAY_RATE_LIMIT_PER_USER": "1000000/minute",
    "GATEWAY_RATE_LIMIT_LOGIN": "1000000/minute",
}


def runnable_services() -> tuple[str, ...]:
    return tuple(
        spec.name
        for spec in SERVICES
        if importlib.util.find_spec(spec.module) is not None
        and importlib.util.find_spec(f"{spec.module}.__main__") is not None
    )


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    with Stack.start(
        tmp_path_factory.mktemp("schemathesis"), env=GENEROUS_LIMITS, services=runnable_services()
    ) as stack:
        base = stack.url("gateway")
        email = f"st-{uuid.uuid4().hex[:8]}@example.com"
        password = "schemathesis-correct-horse"
        with httpx.Client(base_url=base, timeout=30) as client:
            created = client.post(
                "/api/v1/auth/register",
                json={"email": email, "password": password, "display_name": "Fuzz"},
            )
            assert created.status_code == 201, created.text
            login = client.post("/api/v1/auth/login", json={"email": email, "password": password})
            assert login.status_code == 200, login.text
        yield base, {"Authorization": f"Bearer {login.json()['access_token']}"}


def _verdict(response: Any) -> str | None:
    status = response.status_code
    if status >= 500 and status not in UPSTREAM_STATUSES:
        return f"undocumented {status}"
    headers = {name.lower(): values for name, values in response.headers.items()}
    content_type = (headers.get("content-type") or [""])[0]
    if status >= 400 and not content_type.startswith("application/problem+json"):
        return f"{status} without problem+json"
    return None


def _exercise(operation: Any, base: str, auth: dict[str, str], failures: list[str]) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def exercise(case: Any) -> None:
        response = case.call(base_url=base, headers=auth, timeout=60)
        problem = _verdict(response)
        if problem:
            failures.append(
                f"{operation.label}: {problem}\n  {case.as_curl_command()}\n  {response.text[:300]}"
            )

    exercise()


def test_generated_requests_never_break_the_api(api: tuple[str, dict[str, str]]) -> None:
    base, auth = api
    schema = schemathesis.openapi.from_url(f"{base}/api/v1/openapi.json")
    failures: list[str] = []
    exercised = 0
    with httpx.Client(timeout=60) as probe:
        assert probe.get(f"{base}/api/v1/openapi.json").status_code == 200
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.label in SKIPPED:
            continue
        exercised += 1
        _exercise(operation, base, auth, failures)
    print(f"schemathesis: {exercised} operations, {EXAMPLES_PER_OPERATION} examples each")
    assert exercised >= 10, f"only {exercised} operations documented"
    assert not failures, "\n".join(failures[:20])
