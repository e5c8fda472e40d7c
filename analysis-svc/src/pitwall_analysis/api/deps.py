"""Dependency aliases for the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request

from pitwall_analysis.services.facts_memo import FactsMemo
from pitwall_analysis.services.narrator import Narrator
from pitwall_analysis.services.telemetry_source import SessionKey, TelemetrySource
from pitwall_shared.auth_dependency import CurrentIdentity
from pitwall_shared.path_safety import EventName, SessionName


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
