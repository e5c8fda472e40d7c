"""The merged OpenAPI document, the docs page, and the web app with its SPA fallback."""

from __future__ import annotations

import re

from pitwall_gateway.openapi import PROTECTED, merge_documents

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
    # The service declares the password flow on one operation and not on the other.
    assert document["paths"]["/api/v1/telemetry/things"]["get"]["security"] == PROTECTED
    assert "security" not in document["paths"]["/api/v1/telemetry/open-things"]["get"]
    flows = document["components"]["securitySchemes"]["OAuth2PasswordBearer"]["flows"]
    assert flows["password"]["tokenUrl"] == "/api/v1/auth/token"


async def test_merged_openapi_survives_a_missing_service(make_gateway, unreachable_url):
    async with make_gateway(report_url=unreachable_url) as client:
        document = (await client.get("/api/v1/openapi.json")).json()
    assert document["x-unavailable-services"] == ["report"]
    assert "/api/v1/auth/things" in document["paths"]


def test_protection_follows_what_each_service_declares_not_the_path():
    """Whether a path looks public does not matter: only the service's own declaration."""
    declared = [{"OAuth2PasswordBearer": []}]
    auth = {
        "paths": {
            "/api/v1/auth/login": {"post": {"responses": {}}},
            "/api/v1/auth/me": {
                "get": {"security": declared, "responses": {}},
                "delete": {"security": declared, "responses": {}},
            },
        }
    }
    telemetry = {
        "paths": {
            "/api/v1/telemetry/open": {"get": {"responses": {}}},
            "/api/v1/telemetry/refresh": {"post": {"security": declared, "responses": {}}},
        }
    }
    paths = merge_documents({"auth": auth, "telemetry": telemetry}, "t")["paths"]
    assert "security" not in paths["/api/v1/auth/login"]["post"]
    assert "security" not in paths["/api/v1/telemetry/open"]["get"]
    assert paths["/api/v1/auth/me"]["get"]["security"] == PROTECTED
    assert paths["/api/v1/auth/me"]["delete"]["security"] == PROTECTED
    assert paths["/api/v1/telemetry/refresh"]["post"]["security"] == PROTECTED


def test_identical_components_are_shared_not_renamed():
    shared = {"components": {"schemas": {"Problem": {"type": "object"}}}, "paths": {}}
    merged = merge_documents({"a": shared, "b": shared}, "t")
    assert list(merged["components"]["schemas"]) == ["Problem"]


async def test_docs_page_loads_everything_from_the_gateway_itself(gateway):
    response = await gateway.get("/docs")
    assert response.status_code == 200
    assert (await gateway.get("/openapi.json")).status_code == 404
    page = response.text
    # No CDN: every script, style and icon is a same-origin path, and each one is served.
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert len(sources) == 4, sources
    for source in sources:
        assert source.startswith("/docs/assets/"), source
        asset = await gateway.get(source)
        assert asset.status_code == 200, source
        assert len(asset.content) > 0
    assert "<script>" not in page  # the start-up script is a file: no inline script allowed
    init = (await gateway.get("/docs/assets/swagger-init.js")).text
    assert '"/api/v1/openapi.json"' in init
    bundle = await gateway.get("/docs/assets/swagger-ui-bundle.js")
    assert "SwaggerUIBundle" in bundle.text
    csp = response.headers["content-security-policy"]
    assert "script-src 'self';" in csp
    assert "http" not in csp  # no remote origin allowed anywhere
    # The app and the API keep their own, stricter policies.
    assert "default-src 'none'" in (await gateway.get("/api/v1/openapi.json")).headers[
        "content-security-policy"
    ]


async def test_docs_assets_are_only_the_named_files(gateway, expect_problem):
    for name in ("consts.py", "__init__.py", "redoc.standalone.js"):
        expect_problem(await gateway.get(f"/docs/assets/{name}"), 404)
    expect_problem(await gateway.get("/docs/assets/..%2F__init__.py"), 422)


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
        assert index.headers["cache-control"] == "no-cache"
        asset = await client.get("/assets/app.js")
        assert asset.text == "console.log('pitwall')"
        # Built assets are named by their content's hash: kept without revalidation.
        assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
        # A client-side route deep link gets the app, not a 404.
        deep = await client.get("/sessions/2024/Hungary/Q/compare")
        assert deep.status_code == 200
        assert "id=root" in deep.text
        assert deep.headers["cache-control"] == "no-cache"
        # API misses stay problems; the API still works.
        expect_problem(await client.get("/api/v1/nowhere", headers=auth_header), 404)
        expect_problem(await client.get("/internal/service-token"), 404)
        assert (await client.get("/api/v1/reports", headers=auth_header)).status_code == 200
