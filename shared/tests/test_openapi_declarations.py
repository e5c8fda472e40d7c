"""What every service's OpenAPI says about its operations: ids, and which need a caller."""

from __future__ import annotations

from fastapi import APIRouter

from pitwall_shared.app import create_service_app
from pitwall_shared.auth_dependency import ActingIdentity, CurrentIdentity


def _document() -> dict[str, dict[str, dict[str, object]]]:
    router = APIRouter()

    @router.get("/api/v1/things/{thing_id}/laps")
    async def laps(thing_id: int, _: CurrentIdentity) -> dict[str, int]:
        return {"id": thing_id}

    @router.get("/api/v1/things")
    async def list_things(_: ActingIdentity) -> list[int]:
        return []

    @router.post("/api/v1/things")
    async def create_thing(_: CurrentIdentity) -> dict[str, int]:
        return {}

    @router.get("/api/v1/open")
    async def catalogue() -> list[int]:
        return []

    app = create_service_app(service="things", title="t", routers=[router])
    paths: dict[str, dict[str, dict[str, object]]] = app.openapi()["paths"]
    return paths


def test_operation_ids_name_the_service_and_the_call() -> None:
    paths = _document()
    assert paths["/api/v1/things/{thing_id}/laps"]["get"]["operationId"] == "things_get_laps"
    assert paths["/api/v1/things"]["get"]["operationId"] == "things_list_things"
    assert paths["/api/v1/things"]["post"]["operationId"] == "things_create_thing"
    assert paths["/api/v1/open"]["get"]["operationId"] == "things_get_catalogue"


def test_routes_requiring_a_caller_declare_the_password_flow_and_only_those() -> None:
    paths = _document()
    flow = [{"OAuth2PasswordBearer": []}]
    assert paths["/api/v1/things/{thing_id}/laps"]["get"]["security"] == flow
    assert paths["/api/v1/things"]["get"]["security"] == flow  # through ActingIdentity
    assert paths["/api/v1/things"]["post"]["security"] == flow
    assert "security" not in paths["/api/v1/open"]["get"]
    # The header is the scheme's business, not a parameter for callers to fill in.
    parameters = paths["/api/v1/things/{thing_id}/laps"]["get"].get("parameters", [])
    assert [p["name"] for p in parameters] == ["thing_id"]  # type: ignore[index,union-attr]
