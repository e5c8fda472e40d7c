"""Upstream ``Location`` headers as the client may see them.

A service builds an absolute ``Location`` from the Host it was called with, which behind the
gateway is its internal address (``http://auth-svc:8001/...``). Relative references pass as
they are (the client resolves them against the public URL it used); absolute ones to an
upstream become relative; any other absolute target is dropped, so no internal address and
no redirect elsewhere ever leaves the gateway.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

log = logging.getLogger("pitwall.gateway.redirects")

LOCATION_HEADERS = frozenset({b"location", b"content-location"})


def origins(base_urls: Iterable[str]) -> frozenset[str]:
    return frozenset(_origin(url) for url in base_urls)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    default_port = {"http": 80, "https": 443}.get(parts.scheme)
    port = parts.port or default_port
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"


def public_location(value: bytes, internal: frozenset[str]) -> bytes | None:
    """The header value to send on, or None to drop the header."""
    text = value.decode("latin-1").strip()
    try:
        parts = urlsplit(text)
        origin = _origin(text) if parts.scheme or parts.netloc else None
    except ValueError:  # a malformed port or bracket: not something to pass on
        origin = ""
    if origin is None:
        return value
    if origin in internal:
        relative = urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))
        return relative.encode("latin-1")
    log.warning("dropped an upstream Location header pointing elsewhere: %.200s", text)
    return None
