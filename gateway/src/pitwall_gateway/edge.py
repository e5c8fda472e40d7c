"""Proxied requests served whole, ahead of the framework: the gateway's hot path.

A proxied request needs what every request gets: the path guard, a request id (echoed),
security headers, CORS, request metrics and an access line; then admission (limits, token,
revocation) and the relay. Built as a stack of middleware (request id and metrics, CORS,
security headers, path guard, FastAPI's own layers), each wrapping ``send`` in a closure, the
edges cost more CPU than the proxying itself (issue 17's profile). ``ProxyEdge`` does all of
it in one pass: one scan of the headers, one start message carrying every header.

What it does not take goes to the FastAPI app and its middleware as before: other paths, any
path the path guard refuses (the app answers the 422), and non-HTTP scopes. A request with an
``Origin`` header passes through Starlette's ``CORSMiddleware``, configured as the app's own,
around this same path, so CORS answers do not depend on which path served them.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware
from starlette.types import Message, Receive, Scope, Send

from pitwall_gateway.config import Settings
from pitwall_gateway.proxy import SENT_STATUS, ProxyEndpoint, forward
from pitwall_gateway.routes import JWKS_PATH, RouteRule, routing_table
from pitwall_gateway.security_headers import API_HEADERS
from pitwall_shared.access_log import log_access
from pitwall_shared.middleware import observe_request
from pitwall_shared.path_safety import path_trick
from pitwall_shared.problems import INTERNAL_ERROR_DETAIL, ProblemError, problem_response
from pitwall_shared.request_context import accept_or_new_request_id, set_request_id

SERVICE = "gateway"
log = logging.getLogger("pitwall.problems")


def cors_options(settings: Settings) -> dict[str, Any]:
    return {
        "allow_origins": settings.cors_origin_list,
        "allow_credentials": True,
        "allow_methods": ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
        "allow_headers": ["Authorization", "Content-Type", "X-Request-ID"],
        "expose_headers": ["X-Request-ID", "Retry-After", "Content-Disposition", "Location"],
        "max_age": 600,
    }


class ProxyEdge:
    def __init__(self, app: FastAPI, settings: Settings) -> None:
        self._app = app
        self._prefixes = [
            (rule.prefix, rule.prefix + "/", ProxyEndpoint(rule, rule.prefix + "/{path:path}"))
            for rule in routing_table(settings)
        ]
        jwks_rule = RouteRule("/.well-known", "auth", settings.timeout_seconds)
        self._exact = {JWKS_PATH: ProxyEndpoint(jwks_rule, JWKS_PATH)}
        self._cors = CORSMiddleware(self.serve, **cors_options(settings))

    def route(self, scope: Scope) -> ProxyEndpoint | None:
        """The proxied route of an HTTP request, or None to leave it to the app."""
        path: str = scope["path"]
        endpoint = self._exact.get(path)
        if endpoint is None:
            for prefix, prefix_slash, candidate in self._prefixes:
                if path.startswith(prefix_slash) or path == prefix:
                    endpoint = candidate
                    break
            else:
                return None
        if path_trick(scope.get("raw_path") or path.encode(), path) is not None:
            return None
        return endpoint

    async def serve_with_cors(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A proxied request with an ``Origin`` header, through Starlette's CORS middleware."""
        if scope["method"] == "OPTIONS" and any(
            name == b"access-control-request-method" for name, _ in scope["headers"]
        ):
            # CORS answers a preflight itself; it never reaches ``serve`` and its headers.
            send = _with_security_headers(send)
        await self._cors(scope, receive, send)

    async def serve(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A proxied request (``scope["route"]`` set from ``route``), served whole."""
        started = time.perf_counter()
        incoming = None
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                incoming = value.decode("latin-1")
                break
        request_id = accept_or_new_request_id(incoming)
        set_request_id(request_id)
        state = scope.get("state")
        if state is None:
            state = scope["state"] = {}
        state["request_id"] = request_id
        own_headers = [(b"x-request-id", request_id.encode()), *API_HEADERS]
        endpoint: ProxyEndpoint = scope["route"]
        status = 500
        try:
            await forward(self._app.state.gateway, endpoint.rule, scope, receive, send, own_headers)
            status = state[SENT_STATUS]
        except ProblemError as exc:
            if SENT_STATUS in state:  # the status line is out; only the connection can be cut
                status = state[SENT_STATUS]
                raise
            status = exc.status
            await _send_problem(scope, receive, send, exc, own_headers)
        except Exception:
            if SENT_STATUS in state:
                status = state[SENT_STATUS]
                raise
            log.exception("unhandled error on %s %s", scope["method"], scope["path"])
            internal = ProblemError(500, INTERNAL_ERROR_DETAIL, slug="internal-error")
            await _send_problem(scope, receive, send, internal, own_headers)
        finally:
            observe_request(
                SERVICE, scope["method"], endpoint.path, status, time.perf_counter() - started
            )
            log_access(scope, status, started)


async def _send_problem(
    scope: Scope,
    receive: Receive,
    send: Send,
    exc: ProblemError,
    own_headers: list[tuple[bytes, bytes]],
) -> None:
    """The shared problem answer, with the edge's own headers (request id, security) added,
    since the middleware that adds them elsewhere is not on this path."""
    response = problem_response(
        exc.status, exc.detail, instance=scope["path"], slug=exc.slug, title=exc.title,
        headers=exc.headers, **exc.extra,
    )
    response.raw_headers.extend(own_headers)
    await response(scope, receive, send)


def _with_security_headers(send: Send) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = [*message.get("headers", ()), *API_HEADERS]
        await send(message)

    return sending


class GatewayApp(FastAPI):
    """The FastAPI app, with proxied requests taken by ``proxy_edge`` before its stack."""

    proxy_edge: ProxyEdge | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        edge = self.proxy_edge
        if edge is not None and scope["type"] == "http":
            endpoint = edge.route(scope)
            if endpoint is not None:
                scope["route"] = endpoint
                for name, _ in scope["headers"]:
                    if name == b"origin":
                        await edge.serve_with_cors(scope, receive, send)
                        return
                await edge.serve(scope, receive, send)
                return
        await super().__call__(scope, receive, send)
