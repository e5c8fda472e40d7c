"""The MCP server at the gateway's /mcp, driven by the SDK's own streamable-HTTP client
against the real stack (five service processes on loopback): tools listed from analysis-svc,
called with the user's token, charts as PNG image content, clear errors, no token -> 401;
and the same through the client's stdio bridge, ``pitwall mcp``."""

from __future__ import annotations

import asyncio
import base64
import io
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import httpx
import httpx2
import mcp_types as types
from mcp.client.client import Client
from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from PIL import Image

from scripts.stack import Stack

BAKU = {"year": 2018, "event": "Azerbaijan", "session": "R"}
HUNGARY = {"year": 2024, "event": "Hungary", "session": "Q"}
Result = TypeVar("Result")
PITWALL = str(Path(sys.executable).with_name("pitwall"))  # the client's command, installed


def new_user(gateway: httpx.Client) -> tuple[str, str]:
    email, password = f"mcp-{uuid.uuid4().hex[:8]}@example.com", "e2e-mcp-horse-battery"
    created = gateway.post("/api/v1/auth/register",
                           json={"email": email, "password": password, "display_name": "M"})
    assert created.status_code == 201, created.text
    return email, password


def sign_up(gateway: httpx.Client) -> str:
    email, password = new_user(gateway)
    login = gateway.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert login.status_code == 200, login.text
    token: str = login.json()["access_token"]
    return token


def with_session(stack: Stack, token: str,
                 scenario: Callable[[ClientSession], Awaitable[Result]]) -> Result:
    async def run() -> Result:
        async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"},
                                      timeout=120) as http, streamable_http_client(
                f"{stack.url('gateway')}/mcp", http_client=http) as (read, write), \
                ClientSession(read, write) as session:
            await session.initialize()
            return await scenario(session)
    return asyncio.run(run())


def payload(result: types.CallToolResult) -> dict[str, Any]:
    assert not result.is_error, result.content
    text = result.content[0]
    assert isinstance(text, types.TextContent)
    body: dict[str, Any] = json.loads(text.text)
    return body


def test_tools_are_listed_and_called_with_the_users_token(
        gateway: httpx.Client, stack: Stack) -> None:
    token = sign_up(gateway)

    async def scenario(session: ClientSession) -> dict[str, Any]:
        listed = await session.list_tools()
        calls = {
            "session_info": await session.call_tool("session_info", BAKU),
            "laps": await session.call_tool("laps", {**BAKU, "drivers": ["VET"], "limit": 5}),
            "compare_laps": await session.call_tool(
                "compare_laps", {**HUNGARY, "driver_a": "NOR", "driver_b": "PIA"}),
            "race_pace": await session.call_tool("race_pace", {**BAKU, "drivers": ["VET", "HAM"]}),
        }
        return {"tools": listed.tools, **calls}

    got = with_session(stack, token, scenario)
    tools = {tool.name: tool for tool in got["tools"]}
    assert {"schedule", "session_info", "laps", "compare_laps", "race_pace", "race_trace",
            "session_summary", "chart"} <= set(tools)
    assert "driver_a" in tools["compare_laps"].input_schema["properties"]

    info = payload(got["session_info"])
    assert "VET" in [d["driver"] for d in info["content"]["drivers"]]
    assert info["link"] == "/sessions/2018/Azerbaijan/R"
    laps = payload(got["laps"])["content"]
    assert len(laps["rows"]) == 5 and laps["truncated"] is True
    assert {row["driver"] for row in laps["rows"]} == {"VET"}
    compared = payload(got["compare_laps"])
    direct = gateway.get("/api/v1/analysis/sessions/2024/Hungary/Q/lap-comparison",
                         params={"driver_a": "NOR", "driver_b": "PIA"},
                         headers={"Authorization": f"Bearer {token}"}).json()["facts"]
    assert compared["content"]["lap_time_delta_s"] == direct["lap_time_delta_s"]
    assert compared["link"].startswith("/sessions/2024/Hungary/Q/compare?a=NOR")
    assert set(payload(got["race_pace"])["content"]["drivers"]) == {"VET", "HAM"}


def test_chart_is_png_image_content(gateway: httpx.Client, stack: Stack) -> None:
    token = sign_up(gateway)
    result = with_session(stack, token, lambda s: s.call_tool(
        "chart", {**BAKU, "chart": "positions", "drivers": ["VET", "HAM"]}))
    described = payload(result)
    assert described["chart_url"].startswith("/api/v1/charts/sessions/2018/Azerbaijan/R/")
    image = result.content[1]
    assert isinstance(image, types.ImageContent) and image.mime_type == "image/png"
    with Image.open(io.BytesIO(base64.b64decode(image.data))) as png:
        assert png.format == "PNG" and png.width >= 320


