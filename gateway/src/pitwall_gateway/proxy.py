"""The proxy path: a plain ASGI endpoint per routing rule, kept lean on purpose.

Bodies pass through as bytes (never decoded as JSON). Request bodies are bounded by
``MAX_BODY_BYTES`` and buffered, so a safe request can be retried; responses larger than
``STREAM_ABOVE_BYTES`` (PDFs, CSVs) are streamed to the client chunk by chunk.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import aiohttp
from starlette.types import Receive, Scope, Send

from pitwall_gateway.client_address import client_address, rate_limit_key
from pitwall_gateway.redirects import LOCATION_HEADERS, public_location
from pitwall_gateway.routes import RouteRule, is_credential_path, is_public
from pitwall_shared.access_log import ACCESS_STATE_KEY
from pitwall_shared.problems import ProblemError
from pitwall_shared.request_context import current_request_id
from pitwall_shared.tokens import bearer_token, unauthorized

if TYPE_CHECKING:
    from pitwall_gateway.state import GatewayState

STREAM_ABOVE_BYTES = 1_048_576
STREAM_CHUNK_BYTES = 64 * 1024
# The raw path goes into the access line (the route template here is only the area's prefix);
# never the query string.
LOGGED_PATH_CHARS = 256

# Hop-by-hop headers (RFC 9110 7.6.1), the ones the gateway sets itself, and the
# service-to-service X-On-Behalf-Of (analysis-svc refuses it from users anyway; it has no
# business arriving from outside).
_REQUEST_DROP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-authenticate",
        b"proxy-authorization",
        b"proxy-connection",
        b"te",
        b"trailer",
        b"transfer-encoding",
        b"upgrade",
        b"host",
        b"content-length",
        b"x-request-id",
        b"x-forwarded-for",
        b"x-forwarded-proto",
        b"x-forwarded-host",
        b"forwarded",
        b"x-on-behalf-of",
    }
)
_RESPONSE_DROP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-authenticate",
        b"te",
        b"trailer",
        b"transfer-encoding",
        b"upgrade",
        b"x-request-id",
        b"date",
        b"server",
    }
)
_CORS_PREFIX = b"access-control-"


def _payload_too_large(limit: int) -> ProblemError:
    return ProblemError(
        413, f"The request body is larger than {limit} bytes.", slug="payload-too-large"
    )


async def read_body(receive: Receive, declared: int | None, limit: int) -> bytes | None:
    if declared is not None and declared > limit:
        raise _payload_too_large(limit)
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ProblemError(400, "The client went away while sending the body.")
        chunk = message.get("body", b"")
        if chunk:
            size += len(chunk)
            if size > limit:
                raise _payload_too_large(limit)
            chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks) if chunks else None


@dataclass(frozen=True)
class ProxyEndpoint:
    """One routing rule as the route of a proxied request (``scope["route"]``)."""

    rule: RouteRule
    # The route template metrics and the access line name (read as ``scope["route"].path``).
    path: str


# Where ``forward`` notes the status once the status line is out (``scope["state"]``): after
# that an error can only cut the answer short, no longer replace it with a problem.
SENT_STATUS = "sent_status"


async def admit(
    gateway: GatewayState,
    scope: Scope,
    path: str,
    authorization: bytes | None,
    forwarded_for: bytes | None,
    upstream: str,
) -> str:
    """The edge checks every request passes: the per-address limit (and the credential one),
    then, off the public paths, a valid unrevoked token and the per-user limit. Returns the
    client address. The access line's fields are recorded first, so a refusal is logged too."""
    address = client_address(scope, forwarded_for, gateway.trusted_proxies)
    state = scope.setdefault("state", {})
    state[ACCESS_STATE_KEY] = {
        "client": address, "path": path[:LOGGED_PATH_CHARS], "upstream": upstream
    }
    limit_key = rate_limit_key(address)
    await gateway.rate_limits.check_ip(limit_key)
    if is_credential_path(path):
        await gateway.rate_limits.check_login(limit_key)
    if not is_public(path):
        token = bearer_token(authorization.decode("latin-1") if authorization else None)
        identity = await gateway.verifier.verify(token)
        claims = identity.claims
        if gateway.revoked.is_void(identity.user_id, claims.get("iat"), claims.get("sid")):
            raise unauthorized(
                "This sign-in has ended: signed out, the password was changed or the account "
                "deleted. Sign in again."
            )
        state["identity"] = identity
        await gateway.rate_limits.check_user(identity.user_id)
    return address


