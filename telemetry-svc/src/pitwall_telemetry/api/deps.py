"""Shared pieces of the routers: path parameters, the catalog, cached responses."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Path, Request
from starlette.responses import Response

from pitwall_shared import path_safety
from pitwall_shared.responses import FastJSONResponse, dumps
from pitwall_telemetry.api.fast_path import ResponseIndex
from pitwall_telemetry.services.catalog import Catalog, Snapshot

CACHE_CONTROL = "private, max-age=3600"
PREFIX = "/api/v1/telemetry"
SESSION_PATH = "/sessions/{year}/{event}/{session}"

Year = Annotated[int, Path(description="Championship year (2018 on)", examples=[2024])]
Event = Annotated[path_safety.EventName,
                  Path(description="Event name, country, location or round number",
                       examples=["Hungary"])]
SessionName = Annotated[path_safety.SessionName,
                        Path(description="FP1, FP2, FP3, SQ, SS, Q, S or R (case-insensitive)",
                             examples=["Q"])]


async def get_catalog(request: Request) -> Catalog:  # async: no thread hop per request
    return request.app.state.catalog


CatalogDep = Annotated[Catalog, Depends(get_catalog)]


def _etag(request: Request, snap: Snapshot | None) -> str:
    tag_source = f"{snap.etag if snap else ''}|{request.url.path}|{request.url.query}"
    return f'"{hashlib.blake2b(tag_source.encode(), digest_size=12).hexdigest()}"'


def _headers(etag: str) -> dict[str, str]:
    return {"ETag": etag, "Cache-Control": CACHE_CONTROL}


def _send_not_modified(etag: str) -> Response:
    return Response(status_code=304, headers=_headers(etag))


def _send(request: Request, etag: str, body: bytes, media_type: str) -> Response:
    if request.headers.get("if-none-match") == etag:
        return _send_not_modified(etag)
    return Response(body, media_type=media_type, headers=_headers(etag))


def cached_json(request: Request, snap: Snapshot | None, payload: Any,
                media_type: str = "application/json") -> Response:
    """Serialize once with orjson; ETag from the snapshot and the query, 304 when it matches."""
    body = payload if isinstance(payload, bytes) else dumps(payload)
    return _send(request, _etag(request, snap), body, media_type)


def memoized_json(request: Request, catalog: Catalog, snap: Snapshot,
                  build: Callable[[], Any], media_type: str = "application/json") -> Response:
    """Like ``cached_json`` but keeps the serialized body in the memory cache: a snapshot
    never changes under its ETag, so a repeated request costs a lookup, not a rebuild."""
    etag = _etag(request, snap)

    def render() -> bytes:
        payload = build()
        return payload if isinstance(payload, bytes) else dumps(payload)

    body_key = (snap.id.key, "response", etag)
    body = catalog.cache.get_or_load(body_key, render, len)
    ok = Response(body, media_type=media_type, headers=_headers(etag))
    not_modified = _send_not_modified(etag)
    index: ResponseIndex | None = getattr(request.app.state, "response_index", None)
    if index is not None:  # repeats of this URL are then answered by the fast path
        index.remember(request.scope, snap.id, snap.directory, body_key, ok, not_modified)
    return not_modified if request.headers.get("if-none-match") == etag else ok


def json_bytes(payload: Any) -> FastJSONResponse:
    return FastJSONResponse(payload)
