"""Ask Pitwall and its tools: what a tool call answers, readable by every service and client."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from pitwall_shared.path_safety import EventName, SessionName


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


# -- asking -----------------------------------------------------------------------------------

QUESTION_MAX_LENGTH = 500
DriverName = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[\w .'\u2019-]+$")]


class AskContext(BaseModel):
    """The session the question is about (the page the user is on), optionally narrowed."""

    year: int = Field(ge=2018, le=2100, examples=[2024])
    event: EventName = Field(examples=["Hungary"])
    session: SessionName = Field(examples=["Q"])
    drivers: list[DriverName] | None = Field(None, max_length=10, examples=[["NOR", "PIA"]])
    laps: list[int | Literal["fastest"]] | None = Field(None, max_length=10)


class AskRequest(BaseModel):
    question: str = Field(min_length=1, max_length=QUESTION_MAX_LENGTH,
                          examples=["Who was fastest in sector 2?"])
    context: AskContext | None = None
    conversation_id: str | None = Field(None, min_length=1, max_length=64,
                                        description="Continue this conversation (mine)")


class ToolCallRecord(BaseModel):
    """One tool call an answer rests on, with where the web app can show it."""

    name: str
    arguments: dict[str, Any] = Field(default_factory=dict)
    summary: str = ""
    link: str | None = None
    chart_url: str | None = None
    ok: bool = True
    error: str | None = None


Answerer = Literal["model", "rules"]


class AskAnswer(BaseModel):
    conversation_id: str
    answer_id: str
    question: str
    answerer: Answerer = Field(description="model: written by the model from tool results and "
                               "grounded; rules: the rule-based answerer")
    answerer_reason: str = Field(description="Why this answerer wrote the answer")
    text: str
    dropped_claims: list[str] = Field(
        default_factory=list, description="Sentences of the model's answer whose numbers "
        "matched no tool result, with the unmatched figures")
    tool_calls: list[ToolCallRecord] = Field(default_factory=list)
    created_at: datetime


# -- conversations ----------------------------------------------------------------------------


class ConversationSummary(BaseModel):
    id: str
    title: str
    created_at: datetime
    updated_at: datetime
    answers: int


class ConversationPage(BaseModel):
    items: list[ConversationSummary]
    total: int
    limit: int
    offset: int


class Conversation(BaseModel):
    id: str
    title: str
    created_at: datetime
    updated_at: datetime
    answers: list[AskAnswer]


class DeletedConversations(BaseModel):
    deleted: int
