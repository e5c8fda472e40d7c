"""``/mcp`` at the edge: the same checks as every proxied path (address and user limits, a
valid unrevoked bearer token), then the MCP transport (streamable HTTP, stateless)."""

from __future__ import annotations

from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from starlette.types import Receive, Scope, Send

from pitwall_gateway.mcp_server import CALLER_ADDRESS, create_mcp_server
from pitwall_gateway.proxy import admit
from pitwall_gateway.state import GatewayState
from pitwall_shared.problems import ProblemError, problem_response

MCP_PATH = "/mcp"


def create_session_manager(gateway: GatewayState) -> StreamableHTTPSessionManager:
    # Stateless with JSON answers: any replica serves any request, nothing to resume.
    return StreamableHTTPSessionManager(create_mcp_server(gateway), stateless=True,
                                        json_response=True,
                                        max_request_body_size=gateway.settings.max_body_bytes)


class McpEndpoint:
    """An ASGI app (not a request function) so the transport answers with its own responses."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await serve_mcp(scope, receive, send)


async def serve_mcp(scope: Scope, receive: Receive, send: Send) -> None:
    app = scope["app"]
    gateway: GatewayState = app.state.gateway
    headers = dict(scope["headers"])
    try:
        address = await admit(gateway, scope, MCP_PATH, headers.get(b"authorization"),
                              headers.get(b"x-forwarded-for"))
    except ProblemError as exc:
        response = problem_response(exc.status, exc.detail, instance=MCP_PATH, slug=exc.slug,
                                    title=exc.title, headers=exc.headers, **exc.extra)
        await response(scope, receive, send)
        return
    scope.setdefault("state", {})[CALLER_ADDRESS] = address
    manager: StreamableHTTPSessionManager = app.state.mcp
    await manager.handle_request(scope, receive, send)
