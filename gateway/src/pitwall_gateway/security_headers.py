"""Adds browser-hardening headers to every response (pure ASGI, precomputed bytes)."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_COMMON = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    (b"strict-transport-security", b"max-age=31536000; includeSubDomains"),
]
# The API answers data, never pages: nothing may be loaded or framed from it.
_API_CSP = (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'")
_APP_CSP = (
    b"content-security-policy",
    b"default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
    b"connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'",
)
# Swagger UI comes from the gateway itself (no CDN, no inline script); like the app, it sets
# inline styles. Only the docs run under this policy.
_DOCS_CSP = (
    b"content-security-policy",
    b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    b"img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    b"form-action 'self'; frame-ancestors 'none'",
)
API_HEADERS = [*_COMMON, _API_CSP]
_APP_HEADERS = [*_COMMON, _APP_CSP]
_DOCS_HEADERS = [*_COMMON, _DOCS_CSP]


def _headers_for(path: str) -> list[tuple[bytes, bytes]]:
    if path.startswith(("/api/", "/.well-known/", "/healthz", "/readyz", "/metrics")):
        return API_HEADERS
    if path.startswith("/docs"):
        return _DOCS_HEADERS
    return _APP_HEADERS


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = _headers_for(scope["path"])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)
