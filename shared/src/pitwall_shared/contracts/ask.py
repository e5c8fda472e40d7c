"""Ask Pitwall and its tools: what a tool call answers, readable by every service and client."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ToolDescription(BaseModel):
    name: str = Field(examples=["compare_laps"])
    description: str
    input_schema: dict[str, Any] = Field(description="JSON Schema of the arguments object")


class ToolCatalog(BaseModel):
    tools: list[ToolDescription]


class ToolResult(BaseModel):
    """One tool call's answer: compact JSON (resampled, capped rows, never full-resolution
    telemetry), a line a person reads, and where to look further."""

    name: str = Field(examples=["compare_laps"])
    arguments: dict[str, Any] = Field(description="The arguments as validated, defaults filled")
    content: Any = Field(description="Compact JSON; tables at most 200 rows, with `truncated`")
    summary: str = Field(description="One line a person reads")
    link: str | None = Field(None, description="A web-app path that shows the same data",
                             examples=["/sessions/2024/Hungary/Q/compare?a=NOR&b=PIA"])
    chart_url: str | None = Field(
        None, description="Gateway path of a PNG chart (report-svc's chart route)",
        examples=["/api/v1/charts/sessions/2024/Hungary/Q/speed-trace.png?drivers=NOR,PIA"])
    numbers: list[float] = Field(default_factory=list,
                                 description="Every number in content, for grounding claims")
