"""The merged OpenAPI document, the docs page, and the web app with its SPA fallback."""

from __future__ import annotations

from pitwall_gateway.openapi import merge_documents

SERVICE_PATHS = [
    "/api/v1/auth/things",
    "/api/v1/telemetry/things",
    "/api/v1/analysis/things",
    "/api/v1/reports/things",
]


async def test_merged_openapi_has_every_services_paths(gateway):
    response = await gateway.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert set(SERVICE_PATHS) <= set(document["paths"])
    assert not [p for p in document["paths"] if p.startswith("/internal")]
    assert "x-unavailable-services" not in document
    # Same schema name, four different definitions: each kept, references rewritten.
    schemas = document["components"]["schemas"]
    ref = document["paths"]["/api/v1/telemetry/things"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["schema"]["$ref"]
    assert schemas[ref.rsplit("/", 1)[-1]]["title"] == "telemetry thing"
    assert document["paths"]["/api/v1/telemetry/things"]["get"]["security"] == [{"bearerAuth": []}]


async def test_merged_openapi_survives_a_missing_service(make_gateway, unreachable_url):
    async with make_gateway(report_url=unreachable_url) as client:
        document = (await client.get("/api/v1/openapi.json")).json()
    assert document["x-unavailable-services"] == ["report"]
    assert "/api/v1/auth/things" in document["paths"]


def test_public_operations_are_not_marked_as_needing_a_token():
    auth = {
        "paths": {
            "/api/v1/auth/login": {"post": {"responses": {}}},
            "/api/v1/auth/me": {"get": {"responses": {}}},
        }
    }
    merged = merge_documents({"auth": auth}, "t")
    assert "security" not in merged["paths"]["/api/v1/auth/login"]["post"]
    assert merged["paths"]["/api/v1/auth/me"]["get"]["security"] == [{"bearerAuth": []}]


def test_identical_components_are_shared_not_renamed():
    shared = {"components": {"schemas": {"Problem": {"type": "object"}}}, "paths": {}}
    merged = merge_documents({"a": shared, "b": shared}, "t")
    assert list(merged["components"]["schemas"]) == ["Problem"]


async def test_docs_page_points_at_the_merged_document(gateway):
    response = await gateway.get("/docs")
    assert response.status_code == 200
    assert "/api/v1/openapi.json" in response.text
    assert (await gateway.get("/openapi.json")).status_code == 404


async def test_web_app_is_served_with_spa_fallback(
    make_gateway, tmp_path, auth_header, expect_problem
):
    (tmp_path / "index.html").write_text("<!doctype html><div id=root></div>")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "app.js").write_text("console.log('pitwall')")
    async with make_gateway(static_dir=tmp_path) as client:
        index = await client.get("/")
        assert index.status_code == 200
        assert "id=root" in index.text
        assert "default-src 'self'" in index.headers["content-security-policy"]
        asset = await client.get("/assets/app.js")
        assert asset.text == "console.log('pitwall')"
        # A client-side route deep link gets the app, not a 404.
        deep = await client.get("/sessions/2024/Hungary/Q/compare")
        assert deep.status_code == 200
        assert "id=root" in deep.text
        # API misses stay problems; the API still works.
        expect_problem(await client.get("/api/v1/nowhere", headers=auth_header), 404)
        expect_problem(await client.get("/internal/service-token"), 404)
        assert (await client.get("/api/v1/reports", headers=auth_header)).status_code == 200
