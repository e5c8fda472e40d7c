"""The merged OpenAPI document and Swagger UI, served with no request leaving the gateway.

Swagger UI's script and styles come from the installed ``fastapi_offline`` package rather than
a CDN, so the docs work on machines without internet, and the page's start-up script is a
file of its own, so the docs' content security policy needs no inline scripts.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter, Request
from starlette.responses import FileResponse, HTMLResponse, Response

from pitwall_gateway.openapi import OpenApiAggregator
from pitwall_gateway.routes import API_PREFIX
from pitwall_shared.problems import ProblemError

OPENAPI_PATH = f"{API_PREFIX}/openapi.json"
DOCS_PATH = "/docs"
ASSETS_PATH = f"{DOCS_PATH}/assets"

_SWAGGER_DIR = Path(str(files("fastapi_offline") / "static"))
_ASSET_FILES = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "favicon.png": "image/png",
}

_INIT_SCRIPT = f"""window.ui = SwaggerUIBundle({{
  url: "{OPENAPI_PATH}",
  dom_id: "#swagger-ui",
  deepLinking: true,
  showExtensions: true,
  displayRequestDuration: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
  layout: "BaseLayout"
}});
"""

_PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Pitwall API</title>
<link rel="icon" type="image/png" href="{ASSETS_PATH}/favicon.png">
<link rel="stylesheet" href="{ASSETS_PATH}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{ASSETS_PATH}/swagger-ui-bundle.js"></script>
<script src="{ASSETS_PATH}/swagger-init.js"></script>
</body>
</html>
"""
# The assets change only with the installed package; a day's caching spares reloads.
_ASSET_CACHE = {"cache-control": "public, max-age=86400"}

docs_router = APIRouter()


@docs_router.get(OPENAPI_PATH, include_in_schema=False)
async def merged_openapi(request: Request) -> Response:
    aggregator: OpenApiAggregator = request.app.state.openapi
    return Response(await aggregator.document(), media_type="application/json")


@docs_router.get(DOCS_PATH, include_in_schema=False)
async def swagger_ui() -> HTMLResponse:
    return HTMLResponse(_PAGE)


@docs_router.get(f"{ASSETS_PATH}/swagger-init.js", include_in_schema=False)
async def swagger_init() -> Response:
    return Response(_INIT_SCRIPT, media_type="text/javascript", headers=_ASSET_CACHE)


@docs_router.get(f"{ASSETS_PATH}/{{name}}", include_in_schema=False)
async def swagger_asset(name: str) -> Response:
    media_type = _ASSET_FILES.get(name)
    if media_type is None:  # only the named files: never a path into the package
        raise ProblemError(404, f"No docs asset named {name!r}.")
    return FileResponse(_SWAGGER_DIR / name, media_type=media_type, headers=_ASSET_CACHE)
