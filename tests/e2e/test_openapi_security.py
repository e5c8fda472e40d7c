"""The merged OpenAPI document says the truth about authorization, for every operation.

The document marks an operation protected when the service's own dependencies require a
caller. Here every operation is called for real, against each service's process directly and
through the gateway: a protected one answers 401 without a token and something else with one
(a token from the password flow the docs' Authorize button uses); a public one never answers
401. Requests with a token name an event that does not exist and send empty bodies, so they
are refused after authorization (404/422) instead of loading sessions or queueing reports.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from scripts.stack import Stack

PASSWORD = "openapi-security-horse-battery"
HTTP_METHODS = ("get", "put", "post", "delete", "patch")
PROTECTED = [{"OAuth2PasswordBearer": []}, {"bearerAuth": []}]
# The service that serves each path prefix (the gateway forwards paths unchanged).
SERVICE_BY_PREFIX = {
    "/api/v1/auth/": "auth",
    "/.well-known/": "auth",
    "/api/v1/telemetry/": "telemetry",
    "/api/v1/analysis/": "analysis",
    "/api/v1/reports": "report",
    "/api/v1/charts/": "report",
}
# Path parameters by name; a new name fails the test until it gets a value here.
PATH_VALUES = {
    "year": "2024",
    "event": "Nowhere",
    "session": "Q",
    "driver": "NOR",
    "lap": "1",
    "report_id": str(uuid.UUID(int=1)),
    "conversation_id": str(uuid.UUID(int=1)),
    "name": "session_info",
    "chart": "speed-trace",
    "fmt": "png",
}
OPERATION_ID = re.compile(r"^(auth|telemetry|analysis|report)_[a-z][a-z0-9]*(_[a-z0-9]+)*$")


@pytest.fixture(scope="module")
def document(stack: Stack) -> dict[str, Any]:
    with httpx.Client(base_url=stack.url("gateway"), timeout=30) as client:
        response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    assert "x-unavailable-services" not in body
    return body


@pytest.fixture(scope="module")
def token(stack: Stack) -> str:
    """Signs in the way Swagger's Authorize does: the form post to the scheme's tokenUrl."""
    email = f"docs-{uuid.uuid4().hex[:8]}@example.com"
    with httpx.Client(base_url=stack.url("gateway"), timeout=30) as client:
        created = client.post(
            "/api/v1/auth/register",
            json={"email": email, "password": PASSWORD, "display_name": "Docs"},
        )
        assert created.status_code == 201, created.text
        signed_in = client.post(
            "/api/v1/auth/token", data={"username": email, "password": PASSWORD}
        )
    assert signed_in.status_code == 200, signed_in.text
    assert signed_in.json()["token_type"].lower() == "bearer"
    access: str = signed_in.json()["access_token"]
    return access


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in sorted(document["paths"].items()):
        for method in HTTP_METHODS:
            if method in item:
                yield method, path, item[method]


def concrete(path: str) -> str:
    names = re.findall(r"{(\w+)}", path)
    unknown = [name for name in names if name not in PATH_VALUES]
    assert not unknown, f"{path}: add a value for {unknown} to PATH_VALUES"
    return re.sub(r"{(\w+)}", lambda match: PATH_VALUES[match.group(1)], path)


def service_of(path: str) -> str:
    for prefix, service in SERVICE_BY_PREFIX.items():
        if path.startswith(prefix):
            return service
    raise AssertionError(f"{path}: no service serves this prefix; add it to SERVICE_BY_PREFIX")


def call(client: httpx.Client, method: str, path: str, operation: dict[str, Any],
         token: str | None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = {} if "requestBody" in operation else None
    return client.request(method.upper(), concrete(path), headers=headers, json=body)


def test_every_operation_is_documented_as_its_service_enforces(
    stack: Stack, document: dict[str, Any], token: str
) -> None:
    clients = {
        name: httpx.Client(base_url=stack.url(name), timeout=60)
        for name in ("gateway", "auth", "telemetry", "analysis", "report")
    }
    wrong: list[str] = []
    protected: list[str] = []
    public: list[str] = []
    try:
        # Deleting the account comes last: nothing after it may need the token.
        for method, path, operation in sorted(
            operations(document), key=lambda op: (op[1] == "/api/v1/auth/me", op[0], op[1])
        ):
            label = f"{method.upper()} {path}"
            security = operation.get("security")
            assert security in (None, PROTECTED), f"{label}: unexpected security {security}"
            (protected if security else public).append(label)
            for where in ("gateway", service_of(path)):
                client = clients[where]
                anonymous = call(client, method, path, operation, None)
                signed_in = call(client, method, path, operation, token)
                if security and anonymous.status_code != 401:
                    wrong.append(f"{label} via {where}: documented protected, "
                                 f"answered {anonymous.status_code} without a token")
                if security and anonymous.status_code == 401:
                    assert anonymous.headers["content-type"].startswith("application/problem+json")
                if not security and anonymous.status_code == 401:
                    wrong.append(f"{label} via {where}: documented public, answered 401")
                if signed_in.status_code == 401:
                    wrong.append(f"{label} via {where}: 401 with a valid token")
    finally:
        for client in clients.values():
            client.close()
    print(f"Authorize covers {len(protected)} operations; {len(public)} public: {public}")
    assert not wrong, "\n".join(wrong)
    assert len(protected) >= 30
    assert {"POST /api/v1/auth/login", "POST /api/v1/auth/token",
            "GET /.well-known/jwks.json"} <= set(public)


def test_password_flow_points_at_the_form_sign_in(document: dict[str, Any]) -> None:
    schemes = document["components"]["securitySchemes"]
    flow = schemes["OAuth2PasswordBearer"]["flows"]["password"]
    assert flow["tokenUrl"] == "/api/v1/auth/token"
    assert "post" in document["paths"][flow["tokenUrl"]]
    assert schemes["bearerAuth"] == {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}


def test_operation_ids_are_unique_and_read_well(document: dict[str, Any]) -> None:
    ids = [operation.get("operationId", "") for _, _, operation in operations(document)]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    badly_formed = [i for i in ids if not OPERATION_ID.match(i)]
    assert not badly_formed, badly_formed
    # FastAPI's fallback ids spell out the path and method; none may be left.
    assert not [i for i in ids if "api_v1" in i or i.endswith(("_get", "_post", "_delete"))]
    unsummarised = [f"{m} {p}" for m, p, op in operations(document) if not op.get("summary")]
    assert not unsummarised, unsummarised
