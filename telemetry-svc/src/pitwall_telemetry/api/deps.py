"""Shared pieces of the routers: path parameters, the catalog, cached responses."""

from __future__ import annotations

import hashlib
from typing import Annotated, Any

from fastapi import Depends, Path, Request
from starlette.responses import Response

from pitwall_shared.responses import FastJSONResponse, dumps
from pitwall_telemetry.services.catalog import Catalog, Snapshot

CACHE_CONTROL = "private, max-age=3600"
PREFIX = "/api/v1/telemetry"
SESSION_PATH = "/sessions/{year}/{event}/{session}"

Year = Annotated[int, Path(description="Championship year (2018 on)", examples=[2024])]
Event = Annotated[str, Path(description="Event name, country, location or round number",
                            examples=["Hungary"])]
SessionName = Annotated[str, Path(description="FP1, FP2, FP3, SQ, SS, Q, S or R "
                                  "(case-insensitive)", examples=["Q"])]


async def get_catalog(request: Request) -> Catalog:  # async: no thread hop per request
    return request.app.state.catalog


CatalogDep = Annotated[Catalog, Depends(get_catalog)]


def cached_json(request: Request, snap: Snapshot | None, payload: Any,
                media_type: str = "application/json") -> Response:
    """Serialize once with orjson; ETag from the snapshot and the query, 304 when it matches."""
    tag_source = f"{snap.etag if snap else ''}|{request.url.path}|{request.url.query}"
    etag = f'"{hashlib.blake2b(tag_source.encode(), digest_size=12).hexdigest()[:24]}"'
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    body = payload if isinstance(payload, bytes) else dumps(payload)
    return Response(body, media_type=media_type, headers=headers)


def json_bytes(payload: Any) -> FastJSONResponse:
    return FastJSONResponse(payload)
