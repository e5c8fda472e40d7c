"""Runs catalog tools for an answer: records each call, keeps the results for grounding and
tells the caller (the stream) as calls start and finish."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from pitwall_analysis.tools.base import ToolContext
from pitwall_analysis.tools.catalog import run_tool
from pitwall_shared.contracts.ask import ToolCallRecord, ToolResult
from pitwall_shared.problems import ProblemError

Emit = Callable[[str, Any], Awaitable[None]]


async def ignore_events(_name: str, _data: Any) -> None:
    """For callers that want the answer only (the plain POST)."""
    return None


class ToolBox:
    def __init__(self, ctx: ToolContext, emit: Emit = ignore_events) -> None:
        self.ctx = ctx
        self.emit = emit
        self.calls: list[ToolCallRecord] = []
        self.results: list[ToolResult] = []
        # Pitwall's own time inside an answer (the model's time excluded), for the logs.
        self.tool_seconds = 0.0

    async def _record(self, record: ToolCallRecord) -> ToolCallRecord:
        self.calls.append(record)
        await self.emit("tool_result", record.model_dump(mode="json"))
        return record

    async def refuse(self, name: str, arguments: Mapping[str, Any], why: str) -> ToolCallRecord:
        """A call that is not made (over the limit); listed so the answer shows it."""
        await self.emit("tool_call", {"name": name, "arguments": dict(arguments)})
        return await self._record(ToolCallRecord(name=name, arguments=dict(arguments), ok=False,
                                                 error=why))

    async def call(self, name: str, arguments: Mapping[str, Any]) -> ToolResult | str:
        """The result, or why the call failed (a message the model may read and act on)."""
        await self.emit("tool_call", {"name": name, "arguments": dict(arguments)})
        started = time.monotonic()
        try:
            result = await run_tool(name, arguments, self.ctx)
        except ProblemError as exc:  # unknown tool, bad arguments, what the reads refuse
            return await self._failed(name, arguments, exc.detail)
        finally:
            self.tool_seconds += time.monotonic() - started
        self.results.append(result)
        await self._record(ToolCallRecord(
            name=result.name, arguments=dict(result.arguments), summary=result.summary,
            link=result.link, chart_url=result.chart_url))
        return result

    async def _failed(self, name: str, arguments: Mapping[str, Any], error: str) -> str:
        await self._record(ToolCallRecord(name=name, arguments=dict(arguments), ok=False,
                                          error=error))
        return error

    def result_of(self, name: str) -> ToolResult | None:
        return next((r for r in reversed(self.results) if r.name == name), None)
