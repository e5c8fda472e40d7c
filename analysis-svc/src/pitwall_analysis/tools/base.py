"""What every tool shares: its spec, the context a call runs in, errors and compact tables."""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pitwall_analysis.services.facts_memo import FactsMemo
from pitwall_analysis.services.telemetry_source import SessionKey, TelemetrySource
from pitwall_shared.contracts.ask import ToolResult
from pitwall_shared.contracts.telemetry import SessionCode
from pitwall_shared.path_safety import EventName
from pitwall_shared.problem_types import unknown_driver
from pitwall_shared.problems import ProblemError
from pitwall_shared.tokens import Identity

MAX_ROWS = 200
Columns = dict[str, list[Any]]
DriverCode = Annotated[str, Field(pattern="^[A-Za-z]{3}$", examples=["NOR"],
                                  description="Three-letter driver code")]


@dataclass(frozen=True)
class ToolContext:
    """What a call needs: telemetry read with the caller's token, the facts memo, and who."""

    source: TelemetrySource
    memo: FactsMemo
    identity: Identity
    request_id: str = ""


class ToolInput(BaseModel):
    # A misspelt argument is refused rather than silently ignored.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SessionArgs(ToolInput):
    year: int = Field(ge=2018, le=2100, examples=[2024])
    event: EventName = Field(examples=["Hungary"],
                             description="Event name or country as the schedule lists it")
    session: SessionCode = Field(examples=["Q"], description="Session code")

    @property
    def key(self) -> SessionKey:
        return SessionKey(self.year, self.event, self.session)


@dataclass(frozen=True)
class Answer:
    """A tool's own output; the catalog wraps it into a ToolResult."""

    content: Any
    summary: str
    link: str | None = None
    chart_url: str | None = None


Handler = Callable[[Any, ToolContext], Awaitable[Answer]]


@dataclass(frozen=True)
class ToolSpec:
    name: str
    description: str
    input_model: type[ToolInput]
    handler: Handler

    def input_schema(self) -> dict[str, Any]:
        return self.input_model.model_json_schema()


class UnknownTool(ProblemError):
    def __init__(self, name: str, known: Iterable[str]) -> None:
        self.name = name
        self.known = sorted(known)
        super().__init__(404, f"No tool named '{name}'; tools are {', '.join(self.known)}.",
                         slug="unknown-tool", title="Unknown tool", valid_values=self.known)


class ToolInputError(ProblemError):
    """Arguments that do not fit the tool's input model; ``errors`` says which and why."""

    def __init__(self, name: str, error: ValidationError) -> None:
        self.name = name
        self.errors = [{"location": ".".join(str(p) for p in e["loc"]) or "arguments",
                        "message": e["msg"], "type": e["type"]} for e in error.errors()]
        text = "; ".join(f"{e['location']}: {e['message']}" for e in self.errors[:5])
        super().__init__(422, f"Invalid arguments for {name}: {text}", slug="validation-error",
                         errors=self.errors)


def result(name: str, arguments: dict[str, Any], answer: Answer) -> ToolResult:
    return ToolResult(name=name, arguments=arguments, content=answer.content,
                      summary=answer.summary, link=answer.link, chart_url=answer.chart_url,
                      numbers=numbers_in(answer.content))


def numbers_in(content: Any) -> list[float]:
    """Every finite number in ``content`` once, in the order met (exact types checked first:
    this runs on every tool answer)."""
    seen: dict[float, None] = {}

    def walk(value: Any) -> None:
        kind = type(value)
        if kind is float:
            if math.isfinite(value) and value not in seen:
                seen[value] = None
        elif kind is int:
            seen.setdefault(float(value), None)
        elif kind is dict:
            for item in value.values():
                walk(item)
        elif kind is list or kind is tuple:
            for item in value:
                walk(item)

    walk(content)
    return list(seen)


def capped(rows: list[dict[str, Any]], limit: int = MAX_ROWS) -> dict[str, Any]:
    """A table as rows, at most ``limit`` of them, saying whether more were left out."""
    limit = min(limit, MAX_ROWS)
    return {"rows": rows[:limit], "count": len(rows), "truncated": len(rows) > limit}


def session_path(key: SessionKey) -> str:
    return f"/sessions/{key.year}/{quote(key.event, safe='')}/{quote(key.session, safe='')}"


def with_query(path: str, params: dict[str, str]) -> str:
    present = {k: v for k, v in params.items() if v}
    return f"{path}?{urlencode(present, safe=',')}" if present else path


def check_drivers(known: Iterable[str], asked: Iterable[str], label: str) -> None:
    valid = list(known)
    unknown = [d for d in asked if d not in valid]
    if unknown:
        raise unknown_driver(unknown, valid, label)

