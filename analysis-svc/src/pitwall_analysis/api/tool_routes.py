"""The tool catalog over HTTP: what the MCP server and the ask loop list and call."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path

from pitwall_analysis.api.deps import ToolContextDep
from pitwall_analysis.tools.catalog import describe_tools, run_tool
from pitwall_shared.auth_dependency import CurrentIdentity
from pitwall_shared.contracts.ask import ToolCatalog, ToolResult

router = APIRouter(prefix="/api/v1/analysis/tools", tags=["tools"])


@router.get("", response_model=ToolCatalog, summary="The tools Ask and MCP clients can call")
async def list_tools(_identity: CurrentIdentity) -> ToolCatalog:
    """Every tool with its description and the JSON Schema of its arguments."""
    return ToolCatalog(tools=describe_tools())


@router.post("/{name}", response_model=ToolResult, summary="Call one tool with its arguments",
             responses={404: {"description": "Unknown tool, driver or session"},
                        422: {"description": "Arguments that do not fit the tool"}})
async def call_tool(
    ctx: ToolContextDep,
    name: Annotated[str, Path(max_length=40, pattern="^[a-z_]+$", examples=["compare_laps"])],
    arguments: Annotated[dict[str, Any], Body(examples=[{
        "year": 2024, "event": "Hungary", "session": "Q", "driver_a": "NOR",
        "driver_b": "PIA"}])],
) -> ToolResult:
    """Run one tool with the caller's token: compact JSON, a one-line summary, a web-app
    link and, for ``chart``, the chart's URL."""
    return await run_tool(name, arguments, ctx)
