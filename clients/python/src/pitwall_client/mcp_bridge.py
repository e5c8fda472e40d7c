"""``pitwall mcp``: a stdio MCP server for desktop assistants, bridged to the API's ``/mcp``.

Desktop assistants start MCP servers as local commands speaking JSON-RPC on stdin/stdout;
Pitwall's MCP server lives behind the gateway at ``/mcp`` (streamable HTTP) and needs a
bearer token. This bridge forwards ``tools/list`` and ``tools/call`` (text and image
content unchanged) using the sign-in ``pitwall login`` stored, renewing the access token
before each request as needed. Needs the ``mcp`` extra: ``pip install 'pitwall-client[mcp]'``.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Generator
from contextlib import AsyncExitStack
from typing import Any

import anyio
import httpx2
import mcp_types as types
from mcp.client.client import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.server.lowlevel.server import Server
from mcp.server.stdio import stdio_server
from mcp.shared._httpx_utils import create_mcp_http_client

from pitwall_client.client import AsyncPitwall, Pitwall
from pitwall_client.errors import PitwallError


class PitwallAuth(httpx2.Auth):
    """Puts a fresh Pitwall access token on every request to ``/mcp``."""

    def __init__(self, api: AsyncPitwall):
        self.api = api
        self.last_refusal: str | None = None  # the SDK's errors do not name the status

    def sync_auth_flow(self, request: httpx2.Request) -> Generator[httpx2.Request, Any, None]:
        raise RuntimeError("the MCP bridge is asynchronous")

    async def async_auth_flow(
        self, request: httpx2.Request
    ) -> AsyncGenerator[httpx2.Request, Any]:
        token = await self.api.access_token()
        if token:
            request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        if response.status_code >= 400:
            self.last_refusal = f"HTTP {response.status_code} from {request.url}"


def _failure(error: Exception) -> types.CallToolResult:
    return types.CallToolResult(content=[types.TextContent(type="text", text=str(error))],
                                is_error=True)


def bridge(upstream: Client) -> Server[Any]:
    """A server answering each tool request by asking ``upstream``."""

    async def list_tools(ctx: Any, params: types.PaginatedRequestParams | None
                         ) -> types.ListToolsResult:
        listing = await upstream.list_tools(cursor=params.cursor if params else None)
        return types.ListToolsResult(tools=listing.tools, next_cursor=listing.next_cursor)

    async def call_tool(ctx: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
        try:
            result = await upstream.call_tool(params.name, dict(params.arguments or {}))
        except (PitwallError, httpx2.HTTPError) as error:
            return _failure(error)
        return types.CallToolResult(content=result.content, is_error=result.is_error,
                                    structured_content=result.structured_content)

    return Server("pitwall", on_list_tools=list_tools, on_call_tool=call_tool)


async def serve_async(api: AsyncPitwall, auth: PitwallAuth, mcp_path: str = "/mcp") -> None:
    async with AsyncExitStack() as stack:
        http = await stack.enter_async_context(create_mcp_http_client(auth=auth))
        upstream = await stack.enter_async_context(
            Client(streamable_http_client(api.base_url + mcp_path, http_client=http)))
        server = bridge(upstream)
        read_stream, write_stream = await stack.enter_async_context(stdio_server())
        await server.run(read_stream, write_stream, server.create_initialization_options())


def _leaves(error: BaseException) -> list[BaseException]:
    if isinstance(error, BaseExceptionGroup):
        return [leaf for inner in error.exceptions for leaf in _leaves(inner)]
    return [error]


def serve(client: Pitwall) -> None:
    """Serve on stdin/stdout until the assistant closes them, signed in as ``client``."""
    api = AsyncPitwall(client.base_url, timeout=client.timeout, retry=client.retry)
    api.credentials = client.credentials  # the same sign-in (renewals saved by on_change)
    client.close()
    auth = PitwallAuth(api)
    try:
        anyio.run(serve_async, api, auth)
    except Exception as error:  # task groups wrap the cause: name it plainly on stderr
        causes = "; ".join(f"{type(e).__name__}: {e}" for e in _leaves(error))
        if auth.last_refusal:
            causes += f" ({auth.last_refusal})"
        raise PitwallError(f"MCP bridge to {api.base_url}/mcp stopped: {causes}") from error
