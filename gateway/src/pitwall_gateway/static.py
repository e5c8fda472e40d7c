"""Serves the built web app, with the single-page-app fallback to ``index.html``."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

# Paths that belong to the API: a miss there is a 404 problem, never the app's HTML.
_NOT_APP = ("api/", "internal/", ".well-known/", "docs", "metrics", "healthz", "readyz")
# The build names every file under assets/ by a hash of its content, so a file there never
# changes: the browser keeps it a year without asking again (no revalidation round trip on
# each page load). Everything else, index.html above all, is asked for again each time, so a
# new build reaches users on their next load.
HASHED_ASSETS = "assets/"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


class SinglePageApp(StaticFiles):
    async def get_response(self, path: str, scope: Scope) -> Response:
        try:
            response = await super().get_response(path, scope)
        except HTTPException as exc:
            if exc.status_code != 404 or path.startswith(_NOT_APP) or path == "api":
                raise
            response = await super().get_response("index.html", scope)
            response.headers["cache-control"] = REVALIDATE
            return response
        hashed = path.startswith(HASHED_ASSETS) and response.status_code in (200, 304)
        response.headers["cache-control"] = IMMUTABLE if hashed else REVALIDATE
        return response