def test_bad_input_is_a_clear_tool_error(gateway: httpx.Client, stack: Stack) -> None:
    token = sign_up(gateway)

    async def scenario(session: ClientSession) -> list[types.CallToolResult]:
        return [await session.call_tool("laps", {**BAKU, "session": "XX"}),
                await session.call_tool("compare_laps", {**BAKU, "driver_a": "ZZZ",
                                                         "driver_b": "VET"}),
                await session.call_tool("no_such_tool", {})]

    bad_session, bad_driver, unknown = with_session(stack, token, scenario)
    for result in (bad_session, bad_driver, unknown):
        assert result.is_error
    texts = [r.content[0].text for r in (bad_session, bad_driver, unknown)
             if isinstance(r.content[0], types.TextContent)]
    assert "session" in texts[0] and "'FP1'" in texts[0] and "'R'" in texts[0]
    assert "ZZZ" in texts[1] and "VET" in texts[1]
    assert "no_such_tool" in texts[2] and "compare_laps" in texts[2]


def test_no_or_invalid_token_is_401(stack: Stack) -> None:
    init = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {},
        "clientInfo": {"name": "e2e", "version": "1"}}}
    headers = {"Accept": "application/json, text/event-stream"}
    with httpx.Client(base_url=stack.url("gateway"), timeout=30) as client:
        for auth in ({}, {"Authorization": "Bearer not-a-token"}):
            response = client.post("/mcp", json=init, headers={**headers, **auth})
            assert response.status_code == 401, response.text
            assert response.headers["content-type"].startswith("application/problem+json")


def test_pitwall_mcp_bridges_the_gateway_tools_over_stdio(
        gateway: httpx.Client, stack: Stack, tmp_path: Path) -> None:
    """The ``pitwall`` command as a desktop assistant runs it: signed in by ``pitwall login``
    (credentials in a config directory of its own), then ``pitwall mcp`` spoken to over
    stdio by the SDK's client, forwarding to this stack's /mcp."""
    email, password = new_user(gateway)
    config = {"PITWALL_CONFIG_DIR": str(tmp_path / "config")}
    login = subprocess.run([PITWALL, "--url", stack.url("gateway"), "login", "--email", email],
                           env={**os.environ, **config, "PITWALL_PASSWORD": password},
                           capture_output=True, text=True, timeout=120)
    assert login.returncode == 0, login.stderr
    stored = json.loads((tmp_path / "config" / "credentials.json").read_text())
    assert stored["url"] == stack.url("gateway") and password not in json.dumps(stored)

    async def direct(session: ClientSession) -> tuple[types.ListToolsResult,
                                                      types.CallToolResult]:
        return await session.list_tools(), await session.call_tool("session_info", HUNGARY)

    listed, info = with_session(stack, stored["access_token"], direct)

    async def bridged() -> tuple[types.ListToolsResult, types.CallToolResult,
                                 types.CallToolResult]:
        # no --url and no PITWALL_URL: the bridge finds the API where `pitwall login` left it
        command = StdioServerParameters(command=PITWALL, args=["mcp"], env=config)
        async with Client(command, mode="legacy") as client:
            return (await client.list_tools(), await client.call_tool("session_info", HUNGARY),
                    await client.call_tool("chart", {**HUNGARY, "chart": "speed-trace",
                                                     "drivers": ["NOR", "PIA"]}))

    tools, bridged_info, chart = asyncio.run(bridged())
    assert [tool.name for tool in tools.tools] == [tool.name for tool in listed.tools]
    assert [tool.input_schema for tool in tools.tools] == [t.input_schema for t in listed.tools]
    assert {"schedule", "session_info", "laps", "compare_laps", "chart"} <= {
        tool.name for tool in tools.tools}

    info_body = payload(bridged_info)
    assert info_body == payload(info)
    assert {"NOR", "PIA"} <= {d["driver"] for d in info_body["content"]["drivers"]}
    assert info_body["link"] == "/sessions/2024/Hungary/Q"

    described = payload(chart)
    assert described["chart_url"].startswith("/api/v1/charts/sessions/2024/Hungary/Q/speed-trace")
    image = chart.content[1]
    assert isinstance(image, types.ImageContent) and image.mime_type == "image/png"
    with Image.open(io.BytesIO(base64.b64decode(image.data))) as png:
        png.load()
        assert png.format == "PNG" and png.width >= 320
