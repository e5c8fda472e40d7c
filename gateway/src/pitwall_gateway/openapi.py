"""One OpenAPI document for the whole API, merged from every service's own document."""

from __future__ import annotations

import asyncio
import copy
import json
import time
from typing import Any

import httpx

from pitwall_gateway.routes import API_PREFIX, JWKS_PATH
from pitwall_shared.auth_dependency import SIGN_IN_FORM_PATH, SIGN_IN_SCHEME

BEARER_SCHEME = "bearerAuth"
# Either one authorizes: the password flow signs in from the docs' Authorize button, the plain
# bearer scheme takes a token obtained elsewhere (a service token, a script's).
PROTECTED: list[dict[str, list[str]]] = [{SIGN_IN_SCHEME: []}, {BEARER_SCHEME: []}]
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _rename_refs(node: Any, renames: dict[str, str]) -> Any:
    if isinstance(node, dict):
        return {
            key: (renames.get(value, value) if key == "$ref" else _rename_refs(value, renames))
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rename_refs(item, renames) for item in node]
    return node


def _public_path(path: str) -> bool:
    return (path.startswith(API_PREFIX + "/") or path == JWKS_PATH) and "/internal" not in path


def _mark_protected(item: dict[str, Any]) -> None:
    """A service declares the password flow on exactly the operations whose dependencies
    require a caller; those, and only those, get both schemes in the merged document."""
    for method in HTTP_METHODS:
        operation = item.get(method)
        if isinstance(operation, dict) and operation.get("security"):
            operation["security"] = copy.deepcopy(PROTECTED)


def merge_documents(documents: dict[str, dict[str, Any]], title: str) -> dict[str, Any]:
    """Merge per-service documents; a component name two services define differently is
    prefixed with the service's name (and every reference to it rewritten)."""
    merged: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": title,
            "version": "1",
            "description": "Every Pitwall service behind one gateway. Errors are RFC 9457 "
            "problems (application/problem+json).",
        },
        "paths": {},
        "components": {
            "securitySchemes": {
                SIGN_IN_SCHEME: {
                    "type": "oauth2",
                    "flows": {"password": {"scopes": {}, "tokenUrl": SIGN_IN_FORM_PATH}},
                },
                BEARER_SCHEME: {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
            }
        },
        "tags": [],
    }
    components: dict[str, dict[str, Any]] = merged["components"]
    seen_tags: set[str] = set()
    for service, original in sorted(documents.items()):
        document = copy.deepcopy(original)
        renames: dict[str, str] = {}
        for section, entries in (document.get("components") or {}).items():
            target = components.setdefault(section, {})
            for name, definition in entries.items():
                existing = target.get(name)
                if existing is not None and existing != definition:
                    renames[f"#/components/{section}/{name}"] = (
                        f"#/components/{section}/{service.title()}{name}"
                    )
        document = _rename_refs(document, renames)
        for section, entries in (document.get("components") or {}).items():
            target = components.setdefault(section, {})
            for name, definition in entries.items():
                new_ref = renames.get(f"#/components/{section}/{name}")
                target[new_ref.rsplit("/", 1)[-1] if new_ref else name] = definition
        for path, item in (document.get("paths") or {}).items():
            if not _public_path(path):
                continue
            _mark_protected(item)
            merged["paths"][path] = item
        for tag in document.get("tags") or []:
            if tag.get("name") not in seen_tags:
                seen_tags.add(tag.get("name"))
                merged["tags"].append(tag)
    return merged


class OpenApiAggregator:
    """Fetches the services' documents on demand and keeps the merge for a while."""

    def __init__(
        self, client: httpx.AsyncClient, services: dict[str, str], cache_seconds: float
    ) -> None:
        self._client = client
        self._services = services
        self._cache_seconds = cache_seconds
        self._cached: bytes | None = None
        self._valid_until = 0.0
        self._lock = asyncio.Lock()

    async def _fetch(self, name: str, base_url: str) -> dict[str, Any] | None:
        try:
            response = await self._client.get(f"{base_url}/openapi.json", timeout=3.0)
            response.raise_for_status()
            document = response.json()
        except (httpx.HTTPError, ValueError):
            return None
        return document if isinstance(document, dict) else None

    async def document(self) -> bytes:
        async with self._lock:
            if self._cached is not None and time.monotonic() < self._valid_until:
                return self._cached
            names = sorted(self._services)
            fetched = await asyncio.gather(*(self._fetch(n, self._services[n]) for n in names))
            documents = {n: d for n, d in zip(names, fetched, strict=True) if d is not None}
            merged = merge_documents(documents, "Pitwall API")
            missing = [n for n in names if n not in documents]
            if missing:
                merged["x-unavailable-services"] = missing
            self._cached = json.dumps(merged).encode()
            # A partial document is only a stopgap: try again soon.
            self._valid_until = time.monotonic() + (2.0 if missing else self._cache_seconds)
            return self._cached
