"""Dependency aliases for the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request

from pitwall_analysis.services.facts_memo import FactsMemo
from pitwall_analysis.services.narrator import Narrator
from pitwall_analysis.services.telemetry_source import SessionKey, TelemetrySource
from pitwall_analysis.tools.base import ToolContext
from pitwall_shared.auth_dependency import ActingIdentity, CurrentIdentity
from pitwall_shared.path_safety import EventName, SessionName
from pitwall_shared.request_context import current_request_id
from pitwall_shared.tokens import Identity


def _source(request: Request, identity: CurrentIdentity) -> TelemetrySource:
    return TelemetrySource(request.app.state.telemetry, identity.token)


def _narrator(request: Request) -> Narrator:
    narrator: Narrator = request.app.state.narrator
    return narrator


def _facts_memo(request: Request) -> FactsMemo:
    memo: FactsMemo = request.app.state.facts_memo
    return memo


def _session_key(
    year: Annotated[int, Path(ge=2018, le=2100, examples=[2024])],
    event: Annotated[EventName, Path(examples=["Hungary"])],
    session: Annotated[SessionName, Path(examples=["Q"])],
) -> SessionKey:
    return SessionKey(year, event, session)


SourceDep = Annotated[TelemetrySource, Depends(_source)]
NarratorDep = Annotated[Narrator, Depends(_narrator)]
MemoDep = Annotated[FactsMemo, Depends(_facts_memo)]
SessionKeyDep = Annotated[SessionKey, Depends(_session_key)]


def tool_context_from_request(request: Request, identity: Identity | None = None) -> ToolContext:
    """What a tool call needs, from the app's resources and the acting caller (by default the
    verified caller of this request)."""
    if identity is None:
        identity = request.state.identity  # set by require_identity
    assert identity is not None
    return ToolContext(source=TelemetrySource(request.app.state.telemetry, identity.token),
                       memo=request.app.state.facts_memo, identity=identity,
                       request_id=current_request_id())


def _tool_context(request: Request, identity: ActingIdentity) -> ToolContext:
    return tool_context_from_request(request, identity)


ToolContextDep = Annotated[ToolContext, Depends(_tool_context)]