async def forward(
    gateway: GatewayState,
    rule: RouteRule,
    scope: Scope,
    receive: Receive,
    send: Send,
    extra_headers: list[tuple[bytes, bytes]],
) -> None:
    """Admit, then relay the upstream's answer with ``extra_headers`` (the edge's own) added."""
    # Dot segments and encoded separators were refused before routing (PathGuardMiddleware).
    # No service route ends in '/', so a trailing slash is dropped here rather than answered
    # with the service's redirect (one request, and one count against the limits).
    path: str = scope["path"].rstrip("/") or "/"

    authorization: bytes | None = None
    declared_length: int | None = None
    forwarded_for: bytes | None = None
    chunked = False
    headers: list[tuple[str, str]] = []
    for name, value in scope["headers"]:
        if name == b"authorization":
            authorization = value
        elif name == b"content-length":
            try:
                declared_length = int(value)
            except ValueError:
                raise ProblemError(400, "Content-Length is not a number.") from None
        elif name == b"x-forwarded-for":
            forwarded_for = value
        elif name == b"transfer-encoding":
            chunked = True
        if name not in _REQUEST_DROP:
            headers.append((name.decode("latin-1"), value.decode("latin-1")))

    address = await admit(gateway, scope, path, authorization, forwarded_for, rule.upstream)
    state = scope["state"]
    access = state[ACCESS_STATE_KEY]
    # Without Content-Length or Transfer-Encoding a request has no body (RFC 9112 6.3): no
    # wait for the server's receive channel on the common GET.
    body = (
        await read_body(receive, declared_length, gateway.settings.max_body_bytes)
        if declared_length or chunked
        else None
    )
    headers.append(("X-Request-ID", current_request_id()))
    headers.append(("X-Forwarded-For", address))
    headers.append(("X-Forwarded-Proto", scope.get("scheme", "http")))

    raw_path: bytes = (scope.get("raw_path") or path.encode()).rstrip(b"/") or b"/"
    query: bytes = scope.get("query_string", b"")
    target = raw_path.decode("latin-1") + ("?" + query.decode("latin-1") if query else "")
    upstream = gateway.upstreams[rule.upstream]
    opened = time.perf_counter()
    try:
        response = await upstream.open(
            scope["method"], target, headers, body, read_timeout=rule.timeout
        )
    finally:
        access["upstream_ms"] = round((time.perf_counter() - opened) * 1000, 2)
    access["upstream_status"] = response.status
    answer_headers = _response_headers(response, gateway.internal_origins)
    answer_headers += extra_headers
    await _relay(response, send, upstream.name, answer_headers, state)


def _response_headers(
    response: aiohttp.ClientResponse, internal_origins: frozenset[str]
) -> list[tuple[bytes, bytes]]:
    headers = []
    for raw_name, value in response.raw_headers:
        name = raw_name.lower()
        if name in _RESPONSE_DROP or name.startswith(_CORS_PREFIX):
            continue
        if name in LOCATION_HEADERS:
            public = public_location(value, internal_origins)
            if public is None:
                continue
            value = public
        headers.append((name, value))
    return headers


async def _relay(
    response: aiohttp.ClientResponse,
    send: Send,
    upstream: str,
    headers: list[tuple[bytes, bytes]],
    state: dict[str, object],
) -> None:
    completed = False
    try:
        length = response.content_length
        if length is not None and length <= STREAM_ABOVE_BYTES:
            try:
                payload = await response.read()
            except (aiohttp.ClientError, TimeoutError) as exc:
                raise ProblemError(
                    502, f"The {upstream} service broke off its answer.", slug="upstream-error"
                ) from exc
            state[SENT_STATUS] = response.status
            await send(
                {"type": "http.response.start", "status": response.status, "headers": headers}
            )
            await send({"type": "http.response.body", "body": payload})
        else:
            state[SENT_STATUS] = response.status
            await _stream(response, send, headers)
        completed = True
    finally:
        if completed:
            response.release()
        else:
            response.close()


async def _stream(
    response: aiohttp.ClientResponse, send: Send, headers: list[tuple[bytes, bytes]]
) -> None:
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    # Once the status line is out an upstream failure can only cut the body short; the
    # client sees a truncated transfer rather than a well-formed lie.
    async for chunk in response.content.iter_chunked(STREAM_CHUNK_BYTES):
        await send({"type": "http.response.body", "body": chunk, "more_body": True})
    await send({"type": "http.response.body", "body": b""})
