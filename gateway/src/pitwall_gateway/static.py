"""Serves the built web app, with the single-page-app fallback to ``index.html``."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

# Paths that belong to the API: a miss there is a 404 problem, never the app's HTML.
_NOT_APP = ("api/", "internal/", ".well-known/", "docs", "metrics", "healthz", "readyz")


class SinglePageApp(StaticFiles):
    async def get_response(self, path: str, scope: Scope) -> Response:
        try:
            return await super().get_response(path, scope)
        except HTTPException as exc:
            if exc.status_code != 404 or path.startswith(_NOT_APP) or path == "api":
                raise
            return await super().get_response("index.html", scope)
