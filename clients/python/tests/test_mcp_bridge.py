"""``pitwall mcp`` forwards tools/list and tools/call to an MCP server over streamable HTTP
with the stored access token.

The upstream here is a small MCP server (the official SDK) on 127.0.0.1 standing in for the
gateway's ``/mcp``, which is not under test here; it refuses requests without the expected
bearer token, as the gateway does. The bridge runs as the real ``pitwall`` command, spoken to
over stdio by the SDK's client, as a desktop assistant would.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import mcp_types as types
import pytest
import uvicorn
from mcp.client.client import Client
from mcp.client.stdio import StdioServerParameters
from mcp.server.lowlevel.server import Server

from scripts.stack import free_port

TOKEN = "stand-in-access-token"
PIXEL = base64.b64encode(b"\x89PNG\r\n\x1a\n-stand-in-image").decode()
PITWALL = str(Path(sys.executable).with_name("pitwall"))


def upstream_server() -> Server[Any]:
    async def list_tools(ctx: Any, params: Any) -> types.ListToolsResult:
        return types.ListToolsResult(tools=[types.Tool(
            name="lap_time", description="A driver's fastest lap time",
            input_schema={"type": "object", "properties": {"driver": {"type": "string"}},
                          "required": ["driver"]})])

    async def call_tool(ctx: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
        if params.name != "lap_time":
            return types.CallToolResult(is_error=True, content=[
                types.TextContent(type="text", text=f"unknown tool {params.name}")])
        driver = (params.arguments or {}).get("driver")
        return types.CallToolResult(content=[
            types.TextContent(type="text", text=f"{driver}: 1:15.227"),
            types.ImageContent(type="image", data=PIXEL, mime_type="image/png")])

    return Server("stand-in", on_list_tools=list_tools, on_call_tool=call_tool)


def requiring_token(app: Any, seen: list[str]) -> Any:
    async def guarded(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            headers = dict(scope["headers"])
            seen.append(headers.get(b"authorization", b"").decode())
            if headers.get(b"authorization") != f"Bearer {TOKEN}".encode():
                await send({"type": "http.response.start", "status": 401, "headers": []})
                await send({"type": "http.response.body", "body": b""})
                return
        await app(scope, receive, send)

    return guarded


@pytest.fixture()
def upstream() -> Iterator[tuple[str, list[str]]]:
    seen: list[str] = []
    port = free_port()
    app = upstream_server().streamable_http_app()
    server = uvicorn.Server(uvicorn.Config(requiring_token(app, seen), host="127.0.0.1",
                                           port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    try:
        yield f"http://127.0.0.1:{port}", seen
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def bridge_command(url: str, config_dir: Path) -> StdioServerParameters:
    config_dir.mkdir(parents=True, mode=0o700)
    (config_dir / "credentials.json").write_text(json.dumps({
        "url": url, "email": "me@example.com", "refresh_token": "unused-while-fresh",
        "access_token": TOKEN, "expires_at": time.time() + 3600}))
    return StdioServerParameters(command=PITWALL, args=["--url", url, "mcp"],
                                 env={"PITWALL_CONFIG_DIR": str(config_dir), "PATH": ""})


async def test_tools_listed_and_called_through_the_bridge(
        upstream: tuple[str, list[str]], tmp_path: Path) -> None:
    url, seen = upstream
    async with Client(bridge_command(url, tmp_path / "config"), mode="legacy") as client:
        listing = await client.list_tools()
        assert [tool.name for tool in listing.tools] == ["lap_time"]
        assert listing.tools[0].input_schema["required"] == ["driver"]

        result = await client.call_tool("lap_time", {"driver": "NOR"})
        assert not result.is_error
        text, image = result.content
        assert isinstance(text, types.TextContent) and text.text == "NOR: 1:15.227"
        assert isinstance(image, types.ImageContent) and image.data == PIXEL
        assert image.mime_type == "image/png"

        unknown = await client.call_tool("nope", {})
        assert unknown.is_error
    assert seen and all(header == f"Bearer {TOKEN}" for header in seen)


def test_a_refused_token_ends_the_bridge_with_the_reason(
        upstream: tuple[str, list[str]], tmp_path: Path) -> None:
    url, _ = upstream
    command = bridge_command(url, tmp_path / "config")
    stored = json.loads((tmp_path / "config" / "credentials.json").read_text())
    (tmp_path / "config" / "credentials.json").write_text(
        json.dumps({**stored, "access_token": "someone-else"}))
    done = subprocess.run([command.command, *command.args], env=command.env, input="",
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "MCP bridge to" in done.stderr and "401" in done.stderr
