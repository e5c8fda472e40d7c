"""Shared pieces of the routers: path parameters, the catalog, cached responses."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Path, Query, Request
from starlette.responses import Response

from pitwall_shared import path_safety
from pitwall_shared.exports import (
    CSV_MEDIA_TYPE,
    Columns,
    ExportFormat,
    TableNames,
    columns_to_csv,
    content_disposition,
    export_filename,
    rename_columns,
)
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


CSV_RESPONSE: dict[int | str, dict[str, Any]] = {200: {"content": {"text/csv": {}}}}
FormatQuery = Annotated[ExportFormat, Query(
    description="json (default) or csv (a download named like 2024-Hungary-Q-laps.csv)")]
NamesQuery = Annotated[TableNames, Query(
    description="Column names: pitwall (default; snake_case, times in seconds) or fastf1 "
    "(FastF1's names and units, times as pandas Timedelta strings)")]


@dataclass(frozen=True)
class Export:
    """How a table route was asked to answer, and the name of its download."""

    format: ExportFormat
    names: TableNames
    filename: str

    def body(self, table: str, columns: Columns,
             envelope: Callable[[Columns], dict[str, Any]]) -> bytes | dict[str, Any]:
        """CSV bytes of ``columns``, or the JSON payload ``envelope`` makes of them, with
        the names asked for (``table`` picks the FastF1 mapping)."""
        named = rename_columns(columns, self.names, table)
        return columns_to_csv(named) if self.format == "csv" else envelope(named)


def export_of(request: Request, snap: Snapshot, what: str, fmt: ExportFormat,
              names: TableNames) -> Export:
    """The download is named after the event as the client wrote it (``2024-Hungary-Q-laps``)."""
    filename = export_filename(snap.id.year, request.path_params.get("event", ""),
                               snap.id.code, what)
    return Export(fmt, names, filename)


async def get_catalog(request: Request) -> Catalog:  # async: no thread hop per request
    return request.app.state.catalog


CatalogDep = Annotated[Catalog, Depends(get_catalog)]


def _etag(request: Request, snap: Snapshot | None) -> str:
    tag_source = f"{snap.etag if snap else ''}|{request.url.path}|{request.url.query}"
    return f'"{hashlib.blake2b(tag_source.encode(), digest_size=12).hexdigest()}"'


def _headers(etag: str, export: Export | None = None) -> dict[str, str]:
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL}
    if export is not None and export.format == "csv":
        headers["Content-Disposition"] = content_disposition(export.filename)
    return headers


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
                  build: Callable[[], Any], export: Export | None = None) -> Response:
    """Like ``cached_json`` but keeps the serialized body in the memory cache: a snapshot
    never changes under its ETag, so a repeated request costs a lookup, not a rebuild.

    With a CSV ``export``, ``build`` returns the CSV bytes and the response is a download;
    the fast path then replays it with the same headers (the query, and so ``format`` and
    ``names``, is part of both the index key and the ETag)."""
    csv = export is not None and export.format == "csv"
    media_type = CSV_MEDIA_TYPE if csv else "application/json"
    etag = _etag(request, snap)

    def render() -> bytes:
        payload = build()
        return payload if isinstance(payload, bytes) else dumps(payload)

    body_key = (snap.id.key, "response", etag)
    body = catalog.cache.get_or_load(body_key, render, len)
    ok = Response(body, media_type=media_type, headers=_headers(etag, export))
    not_modified = _send_not_modified(etag)
    index: ResponseIndex | None = getattr(request.app.state, "response_index", None)
    if index is not None:  # repeats of this URL are then answered by the fast path
        index.remember(request.scope, snap.id, snap.directory, body_key, ok, not_modified)
    return not_modified if request.headers.get("if-none-match") == etag else ok


def json_bytes(payload: Any) -> FastJSONResponse:
    return FastJSONResponse(payload)
